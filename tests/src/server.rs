//! A small HTTP server on a free loopback port that serves until dropped: what the stand-ins
//! for parties outside the hub (the callback sink, the fake Jupiter) are built on.

use std::sync::Arc;
use std::thread;

pub struct LocalServer {
    pub base_url: String,
    server: Arc<tiny_http::Server>,
    worker: Option<thread::JoinHandle<()>>,
}

impl LocalServer {
    /// Binds `127.0.0.1:0` and hands every request to `handle`, one after another on one
    /// thread (a handler that must not hold up the next request spawns its own).
    pub fn start(what: &str, handle: impl Fn(tiny_http::Request) + Send + 'static) -> LocalServer {
        let server = Arc::new(
            tiny_http::Server::http("127.0.0.1:0").unwrap_or_else(|e| panic!("{what} binds: {e}")),
        );
        let port = server
            .server_addr()
            .to_ip()
            .map(|a| a.port())
            .unwrap_or_else(|| panic!("{what} has an IP address"));
        let worker = {
            let server = Arc::clone(&server);
            thread::spawn(move || {
                for request in server.incoming_requests() {
                    handle(request);
                }
            })
        };
        LocalServer {
            base_url: format!("http://127.0.0.1:{port}"),
            server,
            worker: Some(worker),
        }
    }
}

impl Drop for LocalServer {
    fn drop(&mut self) {
        self.server.unblock();
        if let Some(worker) = self.worker.take() {
            let _ = worker.join();
        }
    }
}
