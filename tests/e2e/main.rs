//! The end-to-end suite: one `wrangler dev` with the demo data for the whole run (tests use
//! their own ids, so they may run in parallel), one with a short outbound retry policy for
//! the retry tests, plus instances of their own for tests that need a restart. Run with
//! `make test` (or `make test-e2e`).

mod archive;
mod catalog;
mod clients;
mod conform;
mod conformance;
mod console_auth;
mod console_reads;
mod foundation;
mod jecall;
mod jecall_reconcile;
mod jedriver;
mod jeinject;
mod jelife;
mod jeorder;
mod jequery;
mod jesim;
mod jestatus;
mod jet_orders;
mod openapi;
mod orderconnect;
mod orders;
mod outbound;
mod owners;
mod readback;
mod scale_rows;
mod sink;
mod tz;
mod zindex;

use std::sync::{Arc, RwLock};
use std::thread;

use libtest_mimic::{Arguments, Failed, Trial};
use orderbridge_e2e::{clean_old_states, repo_root, App, AppOptions};

/// A test that talks to the shared Worker.
pub type AppTest = fn(&App);
/// A test that needs no shared Worker (the harness's own pieces, or one that starts its own).
pub type PlainTest = fn();

/// Tests that reach the shared Worker's D1 from outside (`App::d1` runs `wrangler d1
/// execute`, a second process on the same SQLite file). Meanwhile the Worker's own queries
/// can fail locally with `SQLITE_BUSY` (seen as a 503), so these run while no other test
/// uses the shared Worker.
const OUT_OF_PROCESS_D1: &[&str] = &[
    "the_demo_catalog_is_in_local_d1",
    "catalog_a_cache_hit_reads_no_d1_and_a_write_invalidates_it",
];
static SHARED_D1: RwLock<()> = RwLock::new(());

fn main() {
    let args = Arguments::from_args();
    clean_old_states(&repo_root());

    let app_tests: Vec<(&str, AppTest)> = [
        foundation::TESTS,
        catalog::TESTS,
        outbound::TESTS,
        orders::TESTS,
        clients::TESTS,
        console_auth::TESTS,
        orderconnect::TESTS,
        jelife::TESTS,
        jeorder::TESTS,
        jedriver::TESTS,
        jequery::TESTS,
        jestatus::TESTS,
        jet_orders::TESTS,
        jesim::TESTS,
        readback::TESTS,
        openapi::TESTS,
    ]
    .concat();
    let fast_tests: Vec<(&str, AppTest)> = [
        outbound::FAST_TESTS,
        catalog::FAST_TESTS,
        orders::FAST_TESTS,
        jet_orders::FAST_TESTS,
        tz::FAST_TESTS,
        owners::FAST_TESTS,
        console_reads::FAST_TESTS,
    ]
    .concat();
    let plain_tests: Vec<(&str, PlainTest)> = [
        sink::TESTS,
        catalog::PLAIN_TESTS,
        zindex::PLAIN_TESTS,
        outbound::PLAIN_TESTS,
        orders::PLAIN_TESTS,
        orderconnect::PLAIN_TESTS,
        jecall::PLAIN_TESTS,
        jecall_reconcile::PLAIN_TESTS,
        jedriver::PLAIN_TESTS,
        jequery::PLAIN_TESTS,
        jeinject::PLAIN_TESTS,
        jet_orders::PLAIN_TESTS,
        jesim::PLAIN_TESTS,
        readback::PLAIN_TESTS,
        openapi::PLAIN_TESTS,
        owners::PLAIN_TESTS,
        scale_rows::PLAIN_TESTS,
        archive::PLAIN_TESTS,
    ]
    .concat();

    // Start a Worker only when a selected test needs it (`make test-e2e ARGS=sink_` etc.);
    // the two start side by side.
    let selected = |tests: &[(&str, AppTest)]| {
        tests
            .iter()
            .any(|(name, _)| args.filter.as_deref().is_none_or(|f| name.contains(f)))
    };
    let corpus = conformance::cases();
    let corpus_selected = corpus
        .iter()
        .any(|(name, _)| args.filter.as_deref().is_none_or(|f| name.contains(f)));
    let (needs_app, needs_fast) = (
        selected(&app_tests),
        selected(&fast_tests) || corpus_selected,
    );
    let (app, fast_app) = thread::scope(|scope| {
        let app = scope.spawn(|| needs_app.then(|| Arc::new(App::spawn(AppOptions::default()))));
        let fast =
            scope.spawn(|| needs_fast.then(|| Arc::new(App::spawn(outbound::fast_options()))));
        let joined = |handle: thread::ScopedJoinHandle<'_, Option<Arc<App>>>| {
            handle
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
        };
        (joined(app), joined(fast))
    });

    let mut trials: Vec<Trial> = Vec::new();
    for (name, test) in app_tests {
        let app = app.clone();
        let alone = OUT_OF_PROCESS_D1.contains(&name);
        trials.push(Trial::test(name, move || {
            let app = app.ok_or_else(|| Failed::from("the Worker was not started"))?;
            if alone {
                let _alone = SHARED_D1.write().unwrap_or_else(|p| p.into_inner());
                test(&app);
            } else {
                let _shared = SHARED_D1.read().unwrap_or_else(|p| p.into_inner());
                test(&app);
            }
            Ok(())
        }));
    }
    for (name, test) in fast_tests {
        let app = fast_app.clone();
        trials.push(Trial::test(name, move || {
            let app = app.ok_or_else(|| Failed::from("the Worker was not started"))?;
            test(&app);
            Ok(())
        }));
    }
    // The conformance corpus, one trial per case, on the fast Worker (its JET Connect
    // outcome calls reach `jet_orders::status_sink`).
    trials.extend(conformance::trials(fast_app.clone()));
    for (name, test) in plain_tests {
        trials.push(Trial::test(name, move || {
            test();
            Ok(())
        }));
    }

    let conclusion = libtest_mimic::run(&args, trials);
    drop(app);
    drop(fast_app);
    conclusion.exit();
}
