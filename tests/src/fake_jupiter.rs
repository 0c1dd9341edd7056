//! A fake upstream Jupiter site API: serves the documents it is given, by exact path and
//! query (`/site-api/menu?restaurant_id=000127&concept_id=7`), to callers presenting its
//! `X-Jup-Api-Key`, and records every request (and the body of each `POST`, e.g. a
//! forwarded `/order`). A path can instead answer `302` to another URL (`redirect`), to show
//! that the hub does not follow it. Anything else is `404`; a wrong key `401` with
//! Jupiter's error shape.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use crate::server::LocalServer;

#[derive(Debug, Default)]
struct Shared {
    documents: HashMap<String, String>,
    /// path and query → the `Location` of a `302`
    redirects: HashMap<String, String>,
    /// (path and query, the X-Jup-Api-Key presented)
    requests: Vec<(String, Option<String>)>,
    /// (path and query, body) of every `POST`
    posted: Vec<(String, String)>,
}

/// The fake. It serves until dropped.
pub struct FakeJupiter {
    pub base_url: String,
    /// Serves until the fake is dropped.
    _server: LocalServer,
    shared: Arc<Mutex<Shared>>,
}

impl FakeJupiter {
    /// Starts on a free loopback port, accepting `key` only.
    pub fn start(key: &str) -> FakeJupiter {
        let shared = Arc::new(Mutex::new(Shared::default()));
        let server = {
            let shared = Arc::clone(&shared);
            let key = key.to_owned();
            LocalServer::start("fake Jupiter", move |request| {
                answer(request, &shared, &key)
            })
        };
        FakeJupiter {
            base_url: server.base_url.clone(),
            _server: server,
            shared,
        }
    }

    /// `base_url` + `path`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }

    /// Serve `body` at `path_and_query` from now on.
    pub fn serve(&self, path_and_query: &str, body: &serde_json::Value) {
        let mut shared = self.lock();
        shared.redirects.remove(path_and_query);
        shared
            .documents
            .insert(path_and_query.to_owned(), body.to_string());
    }

    /// Answer `302 Found` with `Location: location` at `path_and_query` from now on.
    pub fn redirect(&self, path_and_query: &str, location: &str) {
        self.lock()
            .redirects
            .insert(path_and_query.to_owned(), location.to_owned());
    }

    /// Every request so far: (path and query, the key presented).
    pub fn requests(&self) -> Vec<(String, Option<String>)> {
        self.lock().requests.clone()
    }

    /// Every `POST` so far: (path and query, body).
    pub fn posted(&self) -> Vec<(String, String)> {
        self.lock().posted.clone()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Shared> {
        self.shared.lock().unwrap_or_else(|p| p.into_inner())
    }
}

fn answer(mut request: tiny_http::Request, shared: &Mutex<Shared>, key: &str) {
    let url = request.url().to_owned();
    let mut body = String::new();
    let posted = *request.method() == tiny_http::Method::Post
        && std::io::Read::read_to_string(request.as_reader(), &mut body).is_ok();
    let presented = request
        .headers()
        .iter()
        .find(|h| h.field.equiv("X-Jup-Api-Key"))
        .map(|h| h.value.to_string());
    let (status, body, location) = {
        let mut shared = shared.lock().unwrap_or_else(|p| p.into_inner());
        shared.requests.push((url.clone(), presented.clone()));
        if posted {
            shared.posted.push((url.clone(), body));
        }
        if presented.as_deref() != Some(key) {
            (
                401,
                "{\"error\": \"Некорректный Api-Key\"}".to_owned(),
                None,
            )
        } else if let Some(location) = shared.redirects.get(&url) {
            (302, String::new(), Some(location.clone()))
        } else if let Some(body) = shared.documents.get(&url) {
            (200, body.clone(), None)
        } else {
            (404, "{\"error\": \"not found\"}".to_owned(), None)
        }
    };
    let mut response = tiny_http::Response::from_string(body)
        .with_status_code(status)
        .with_header(
            tiny_http::Header::from_bytes("Content-Type", "application/json")
                .expect("static header is valid"),
        );
    if let Some(location) = location {
        response.add_header(
            tiny_http::Header::from_bytes("Location", location.as_bytes())
                .expect("a Location header is valid"),
        );
    }
    let _ = request.respond(response);
}
