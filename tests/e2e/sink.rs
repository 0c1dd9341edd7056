//! The sink is a test tool that later suites rely on, so it is tested on its own.

use std::time::{Duration, Instant};

use orderbridge_e2e::{request, Sink};

use crate::PlainTest;

pub const TESTS: &[(&str, PlainTest)] = &[
    (
        "sink_records_every_request_in_order",
        sink_records_every_request_in_order,
    ),
    (
        "sink_fails_the_first_n_requests_then_succeeds",
        sink_fails_the_first_n_requests_then_succeeds,
    ),
    (
        "sink_answers_with_the_status_it_is_told",
        sink_answers_with_the_status_it_is_told,
    ),
    ("sink_delays_its_answers", sink_delays_its_answers),
    (
        "sink_sends_retry_after_with_failures_only",
        sink_sends_retry_after_with_failures_only,
    ),
];

fn sink_records_every_request_in_order() {
    let sink = Sink::start();
    for i in 0..3 {
        let url = sink.url(&format!("/status?order_id=7&status={i}"));
        let reply =
            request("POST", &url, &[("X-Test", "yes")], Some(b"{\"n\":1}")).expect("answer");
        assert_eq!(reply.status, 200);
    }
    let got = sink.received();
    assert_eq!(got.len(), 3);
    assert_eq!(got[2].url, "/status?order_id=7&status=2");
    assert_eq!(got[0].method, "POST");
    assert_eq!(got[0].body, "{\"n\":1}");
    assert_eq!(got[0].header("x-test"), Some("yes"));
}

fn sink_fails_the_first_n_requests_then_succeeds() {
    let sink = Sink::start();
    sink.fail_next(3, 503);
    let statuses: Vec<u16> = (0..5)
        .map(|_| {
            request("GET", &sink.url("/x"), &[], None)
                .expect("answer")
                .status
        })
        .collect();
    assert_eq!(statuses, vec![503, 503, 503, 200, 200]);
    let answered: Vec<u16> = sink.received().iter().map(|r| r.answered).collect();
    assert_eq!(answered, statuses);
}

fn sink_answers_with_the_status_it_is_told() {
    let sink = Sink::start();
    sink.respond_with(410);
    assert_eq!(
        request("GET", &sink.url("/x"), &[], None)
            .expect("answer")
            .status,
        410
    );
}

fn sink_delays_its_answers() {
    let sink = Sink::start();
    sink.delay(Duration::from_millis(400));
    let started = Instant::now();
    request("GET", &sink.url("/x"), &[], None).expect("answer");
    assert!(started.elapsed() >= Duration::from_millis(400));
    assert_eq!(sink.wait_for(1, Duration::from_secs(1)).len(), 1);
}

fn sink_sends_retry_after_with_failures_only() {
    let sink = Sink::start();
    sink.fail_next(1, 429);
    sink.retry_after("3");
    let failed = request("GET", &sink.url("/x"), &[], None).expect("answer");
    assert_eq!(failed.status, 429);
    assert_eq!(failed.header("retry-after"), Some("3"));
    let ok = request("GET", &sink.url("/x"), &[], None).expect("answer");
    assert_eq!(ok.status, 200);
    assert_eq!(ok.header("retry-after"), None);
}
