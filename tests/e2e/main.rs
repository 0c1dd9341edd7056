//! The end-to-end suite: one `wrangler dev` with the demo data for the whole run (tests use
//! their own ids, so they may run in parallel), plus instances of their own for tests that
//! need special configuration or a restart. Run with `make test` (or `make test-e2e`).

mod catalog;
mod foundation;
mod sink;

use std::sync::Arc;

use libtest_mimic::{Arguments, Failed, Trial};
use orderbridge_e2e::{clean_old_states, repo_root, App, AppOptions};

/// A test that talks to the shared Worker.
pub type AppTest = fn(&App);
/// A test that needs no Worker (the harness's own pieces).
pub type PlainTest = fn();

fn main() {
    let args = Arguments::from_args();
    clean_old_states(&repo_root());

    let app_tests: Vec<(&str, AppTest)> = [foundation::TESTS, catalog::TESTS].concat();
    let plain_tests: Vec<(&str, PlainTest)> = [sink::TESTS, catalog::PLAIN_TESTS].concat();

    // Start the Worker only when a selected test needs it (`make test-e2e ARGS=sink_` etc.).
    let needs_app = app_tests
        .iter()
        .any(|(name, _)| args.filter.as_deref().is_none_or(|f| name.contains(f)));
    let app = needs_app.then(|| Arc::new(App::spawn(AppOptions::default())));

    let mut trials: Vec<Trial> = Vec::new();
    for (name, test) in app_tests {
        let app = app.clone();
        trials.push(Trial::test(name, move || {
            let app = app.ok_or_else(|| Failed::from("the Worker was not started"))?;
            test(&app);
            Ok(())
        }));
    }
    for (name, test) in plain_tests {
        trials.push(Trial::test(name, move || {
            test();
            Ok(())
        }));
    }

    let conclusion = libtest_mimic::run(&args, trials);
    drop(app);
    conclusion.exit();
}
