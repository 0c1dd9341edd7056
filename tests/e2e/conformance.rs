//! Issue 16 point 6: the conformance corpus, `fixtures/conformance/`. One libtest trial per
//! case (`conformance_<case>`), run on the fast Worker, whose JET Connect outcome calls go to
//! [`crate::jet_orders::status_sink`]. A case is a JSON file: `setup` requests through the
//! hub's own APIs, one `request`, and what must `expect`: the status and a subset of the
//! body, the strings a refusal must name, the calls that must reach the sink, and the
//! Jupiter order as the kitchen sees it (read with `GET /admin/orders`). The format and the
//! rules for expected values are in `fixtures/conformance/README.md`. Expected values come
//! from Just Eat's published document and the seeds, never from running the hub; a failing
//! case lists every mismatch at once.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use libtest_mimic::{Failed, Trial};
use orderbridge_e2e::{repo_root, request, App, Reply};
use serde_json::{json, Value};

use crate::jet_orders::{post_signed, status_sink};

const OPERATOR: (&str, &str) = ("X-Flyt-Api-Key", "dev-operator-key");
const ORDERCONNECT: (&str, &str) = ("Authorization", "JE-API-KEY dev-orderconnect-key");

fn corpus_dir() -> PathBuf {
    repo_root().join("fixtures/conformance")
}

/// Every case file, sorted, as (trial name, path).
pub fn cases() -> Vec<(String, PathBuf)> {
    let mut found = Vec::new();
    collect(&corpus_dir().join("cases"), &mut found);
    found.sort();
    found
        .into_iter()
        .map(|path| {
            let stem = path
                .file_stem()
                .map(|s| s.to_string_lossy().replace('-', "_"))
                .unwrap_or_default();
            (format!("conformance_{stem}"), path)
        })
        .collect()
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out);
        } else if path.extension().is_some_and(|e| e == "json") {
            out.push(path);
        }
    }
}

/// One trial per case, on `app` (the fast Worker).
pub fn trials(app: Option<Arc<App>>) -> Vec<Trial> {
    cases()
        .into_iter()
        .map(|(name, path)| {
            let app = app.clone();
            Trial::test(name, move || {
                let app = app.ok_or_else(|| Failed::from("the Worker was not started"))?;
                run_case(&app, &path).map_err(Failed::from)
            })
        })
        .collect()
}

/// Reads a case, with `{{SINK}}` replaced by the status sink's base URL.
fn load(path: &Path) -> Result<Value, String> {
    let text = fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let text = text.replace("{{SINK}}", &status_sink().base_url);
    serde_json::from_str(&text).map_err(|e| format!("{}: not JSON: {e}", path.display()))
}

/// A request's body: `body` inline, or `body_file` (relative to the corpus folder) with
/// `patch` (JSON pointer → value) applied.
fn body_of(step: &Value) -> Result<Option<Value>, String> {
    let mut body = if let Some(file) = step["body_file"].as_str() {
        let path = corpus_dir().join(file);
        let text = fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let text = text.replace("{{SINK}}", &status_sink().base_url);
        serde_json::from_str(&text).map_err(|e| format!("{}: not JSON: {e}", path.display()))?
    } else if step.get("body").is_some() {
        step["body"].clone()
    } else {
        return Ok(None);
    };
    if let Some(patch) = step["patch"].as_object() {
        for (pointer, value) in patch {
            set_pointer(&mut body, pointer, value.clone())
                .map_err(|e| format!("patch {pointer}: {e}"))?;
        }
    }
    Ok(Some(body))
}

/// Sets the value at a JSON pointer; the last segment may be new (an object key). In an
/// array body (`/*/id`), `*` means every element.
fn set_pointer(doc: &mut Value, pointer: &str, value: Value) -> Result<(), String> {
    let parts: Vec<&str> = pointer.split('/').skip(1).collect();
    set_parts(doc, &parts, value)
}

fn set_parts(doc: &mut Value, parts: &[&str], value: Value) -> Result<(), String> {
    let Some((first, rest)) = parts.split_first() else {
        *doc = value;
        return Ok(());
    };
    match doc {
        Value::Array(items) if *first == "*" => {
            for item in items {
                set_parts(item, rest, value.clone())?;
            }
            Ok(())
        }
        Value::Array(items) => {
            let i: usize = first.parse().map_err(|_| format!("{first} is no index"))?;
            let item = items.get_mut(i).ok_or(format!("no element {i}"))?;
            set_parts(item, rest, value)
        }
        Value::Object(map) => {
            if rest.is_empty() {
                map.insert((*first).to_owned(), value);
                Ok(())
            } else {
                let item = map.get_mut(*first).ok_or(format!("no member {first}"))?;
                set_parts(item, rest, value)
            }
        }
        _ => Err(format!("{first}: not a container")),
    }
}

/// Sends one request of a case: `auth` is `operator` (default), `jet` (signed with
/// `X-JET-Connect-Hash` as Just Eat signs), `orderconnect`, or `none`.
fn send(app: &App, step: &Value) -> Result<Reply, String> {
    let method = step["method"].as_str().unwrap_or("GET");
    let path = step["path"].as_str().ok_or("a request needs a path")?;
    let body = body_of(step)?;
    let auth = step["auth"].as_str().unwrap_or("operator");
    if auth == "jet" {
        if method != "POST" {
            return Err(format!("signed JET requests are POST, not {method}"));
        }
        return Ok(post_signed(app, path, &body.unwrap_or(Value::Null)));
    }
    let mut headers = vec![("Content-Type", "application/json")];
    match auth {
        "operator" => headers.push(OPERATOR),
        "orderconnect" => headers.push(ORDERCONNECT),
        "none" => {}
        other => return Err(format!("unknown auth {other:?}")),
    }
    let text = body.map(|b| b.to_string());
    let reply = request(
        method,
        &app.url(path),
        &headers,
        text.as_deref().map(str::as_bytes),
    )?;
    crate::conform::check(method, path, &reply);
    Ok(reply)
}

fn run_case(app: &App, path: &Path) -> Result<(), String> {
    let case = load(path)?;
    let mut problems: Vec<String> = Vec::new();

    for (n, step) in case["setup"].as_array().into_iter().flatten().enumerate() {
        let reply = send(app, step).map_err(|e| format!("setup {n}: {e}"))?;
        let want = step["expect_status"].as_u64().unwrap_or(200);
        let ok = if step.get("expect_status").is_some() {
            u64::from(reply.status) == want
        } else {
            (200..300).contains(&reply.status)
        };
        if !ok {
            // A setup the hub refuses is a bug in the case (or a missing admin field): say so.
            return Err(format!(
                "setup {n} ({} {}) answered {}: {}",
                step["method"].as_str().unwrap_or("GET"),
                step["path"].as_str().unwrap_or(""),
                reply.status,
                reply.body
            ));
        }
        if let Some(call) = step.get("await_call") {
            // e.g. a menu's ingestion callback: the order after it must meet the menu.
            let mut problems = Vec::new();
            check_calls(&json!({"each": [call]}), &mut problems);
            if !problems.is_empty() {
                return Err(format!("setup {n}: {}", problems.join("; ")));
            }
        }
    }

    let expect = &case["expect"];
    let mut replies = Vec::new();
    let steps: Vec<Value> = match &case["requests"] {
        Value::Array(steps) => steps.clone(),
        _ => vec![case["request"].clone()],
    };
    for (n, step) in steps.iter().enumerate() {
        replies.push(send(app, step)?);
        if let Some(call) = step.get("await_call") {
            // e.g. the outcome of a first Receive Order before Just Eat retries it.
            let mut waited = Vec::new();
            check_calls(&json!({"each": [call]}), &mut waited);
            if !waited.is_empty() {
                problems.push(format!("request {n}: {}", waited.join("; ")));
            }
        }
    }
    let reply = replies.last().ok_or("a case needs a request")?;

    // `status_in`: when the spec allows several answers (e.g. 200 or 202 for a Final
    // Picked Order the hub never received).
    if let Some(allowed) = expect["status_in"].as_array() {
        if !allowed
            .iter()
            .any(|s| s.as_u64() == Some(u64::from(reply.status)))
        {
            problems.push(format!(
                "status: want one of {}, got {} ({})",
                Value::Array(allowed.clone()),
                reply.status,
                reply.body
            ));
        }
    }
    if let Some(status) = expect["status"].as_u64() {
        if u64::from(reply.status) != status {
            problems.push(format!(
                "status: want {status}, got {} ({})",
                reply.status, reply.body
            ));
        }
    }
    let body: Value = serde_json::from_str(&reply.body).unwrap_or(Value::Null);
    if let Some(want) = expect.get("body") {
        subset("body", want, &body, &mut problems);
    }
    for needle in expect["body_contains"].as_array().into_iter().flatten() {
        let needle = needle.as_str().unwrap_or_default();
        if !reply.body.contains(needle) {
            problems.push(format!(
                "body: does not name {needle:?}: {}",
                short(&reply.body)
            ));
        }
    }

    if let Some(calls) = expect.get("calls") {
        check_calls(calls, &mut problems);
    }

    if let Some(want) = expect.get("order") {
        match find_order(app, want, &body) {
            Ok(view) => check_order(want, &view, &mut problems),
            Err(e) => problems.push(e),
        }
    }
    if let Some(none) = expect.get("no_order") {
        // A refusal changes nothing: no order stored under this marketplace id.
        let query = format!(
            "/admin/orders?channel={}&external_id={}",
            none["channel"].as_str().unwrap_or(""),
            none["external_id"].as_str().unwrap_or("")
        );
        let reply = send(app, &json!({"method": "GET", "path": query}))?;
        let count = reply.json()["orders"].as_array().map_or(0, Vec::len);
        if count != 0 {
            problems.push(format!("no_order: {count} order(s) stored: {}", reply.body));
        }
    }

    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{} ({}):\n  - {}",
            path.file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            case["source"].as_str().unwrap_or(""),
            problems.join("\n  - ")
        ))
    }
}

/// The calls that must reach the sink: each `{"path", "body"?}` once, and with
/// `"only_prefix"`, no other call under that prefix (waits for them, then 1.5 s more).
fn check_calls(calls: &Value, problems: &mut Vec<String>) {
    let want: Vec<Value> = calls["each"].as_array().cloned().unwrap_or_default();
    let prefix = calls["only_prefix"].as_str();
    let matching = |url: &str| {
        prefix.map_or_else(
            || want.iter().any(|w| w["path"].as_str() == Some(url)),
            |p| url.starts_with(p),
        )
    };
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let got = status_sink()
            .received()
            .into_iter()
            .filter(|r| matching(&r.url))
            .count();
        if got >= want.len() || Instant::now() >= deadline {
            break;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    std::thread::sleep(Duration::from_millis(1500));
    let got: Vec<_> = status_sink()
        .received()
        .into_iter()
        .filter(|r| matching(&r.url))
        .collect();
    for w in &want {
        let path = w["path"].as_str().unwrap_or_default();
        let found: Vec<_> = got.iter().filter(|r| r.url == path).collect();
        match found.as_slice() {
            [] => problems.push(format!(
                "calls: no {path} (got {:?})",
                got.iter().map(|r| &r.url).collect::<Vec<_>>()
            )),
            [one] => {
                if let Some(body) = w.get("body") {
                    let actual = serde_json::from_str(&one.body).unwrap_or(Value::Null);
                    subset(&format!("call {path}"), body, &actual, problems);
                }
            }
            many => problems.push(format!("calls: {path} {} times, want once", many.len())),
        }
    }
    if prefix.is_some() && got.len() > want.len() {
        problems.push(format!(
            "calls: unexpected {:?}",
            got.iter()
                .filter(|r| !want.iter().any(|w| w["path"].as_str() == Some(&r.url)))
                .map(|r| &r.url)
                .collect::<Vec<_>>()
        ));
    }
}

/// The stored order: by the `OrderId` the answer named, else by channel and marketplace id
/// (`external_ids`: the first that names an order).
fn find_order(app: &App, want: &Value, body: &Value) -> Result<Value, String> {
    let mut last = String::from("no order lookup");
    for _ in 0..50 {
        if let Some(id) = body["OrderId"]
            .as_str()
            .filter(|_| want["by_answer"] == true)
        {
            let reply = send(
                app,
                &json!({"method": "GET", "path": format!("/admin/orders/{id}")}),
            )?;
            if reply.status == 200 {
                return Ok(reply.json());
            }
            last = format!("order {id}: {} {}", reply.status, short(&reply.body));
        }
        let channel = want["channel"].as_str().unwrap_or("");
        for external in want["external_ids"].as_array().into_iter().flatten() {
            let external = external.as_str().unwrap_or("");
            let path = format!("/admin/orders?channel={channel}&external_id={external}");
            let reply = send(app, &json!({"method": "GET", "path": path}))?;
            if reply.status != 200 {
                last = format!("{path}: {} {}", reply.status, short(&reply.body));
                continue;
            }
            if let Some(first) = reply.json()["orders"].as_array().and_then(|o| o.first()) {
                return Ok(first.clone());
            }
            last = format!("order: none stored for {channel} {external}");
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    Err(last)
}

/// The Jupiter order as the kitchen sees it.
fn check_order(want: &Value, view: &Value, problems: &mut Vec<String>) {
    if let Some(fields) = want.get("view") {
        subset("order view", fields, view, problems);
    }
    let order = view["order"].get("body").unwrap_or(&view["order"]);
    if let Some(fields) = want.get("fields") {
        subset("order", fields, order, problems);
    }
    if let Some(lines) = want["lines"].as_array() {
        let exactly = want["lines_exactly"] == true;
        check_lines(lines, &order["cart"]["items"], exactly, problems);
    }
}

/// Product lines by id: each wanted line with its cost and modifiers (by id, count and
/// cost where given), and its count summed over the lines that match (one line of 2 or two
/// of 1 are the same order). With `lines_exactly`, no other line. Lines the hub adds for
/// charges are not checked here: the totals are.
fn check_lines(want: &[Value], got: &Value, exactly: bool, problems: &mut Vec<String>) {
    let got: Vec<Value> = got.as_array().cloned().unwrap_or_default();
    let mut used = vec![false; got.len()];
    for w in want {
        let matching: Vec<usize> = (0..got.len())
            .filter(|&i| !used[i] && line_matches(w, &got[i]))
            .collect();
        let count: f64 = matching
            .iter()
            .map(|&i| got[i]["count"].as_f64().unwrap_or(0.0))
            .sum();
        let want_count = w["count"].as_f64();
        if matching.is_empty() || want_count.is_some_and(|c| (c - count).abs() > 1e-9) {
            problems.push(format!(
                "lines: want {w}, got {}",
                Value::Array(got.iter().map(line_summary).collect())
            ));
            continue;
        }
        for i in matching {
            used[i] = true;
        }
    }
    if exactly {
        for (i, g) in got.iter().enumerate() {
            if !used[i] {
                problems.push(format!("lines: unexpected line {}", line_summary(g)));
            }
        }
    }
}

/// Same id, cost and modifiers (count is summed by the caller).
fn line_matches(want: &Value, got: &Value) -> bool {
    if want["id"] != got["id"] {
        return false;
    }
    if let Some(w) = want.get("cost") {
        if !numbers_equal(w, &got["cost"]) {
            return false;
        }
    }
    if let Some(mods) = want["modifiers"].as_array() {
        let got_mods = got["modifiers"].as_array().cloned().unwrap_or_default();
        if mods.len() != got_mods.len() {
            return false;
        }
        return mods.iter().all(|m| {
            got_mods.iter().any(|g| {
                line_matches(m, g) && m.get("count").is_none_or(|c| numbers_equal(c, &g["count"]))
            })
        });
    }
    true
}

fn line_summary(line: &Value) -> Value {
    json!({
        "id": line["id"], "count": line["count"], "cost": line["cost"],
        "modifiers": line["modifiers"].as_array().map(|m| m.iter().map(line_summary).collect::<Vec<_>>()),
    })
}

/// Money in Jupiter is major units as JSON numbers: equal to the minor unit.
fn numbers_equal(want: &Value, got: &Value) -> bool {
    match (want.as_f64(), got.as_f64()) {
        (Some(w), Some(g)) if want.is_number() => (w - g).abs() < 0.005,
        _ => want == got,
    }
}

/// Every member of `want` is in `got` (recursively; arrays element by element; numbers to
/// the minor unit). A string `"~text"` means "contains text".
fn subset(at: &str, want: &Value, got: &Value, problems: &mut Vec<String>) {
    match want {
        Value::Object(map) => {
            for (k, w) in map {
                let g = got.get(k).unwrap_or(&Value::Null);
                if got.get(k).is_none() && !w.is_null() {
                    problems.push(format!("{at}.{k}: missing, want {w}"));
                } else {
                    subset(&format!("{at}.{k}"), w, g, problems);
                }
            }
        }
        Value::Array(items) => match got.as_array() {
            Some(g) if g.len() == items.len() => {
                for (i, (w, g)) in items.iter().zip(g).enumerate() {
                    subset(&format!("{at}[{i}]"), w, g, problems);
                }
            }
            _ => problems.push(format!(
                "{at}: want {want}, got {}",
                short(&got.to_string())
            )),
        },
        Value::String(s) if s.starts_with('~') => {
            let needle = &s[1..];
            if !got.as_str().is_some_and(|g| g.contains(needle)) {
                problems.push(format!("{at}: want text containing {needle:?}, got {got}"));
            }
        }
        Value::Number(_) => {
            if !numbers_equal(want, got) {
                problems.push(format!("{at}: want {want}, got {got}"));
            }
        }
        _ => {
            if want != got {
                problems.push(format!(
                    "{at}: want {want}, got {}",
                    short(&got.to_string())
                ));
            }
        }
    }
}

fn short(text: &str) -> String {
    if text.len() > 600 {
        let mut end = 600;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        format!("{}…", &text[..end])
    } else {
        text.to_owned()
    }
}
