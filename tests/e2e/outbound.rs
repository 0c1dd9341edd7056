//! The durable outbound path (issue 4), driven through the development producer
//! `POST /sim/outbound` and read back through the operator's delivery log.
//!
//! Three kinds of tests: on the shared Worker (URL refusal, signatures, the operator API),
//! on a Worker with a short retry policy ([`fast_options`]: retries after 1, 1 to 2 and 2 to
//! 4 s, four attempts, a 2 s attempt timeout), and on Workers of their own: one stopped and
//! started again between two attempts, one with production settings.

use std::thread;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use hmac::{Hmac, Mac};
use orderbridge_e2e::{request, App, AppOptions, Reply, Sink};
use serde_json::{json, Value};
use sha2::Sha256;

use crate::{AppTest, PlainTest};

/// `.dev.vars.example`: the operator key and the webhook signing secret of development.
const OPERATOR_KEY: &str = "dev-operator-key";
const SIGNING_SECRET: &str = "dev-webhook-secret";
/// Longest a test waits for the Worker to settle a delivery.
const SETTLE: Duration = Duration::from_secs(40);

/// Tests on the shared Worker (default retry policy).
pub const TESTS: &[(&str, AppTest)] = &[
    (
        "outbound_a_refused_url_is_rejected_when_staged_naming_the_field",
        a_refused_url_is_rejected_when_staged_naming_the_field,
    ),
    (
        "outbound_calls_to_callers_carry_a_signature_that_verifies_with_the_dev_secret",
        calls_to_callers_carry_a_signature_that_verifies_with_the_dev_secret,
    ),
    (
        "outbound_the_delivery_log_and_replay_need_the_operator_key",
        the_delivery_log_and_replay_need_the_operator_key,
    ),
];

/// Tests on the Worker started with [`fast_options`].
pub const FAST_TESTS: &[(&str, AppTest)] = &[
    (
        "outbound_a_receiver_failing_three_times_gets_one_delivery_after_four_attempts",
        a_receiver_failing_three_times_gets_one_delivery_after_four_attempts,
    ),
    (
        "outbound_a_receiver_that_always_fails_ends_dead_with_every_attempt_logged",
        a_receiver_that_always_fails_ends_dead_with_every_attempt_logged,
    ),
    (
        "outbound_a_refusal_is_final_at_once_and_a_replay_sends_again",
        a_refusal_is_final_at_once_and_a_replay_sends_again,
    ),
    (
        "outbound_a_slow_receiver_times_out_and_is_retried",
        a_slow_receiver_times_out_and_is_retried,
    ),
    (
        "outbound_deliveries_of_one_order_keep_their_order_under_retries",
        deliveries_of_one_order_keep_their_order_under_retries,
    ),
    (
        "outbound_retry_after_is_honoured_when_longer_than_the_backoff",
        retry_after_is_honoured_when_longer_than_the_backoff,
    ),
    (
        "outbound_a_delivery_gives_up_when_its_next_attempt_would_miss_the_deadline",
        a_delivery_gives_up_when_its_next_attempt_would_miss_the_deadline,
    ),
];

/// Tests that start Workers of their own.
pub const PLAIN_TESTS: &[(&str, PlainTest)] = &[
    (
        "outbound_a_delivery_survives_a_restart_of_wrangler_dev_between_attempts",
        a_delivery_survives_a_restart_of_wrangler_dev_between_attempts,
    ),
    (
        "outbound_production_settings_refuse_loopback_and_hide_the_simulator",
        production_settings_refuse_loopback_and_hide_the_simulator,
    ),
];

/// Our JET Connect key in the fast Worker, given as a `--var` (a secret and a var read the
/// same), so the test does not depend on how old the checkout's `.dev.vars` is.
pub const JET_CONNECT_KEY: &str = "e2e-jet-connect-key";

/// A retry policy short enough for tests: retries after 1 s, 1 to 2 s, 2 to 4 s (a cap of 8 s
/// leaves room for a longer `Retry-After`), four attempts in all, two seconds per attempt.
pub fn fast_options() -> AppOptions {
    AppOptions {
        demo_data: false,
        vars: vars(&[
            ("RETRY_FIRST_DELAY_SECS", "1"),
            ("RETRY_FACTOR", "2"),
            ("RETRY_MAX_DELAY_SECS", "8"),
            ("RETRY_MAX_ATTEMPTS", "4"),
            ("ATTEMPT_TIMEOUT_SECS", "2"),
            // Site pre-orders in 2027, around daylight-saving changes (tests/e2e/tz.rs).
            ("MAX_PREORDER_DAYS", "800"),
            ("JET_CONNECT_API_KEY", JET_CONNECT_KEY),
            (
                "JET_STATUS_BASE_URL",
                &crate::jet_orders::status_sink().base_url,
            ),
        ]),
    }
}

fn vars(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

// ---------------------------------------------------------------------------------------
// Shared Worker

fn a_refused_url_is_rejected_when_staged_naming_the_field(app: &App) {
    let cases = [
        ("http://10.0.0.7/status", "url_private_address"),
        ("https://192.168.1.1/status", "url_private_address"),
        (
            "http://169.254.169.254/latest/meta-data",
            "url_link_local_address",
        ),
        ("http://example.com/status", "url_insecure_scheme"),
        ("https://user:secret@example.com/status", "url_userinfo"),
        ("ftp://example.com/status", "url_unsupported_scheme"),
        ("https://printer.local/status", "url_local_name"),
        ("https://100.64.0.1/status", "url_shared_address"),
        ("https://[fd00::1]/status", "url_unique_local_address"),
        ("/status", "url_not_absolute"),
    ];
    for (url, code) in cases {
        let reply = stage(
            app,
            &json!({"receiver": "site_status", "url": url, "method": "POST",
                    "body": {"status": 10}, "order_id": "refused-1"}),
        );
        assert_eq!(reply.status, 400, "{url}: {}", reply.body);
        let body = reply.json();
        assert_eq!(body["errors"][0]["code"], code, "{url}: {body}");
        assert_eq!(body["errors"][0]["field"], "url", "{url}: {body}");
        assert!(
            body["errors"][0]["message"]
                .as_str()
                .is_some_and(|m| m.len() > 10),
            "{url}: a sentence for people: {body}"
        );
    }

    // Every violation at once, not the first only.
    let reply = stage(
        app,
        &json!({"receiver": "webhook", "url": "http://10.0.0.7/", "method": "BREW",
                "deadline_secs": 0, "order_id": "refused-1"}),
    );
    assert_eq!(reply.status, 400, "{}", reply.body);
    let fields: Vec<String> = reply.json()["errors"]
        .as_array()
        .map(|errors| {
            errors
                .iter()
                .map(|e| e["field"].as_str().unwrap_or("").to_owned())
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(
        fields,
        ["receiver", "url", "method", "deadline_secs"],
        "{}",
        reply.body
    );

    assert!(
        deliveries(app, "refused-1").is_empty(),
        "nothing refused was staged"
    );
}

fn calls_to_callers_carry_a_signature_that_verifies_with_the_dev_secret(app: &App) {
    let sink = Sink::start();
    let mut calls = Vec::new();
    for order in ["sig-1", "sig-2"] {
        let id = staged_id(
            app,
            &json!({"receiver": "site_status", "url": sink.url(&format!("/status?order_id={order}")),
                    "method": "POST", "body": {"order_id": order, "status": 10},
                    "order_id": order}),
        );
        let got = sink.wait_for(calls.len() + 1, SETTLE);
        let call = got
            .into_iter()
            .find(|c| c.header("x-orderbridge-delivery") == Some(id.as_str()))
            .unwrap_or_else(|| panic!("the call of {order} arrived"));
        assert_eq!(call.url, format!("/status?order_id={order}"));
        assert_eq!(
            call.body,
            format!(r#"{{"order_id":"{order}","status":10}}"#)
        );
        assert_eq!(call.header("content-type"), Some("application/json"));
        calls.push((id, call));
    }

    // What a receiver does (README): split, rebuild the signed payload from the request it
    // received (method, its own URL with the query, the delivery header, the raw body),
    // recompute, compare, check the time.
    let verifies = |header: &str, method: &str, url: &str, delivery: &str, body: &str| {
        let parts: Vec<(&str, &str)> = header
            .split(',')
            .filter_map(|p| p.split_once('='))
            .collect();
        let t = parts
            .iter()
            .find(|(k, _)| *k == "t")
            .map(|(_, v)| *v)
            .unwrap_or_else(|| panic!("no t in {header}"));
        let mut mac = Hmac::<Sha256>::new_from_slice(SIGNING_SECRET.as_bytes()).expect("any key");
        mac.update(format!("{t}\n{method}\n{url}\n{delivery}\n").as_bytes());
        mac.update(body.as_bytes());
        let expected: String = mac
            .finalize()
            .into_bytes()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        let t: i64 = t.parse().expect("t is unix seconds");
        assert!((unix_now() - t).abs() < 60, "t is the time of sending: {t}");
        parts.iter().any(|(k, v)| *k == "v1" && *v == expected)
    };
    let header_of = |call: &orderbridge_e2e::Received| {
        call.header("x-orderbridge-signature")
            .unwrap_or_else(|| panic!("no signature header: {:?}", call.headers))
            .to_owned()
    };
    for (id, call) in &calls {
        let header = header_of(call);
        assert_eq!(
            header.matches("v1=").count(),
            1,
            "one secret, one v1 (no rotation configured): {header}"
        );
        assert!(
            verifies(&header, "POST", &sink.url(&call.url), id, &call.body),
            "the signature verifies over the received request: {header}"
        );
        assert!(
            !verifies(&header, "GET", &sink.url(&call.url), id, &call.body),
            "the method is signed: {header}"
        );
    }

    // A genuine signature lifted from one call fails on the other call: its URL (the
    // order in the query), its delivery id, its body, each on its own.
    let ((id1, one), (id2, two)) = (&calls[0], &calls[1]);
    let lifted = header_of(one);
    let (url1, url2) = (sink.url(&one.url), sink.url(&two.url));
    let cases = [
        (
            url2.as_str(),
            id1.as_str(),
            one.body.as_str(),
            "another call's URL",
        ),
        (
            url1.as_str(),
            id2.as_str(),
            one.body.as_str(),
            "another delivery id",
        ),
        (
            url1.as_str(),
            id1.as_str(),
            two.body.as_str(),
            "another body",
        ),
        (
            url2.as_str(),
            id2.as_str(),
            two.body.as_str(),
            "the other call as it was",
        ),
    ];
    for (url, delivery, body, why) in cases {
        assert!(
            !verifies(&lifted, "POST", url, delivery, body),
            "{why}: a signature from one call must fail on another"
        );
    }

    // A different secret does not verify: the header is bound to the secret.
    let t = lifted
        .split(',')
        .find_map(|p| p.strip_prefix("t="))
        .expect("t");
    let mut wrong = Hmac::<Sha256>::new_from_slice(b"another-secret").expect("any key");
    wrong.update(format!("{t}\nPOST\n{url1}\n{id1}\n{}", one.body).as_bytes());
    let wrong: String = wrong
        .finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert!(!lifted.contains(&wrong));

    let log = settled(app, "sig-1", 1);
    assert_eq!(log[0]["status"], "delivered", "{log:?}");
}

fn the_delivery_log_and_replay_need_the_operator_key(app: &App) {
    for key in [None, Some("wrong-key")] {
        let headers: Vec<(&str, &str)> = key.map(|k| ("X-Flyt-Api-Key", k)).into_iter().collect();
        let list = request("GET", &app.url("/admin/deliveries"), &headers, None).expect("answer");
        assert_eq!(list.status, 401, "{key:?}: {}", list.body);
        let replay = request(
            "POST",
            &app.url("/admin/deliveries/dl_x/replay"),
            &headers,
            None,
        )
        .expect("answer");
        assert_eq!(replay.status, 401, "{key:?}: {}", replay.body);
    }
    let bad_status = operator(app, "GET", "/admin/deliveries?status=lost");
    assert_eq!(bad_status.status, 400, "{}", bad_status.body);
    assert_eq!(bad_status.json()["errors"][0]["field"], "status");
    let unknown = operator(app, "POST", "/admin/deliveries/dl_unknown/replay");
    assert_eq!(unknown.status, 404, "{}", unknown.body);
    let all = operator(app, "GET", "/admin/deliveries?order_id=&status=");
    assert_eq!(all.status, 200, "{}", all.body);
    assert!(all.json()["deliveries"].is_array());
}

// ---------------------------------------------------------------------------------------
// Worker with the fast retry policy

fn a_receiver_failing_three_times_gets_one_delivery_after_four_attempts(app: &App) {
    let sink = Sink::start();
    sink.fail_next(3, 503);
    staged_id(
        app,
        &json!({"receiver": "menu_callback", "url": sink.url("/menus/callback"),
                "method": "POST", "body": {"ingestion_succeeded": true},
                "order_id": "flaky-1"}),
    );
    let log = settled(app, "flaky-1", 1);
    let delivery = &log[0];
    assert_eq!(delivery["status"], "delivered", "{delivery}");
    assert_eq!(delivery["last_error"], Value::Null, "{delivery}");
    let attempts = attempts_of(delivery);
    assert_eq!(
        attempts
            .iter()
            .map(|a| a["status_code"].as_i64().unwrap_or(0))
            .collect::<Vec<_>>(),
        [503, 503, 503, 200],
        "{delivery}"
    );
    assert_eq!(
        attempts
            .iter()
            .map(|a| a["verdict"].clone())
            .collect::<Vec<_>>(),
        ["retry", "retry", "retry", "delivered"]
    );
    for attempt in &attempts {
        assert!(attempt["at"].is_string(), "{attempt}");
        assert!(attempt["latency_ms"].is_i64(), "{attempt}");
    }
    assert_eq!(attempts[0]["error"], r#"HTTP 503: {}"#, "{delivery}");

    // Exactly one successful delivery reached the receiver, and nothing more comes.
    thread::sleep(Duration::from_secs(3));
    let answered: Vec<u16> = sink.received().iter().map(|r| r.answered).collect();
    assert_eq!(answered, [503, 503, 503, 200]);
}

fn a_receiver_that_always_fails_ends_dead_with_every_attempt_logged(app: &App) {
    let sink = Sink::start();
    sink.respond_with(503);
    staged_id(
        app,
        &json!({"receiver": "site_status", "url": sink.url("/status"), "method": "POST",
                "body": {"status": 10}, "order_id": "down-1"}),
    );
    let log = settled(app, "down-1", 1);
    let delivery = &log[0];
    assert_eq!(delivery["status"], "dead", "{delivery}");
    assert_eq!(delivery["next_attempt_at"], Value::Null, "{delivery}");
    let attempts = attempts_of(delivery);
    assert_eq!(attempts.len(), 4, "every attempt is logged: {delivery}");
    for (i, attempt) in attempts.iter().enumerate() {
        assert_eq!(attempt["number"], i + 1, "{attempt}");
        assert_eq!(attempt["status_code"], 503, "{attempt}");
        assert_eq!(attempt["verdict"], "retry", "{attempt}");
        assert!(attempt["error"].is_string(), "{attempt}");
    }
    let last_error = delivery["last_error"].as_str().unwrap_or_default();
    assert!(
        last_error.contains("HTTP 503") && last_error.contains("gave up after 4 attempts"),
        "{last_error}"
    );
    assert_eq!(sink.received().len(), 4);

    // Still dead when someone looks later; nothing was deleted.
    let dead = operator(app, "GET", "/admin/deliveries?order_id=down-1&status=dead");
    assert_eq!(dead.json()["deliveries"].as_array().map(Vec::len), Some(1));
}

fn a_refusal_is_final_at_once_and_a_replay_sends_again(app: &App) {
    let sink = Sink::start();
    sink.respond_with(410);
    let id = staged_id(
        app,
        &json!({"receiver": "site_status", "url": sink.url("/gone"), "method": "PUT",
                "body": {"status": 10}, "order_id": "gone-1"}),
    );
    let log = settled(app, "gone-1", 1);
    assert_eq!(log[0]["status"], "dead", "{}", log[0]);
    let attempts = attempts_of(&log[0]);
    assert_eq!(attempts.len(), 1, "a 4xx is not retried: {}", log[0]);
    assert_eq!(attempts[0]["verdict"], "permanent_failure");
    assert_eq!(sink.received()[0].method, "PUT");

    // The receiver is fixed; the operator sends it again.
    sink.respond_with(200);
    let replay = operator(app, "POST", &format!("/admin/deliveries/{id}/replay"));
    assert_eq!(replay.status, 202, "{}", replay.body);
    assert_eq!(
        replay.json(),
        json!({"id": id, "status": "pending", "replayed_from": "dead"})
    );
    let log = settled(app, "gone-1", 1);
    assert_eq!(log[0]["status"], "delivered", "{}", log[0]);
    let attempts = attempts_of(&log[0]);
    assert_eq!(
        attempts
            .iter()
            .map(|a| a["verdict"].clone())
            .collect::<Vec<_>>(),
        ["permanent_failure", "delivered"],
        "the earlier attempt stays in the log"
    );
    assert_eq!(sink.received().len(), 2);

    // A delivered one may be sent again too, with a fresh round of attempts; while that
    // round runs, the delivery is pending and a second replay is refused.
    sink.respond_with(503);
    let again = operator(app, "POST", &format!("/admin/deliveries/{id}/replay"));
    assert_eq!(again.status, 202, "{}", again.body);
    assert_eq!(again.json()["replayed_from"], "delivered");
    let pending = operator(app, "POST", &format!("/admin/deliveries/{id}/replay"));
    assert_eq!(pending.status, 409, "{}", pending.body);
    assert_eq!(pending.json()["errors"][0]["code"], "delivery_pending");
    let log = settled(app, "gone-1", 1);
    assert_eq!(log[0]["status"], "dead", "{}", log[0]);
    assert_eq!(
        attempts_of(&log[0]).len(),
        6,
        "1 refused, 1 delivered, then a full round of 4: {}",
        log[0]
    );
}

fn a_slow_receiver_times_out_and_is_retried(app: &App) {
    let sink = Sink::start();
    sink.delay(Duration::from_secs(5));
    staged_id(
        app,
        &json!({"receiver": "site_status", "url": sink.url("/slow"), "method": "POST",
                "body": {"status": 10}, "order_id": "slow-1"}),
    );
    let first = sink.wait_for(1, SETTLE);
    assert_eq!(first.len(), 1, "the first attempt arrived");
    sink.delay(Duration::ZERO);
    let log = settled(app, "slow-1", 1);
    let delivery = &log[0];
    assert_eq!(delivery["status"], "delivered", "{delivery}");
    let attempts = attempts_of(delivery);
    assert_eq!(attempts.len(), 2, "{delivery}");
    assert_eq!(attempts[0]["status_code"], Value::Null, "{delivery}");
    assert_eq!(attempts[0]["verdict"], "retry");
    assert_eq!(attempts[0]["error"], "no answer within 2 s", "{delivery}");
    let waited = attempts[0]["latency_ms"].as_i64().unwrap_or(0);
    assert!(
        (2000..4500).contains(&waited),
        "abandoned at the 2 s timeout, not at the receiver's 5 s: {waited} ms"
    );
    assert_eq!(attempts[1]["status_code"], 200);
}

fn deliveries_of_one_order_keep_their_order_under_retries(app: &App) {
    let sink = Sink::start();
    sink.fail_next(2, 503);
    for status in [10, 20, 30] {
        staged_id(
            app,
            &json!({"receiver": "site_status",
                    "url": sink.url(&format!("/status?status={status}")),
                    "method": "POST", "body": {"status": status}, "order_id": "ordered-1"}),
        );
    }
    let log = settled(app, "ordered-1", 3);
    for delivery in &log {
        assert_eq!(delivery["status"], "delivered", "{delivery}");
    }
    let seen: Vec<(String, u16)> = sink
        .received()
        .iter()
        .map(|r| (r.url.clone(), r.answered))
        .collect();
    let want: Vec<(String, u16)> = [(10, 503), (10, 503), (10, 200), (20, 200), (30, 200)]
        .iter()
        .map(|(s, code)| (format!("/status?status={s}"), *code))
        .collect();
    assert_eq!(seen, want, "status 20 never before 10 is delivered");
}

fn retry_after_is_honoured_when_longer_than_the_backoff(app: &App) {
    let sink = Sink::start();
    sink.fail_next(1, 429);
    // The backoff alone retries after 1 s; Retry-After asks for 4 s.
    sink.retry_after("4");
    staged_id(
        app,
        &json!({"receiver": "jet_relay", "url": sink.url("/availability"), "method": "PUT",
                "body": {"available": false}, "order_id": "rate-1"}),
    );
    let log = settled(app, "rate-1", 1);
    assert_eq!(log[0]["status"], "delivered", "{}", log[0]);
    let got = sink.received();
    assert_eq!(got.len(), 2);
    // The local queue may add up to its 1 s batch wait: 1 to 2 s without Retry-After, 4 to
    // 5 s with it.
    let waited = got[1].at.duration_since(got[0].at);
    assert!(
        waited >= Duration::from_millis(3500),
        "the retry waited for Retry-After: {waited:?}"
    );
    // A JET Connect call carries our JET Connect key, not the hub's signature.
    assert_eq!(got[0].header("x-flyt-api-key"), Some(JET_CONNECT_KEY));
    assert_eq!(got[0].header("x-orderbridge-signature"), None);
}

fn a_delivery_gives_up_when_its_next_attempt_would_miss_the_deadline(app: &App) {
    let sink = Sink::start();
    sink.respond_with(500);
    staged_id(
        app,
        &json!({"receiver": "jet_sent_to_pos", "url": sink.url("/order/1/sent-to-pos-success"),
                "method": "POST", "body": {}, "order_id": "window-1", "deadline_secs": 2}),
    );
    let log = settled(app, "window-1", 1);
    let delivery = &log[0];
    assert_eq!(delivery["status"], "dead", "{delivery}");
    assert!(delivery["deadline"].is_string(), "{delivery}");
    let attempts = attempts_of(delivery);
    assert!(
        (1..4).contains(&attempts.len()),
        "fewer attempts than the policy allows: {delivery}"
    );
    // Either the backoff saw that the next attempt would start too late ("gave up: ... after
    // the deadline"), or the attempt came due after the deadline ("deadline passed"): both
    // are the deadline at work, which one depends on where in a second the delivery began.
    let last_error = delivery["last_error"].as_str().unwrap_or_default();
    assert!(
        last_error.contains("after the deadline") || last_error.contains("deadline passed"),
        "{last_error}"
    );
}

// ---------------------------------------------------------------------------------------
// Own Worker

fn a_delivery_survives_a_restart_of_wrangler_dev_between_attempts() {
    // The first retry comes 5 to 10 s after the first attempt: time to stop wrangler first.
    let mut app = App::spawn(AppOptions {
        demo_data: false,
        vars: vars(&[
            ("RETRY_FIRST_DELAY_SECS", "10"),
            ("ATTEMPT_TIMEOUT_SECS", "2"),
        ]),
    });
    let sink = Sink::start();
    sink.fail_next(1, 503);
    staged_id(
        &app,
        &json!({"receiver": "site_status", "url": sink.url("/status"), "method": "POST",
                "body": {"status": 10}, "order_id": "restart-1"}),
    );
    assert_eq!(
        sink.wait_for(1, SETTLE).len(),
        1,
        "the first attempt arrived"
    );
    app.stop();
    assert_eq!(
        sink.received().len(),
        1,
        "wrangler stopped before the retry (else this test proves nothing)"
    );

    app.start();
    let log = deliveries(&app, "restart-1");
    assert_eq!(log[0]["status"], "pending", "{}", log[0]);
    assert_eq!(attempts_of(&log[0]).len(), 1, "{}", log[0]);
    // Wait until the retry is due, and a little more: the local queue kept its message in
    // memory only, so nothing comes by itself (this is why the sweep exists).
    let due = chrono_secs(&log[0]["next_attempt_at"]);
    while unix_now() <= due + 2 {
        thread::sleep(Duration::from_millis(200));
    }
    assert_eq!(
        sink.received().len(),
        1,
        "no retry without the sweep after a restart: did the local queue start keeping \
         messages? Then revisit ARCHITECTURE.md, 'Outbound deliveries'"
    );

    app.trigger_scheduled(); // a cron tick
    let log = settled(&app, "restart-1", 1);
    assert_eq!(log[0]["status"], "delivered", "{}", log[0]);
    let answered: Vec<u16> = sink.received().iter().map(|r| r.answered).collect();
    assert_eq!(answered, [503, 200], "one retry, after the restart");
}

fn production_settings_refuse_loopback_and_hide_the_simulator() {
    // The production values of wrangler.toml's top level, except the simulator at first.
    let mut app = App::spawn(AppOptions {
        demo_data: false,
        vars: vars(&[("ALLOW_LOOPBACK_CALLBACKS", "off"), ("SIMULATOR", "on")]),
    });
    let sink = Sink::start();
    for (url, code) in [
        (sink.url("/status"), "url_loopback"),
        ("https://127.0.0.1/status".to_owned(), "url_loopback"),
        ("https://[::1]/status".to_owned(), "url_loopback"),
        (
            "http://example.com/status".to_owned(),
            "url_insecure_scheme",
        ),
        (
            "https://example.com:8443/status".to_owned(),
            "url_non_default_port",
        ),
    ] {
        let reply = stage(
            &app,
            &json!({"receiver": "site_status", "url": url, "method": "POST",
                    "body": {"status": 10}, "order_id": "prod-1"}),
        );
        assert_eq!(reply.status, 400, "{url}: {}", reply.body);
        assert_eq!(
            reply.json()["errors"][0]["code"],
            code,
            "{url}: {}",
            reply.body
        );
    }
    assert!(deliveries(&app, "prod-1").is_empty());

    app.stop();
    app.set_var("SIMULATOR", "off");
    app.start();
    let reply = stage(
        &app,
        &json!({"receiver": "site_status", "url": "https://example.com/status",
                "method": "POST", "body": {}}),
    );
    assert_eq!(
        reply.status, 404,
        "no simulator in production: {}",
        reply.body
    );
    assert!(sink.received().is_empty());
}

// ---------------------------------------------------------------------------------------
// Helpers

fn stage(app: &App, delivery: &Value) -> Reply {
    request(
        "POST",
        &app.url("/sim/outbound"),
        &[("Content-Type", "application/json")],
        Some(delivery.to_string().as_bytes()),
    )
    .expect("answer")
}

/// Stages a delivery that must be accepted, and returns its id.
fn staged_id(app: &App, delivery: &Value) -> String {
    let reply = stage(app, delivery);
    assert_eq!(reply.status, 202, "{}", reply.body);
    let body = reply.json();
    body["id"]
        .as_str()
        .unwrap_or_else(|| panic!("no id: {body}"))
        .to_owned()
}

fn operator(app: &App, method: &str, path: &str) -> Reply {
    request(
        method,
        &app.url(path),
        &[("X-Flyt-Api-Key", OPERATOR_KEY)],
        None,
    )
    .expect("answer")
}

/// The delivery log of one order, oldest first.
fn deliveries(app: &App, order_id: &str) -> Vec<Value> {
    let reply = operator(
        app,
        "GET",
        &format!("/admin/deliveries?order_id={order_id}"),
    );
    assert_eq!(reply.status, 200, "{}", reply.body);
    reply.json()["deliveries"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

/// Waits until the order has `n` deliveries and none is pending, and returns the log.
fn settled(app: &App, order_id: &str, n: usize) -> Vec<Value> {
    let until = Instant::now() + SETTLE;
    loop {
        let log = deliveries(app, order_id);
        if log.len() == n && log.iter().all(|d| d["status"] != "pending") {
            return log;
        }
        assert!(
            Instant::now() < until,
            "order {order_id} did not settle in {SETTLE:?}: {log:#?}\n{}",
            tail(&app.log())
        );
        thread::sleep(Duration::from_millis(250));
    }
}

fn attempts_of(delivery: &Value) -> Vec<Value> {
    delivery["attempts"].as_array().cloned().unwrap_or_default()
}

fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// `2026-11-25T10:00:00Z` as unix seconds (the log's times are UTC, whole seconds).
fn chrono_secs(value: &Value) -> i64 {
    let text = value
        .as_str()
        .unwrap_or_else(|| panic!("not a time: {value}"));
    let number = |from: usize, to: usize| -> i64 {
        text.get(from..to)
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| panic!("not a time: {text}"))
    };
    let (year, month, day) = (number(0, 4), number(5, 7), number(8, 10));
    let (hour, minute, second) = (number(11, 13), number(14, 16), number(17, 19));
    // Days from 1970-01-01 to the date (proleptic Gregorian calendar).
    let (y, m) = if month <= 2 {
        (year - 1, month + 9)
    } else {
        (year, month - 3)
    };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * m + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    days * 86_400 + hour * 3600 + minute * 60 + second
}

fn tail(log: &str) -> String {
    let lines: Vec<&str> = log.lines().collect();
    lines[lines.len().saturating_sub(30)..].join("\n")
}
