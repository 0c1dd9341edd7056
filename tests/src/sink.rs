//! A local HTTP server that receives the hub's outbound calls (status callbacks, menu
//! callbacks, Just Eat calls) and records every request. It can be told to answer with a
//! given status, to fail the first N requests, or to delay each answer.

use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use crate::server::LocalServer;

/// One request the sink received.
#[derive(Debug, Clone)]
pub struct Received {
    pub method: String,
    /// Path and query, e.g. `/status?order_id=1&status=10`.
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: String,
    pub at: Instant,
    /// The status the sink answered with.
    pub answered: u16,
}

impl Received {
    pub fn header(&self, name: &str) -> Option<&str> {
        crate::find_header(&self.headers, name)
    }
}

#[derive(Debug)]
struct Behaviour {
    status: u16,
    fail_first: usize,
    fail_status: u16,
    delay: Duration,
    /// Sent as `Retry-After` with every answer that is not 2xx.
    retry_after: Option<String>,
    /// (path prefix, status): requests whose path and query start with the prefix are
    /// answered with the status, before any other rule (one test's calls on a shared sink).
    by_prefix: Vec<(String, u16)>,
    /// (path prefix, body): `GET`s whose path starts with the prefix are answered with the
    /// body (Just Eat's order lists for a reconciliation test), page 1 only; later pages `[]`.
    bodies: Vec<(String, String)>,
}

#[derive(Debug)]
struct Shared {
    received: Vec<Received>,
    behaviour: Behaviour,
}

/// The sink. It serves until dropped.
pub struct Sink {
    pub base_url: String,
    /// Serves until the sink is dropped.
    _server: LocalServer,
    shared: Arc<Mutex<Shared>>,
}

impl Sink {
    /// Starts a sink on a free loopback port that answers `200 {}` to everything.
    pub fn start() -> Sink {
        let shared = Arc::new(Mutex::new(Shared {
            received: Vec::new(),
            behaviour: Behaviour {
                status: 200,
                fail_first: 0,
                fail_status: 503,
                delay: Duration::ZERO,
                retry_after: None,
                by_prefix: Vec::new(),
                bodies: Vec::new(),
            },
        }));
        let server = {
            let shared = Arc::clone(&shared);
            // One thread per request, so a delayed answer does not hold up the others.
            LocalServer::start("sink", move |request| {
                let shared = Arc::clone(&shared);
                thread::spawn(move || answer(request, &shared));
            })
        };
        Sink {
            base_url: server.base_url.clone(),
            _server: server,
            shared,
        }
    }

    /// `base_url` + `path`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }

    /// Answer every request with this status.
    pub fn respond_with(&self, status: u16) {
        self.lock().behaviour.status = status;
    }

    /// Answer the next `n` requests with `status` (e.g. 503), then behave normally.
    pub fn fail_next(&self, n: usize, status: u16) {
        let mut shared = self.lock();
        shared.behaviour.fail_first = n;
        shared.behaviour.fail_status = status;
    }

    /// Answer every request whose path and query start with `prefix` with `status`, whatever
    /// the other rules say (a shared sink failing one test's calls only).
    pub fn respond_to(&self, prefix: &str, status: u16) {
        self.lock()
            .behaviour
            .by_prefix
            .push((prefix.to_owned(), status));
    }

    /// Answer `GET`s whose path starts with `prefix` with `body` on their first page (no
    /// `page` or `page=1`), `[]` on later ones.
    pub fn answer_get(&self, prefix: &str, body: &str) {
        let mut shared = self.lock();
        let bodies = &mut shared.behaviour.bodies;
        bodies.retain(|(p, _)| p != prefix);
        bodies.push((prefix.to_owned(), body.to_owned()));
    }

    /// Wait this long before answering each request.
    pub fn delay(&self, delay: Duration) {
        self.lock().behaviour.delay = delay;
    }

    /// Send `Retry-After: <value>` with every answer that is not 2xx.
    pub fn retry_after(&self, value: &str) {
        self.lock().behaviour.retry_after = Some(value.to_owned());
    }

    /// Everything received so far, in arrival order.
    pub fn received(&self) -> Vec<Received> {
        self.lock().received.clone()
    }

    /// Waits until at least `n` requests arrived (or `timeout` passed) and returns them all.
    pub fn wait_for(&self, n: usize, timeout: Duration) -> Vec<Received> {
        let deadline = Instant::now() + timeout;
        loop {
            let received = self.received();
            if received.len() >= n || Instant::now() >= deadline {
                return received;
            }
            thread::sleep(Duration::from_millis(50));
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Shared> {
        // A test thread that panicked while holding the lock must not hide the others' data.
        self.shared.lock().unwrap_or_else(|p| p.into_inner())
    }
}

fn answer(mut request: tiny_http::Request, shared: &Mutex<Shared>) {
    let at = Instant::now();
    let mut body = String::new();
    let _ = request.as_reader().read_to_string(&mut body);
    let (status, delay, retry_after, reply) = {
        let mut shared = shared.lock().unwrap_or_else(|p| p.into_inner());
        let behaviour = &mut shared.behaviour;
        let url = request.url().to_owned();
        let reply = match request.method() {
            tiny_http::Method::Get => behaviour
                .bodies
                .iter()
                .find(|(prefix, _)| url.starts_with(prefix.as_str()))
                .map(|(_, b)| {
                    let later = url
                        .split(['?', '&'])
                        .any(|kv| kv.starts_with("page=") && kv != "page=1");
                    if later {
                        "[]".to_owned()
                    } else {
                        b.clone()
                    }
                }),
            _ => None,
        };
        let by_prefix = behaviour
            .by_prefix
            .iter()
            .find(|(prefix, _)| url.starts_with(prefix.as_str()))
            .map(|(_, status)| *status);
        let status = if let Some(status) = by_prefix {
            status
        } else if behaviour.fail_first > 0 {
            behaviour.fail_first -= 1;
            behaviour.fail_status
        } else {
            behaviour.status
        };
        let delay = behaviour.delay;
        let retry_after = behaviour
            .retry_after
            .clone()
            .filter(|_| !(200..300).contains(&status));
        shared.received.push(Received {
            method: request.method().to_string(),
            url: request.url().to_owned(),
            headers: request
                .headers()
                .iter()
                .map(|h| (h.field.to_string(), h.value.to_string()))
                .collect(),
            body,
            at,
            answered: status,
        });
        (status, delay, retry_after, reply)
    };
    thread::sleep(delay);
    let mut response = tiny_http::Response::from_string(reply.unwrap_or_else(|| "{}".to_owned()))
        .with_status_code(status)
        .with_header(
            tiny_http::Header::from_bytes("Content-Type", "application/json")
                .expect("static header is valid"),
        );
    if let Some(value) = retry_after {
        if let Ok(header) = tiny_http::Header::from_bytes("Retry-After", value.as_bytes()) {
            response.add_header(header);
        }
    }
    let _ = request.respond(response);
}
