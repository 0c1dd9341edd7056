//! Reconciliation with Just Eat (issue 18): read JET Connect's order reports for the last
//! day (`GET /brands/{JET_BRAND_SLUG}/orders` when the variable is set, and
//! `GET /locations/{id}/orders` for each restaurant's `jet_location_id`), through the one
//! HTTP client and the URL guard, compare them with the hub's JET orders (core's
//! `jet::reconcile`), and record the run and its findings (`migrations/0022`). The minute
//! cron calls [`hourly`] (a run at most once per [`INTERVAL_SECS`]); the operator's
//! `POST /admin/jet/reconciliation` calls [`run`] at once. Reads are not deliveries: they
//! are not staged in the outbox, but they use its client, its URL policy and
//! `X-Flyt-Api-Key` (`JET_CONNECT_API_KEY`), as JET Connect's reporting API asks.

use std::time::Duration;

use chrono::{DateTime, Utc};
use orderbridge_core::jet::reconcile::{self, OurOrder, TheirOrder};
use orderbridge_core::outbound::url_guard::{check_outbound_url, encode_component};
use worker::{Env, Headers, Method};

use crate::clock;
use crate::config::{secret, secrets, Config};
use crate::error::EdgeError;
use crate::http_client::{self, Call, Read};
use crate::random;
use crate::storage::{millis, parse_instant, RunWrite, Storage};

/// At most one scheduled run per hour.
pub const INTERVAL_SECS: i64 = 3600;
/// The window read: the last day.
pub const WINDOW_SECS: i64 = 86_400;
/// JET Connect's reporting host (FACTS §1), unless `JET_REPORTING_URL` says otherwise.
pub const JET_REPORTING_URL: &str = "https://order-reporting-connector.flyt-platform.com";
const PAGE_SIZE: usize = 50;
const MAX_PAGES: usize = 20;
const TIMEOUT: Duration = Duration::from_secs(20);
const LIMIT: usize = 4 * 1024 * 1024;

/// What a run did.
pub struct Outcome {
    pub id: String,
    pub findings: usize,
    pub error: Option<String>,
}

/// The minute cron's hook: runs when the last run is an hour old (or there is none) and
/// there is something to read.
pub async fn hourly(env: &Env) {
    let now = clock::now();
    let due = async {
        let storage = Storage::new(env)?;
        let last = storage.latest_reconciliation().await?;
        let due = match last {
            Some(r) => parse_instant(&r.ran_at)?.timestamp() + INTERVAL_SECS <= now.timestamp(),
            None => true,
        };
        Ok::<bool, EdgeError>(due)
    };
    match due.await {
        Ok(true) => match run(env, now).await {
            Ok(o) => worker::console_log!(
                "reconciliation {}: {} findings{}",
                o.id,
                o.findings,
                o.error
                    .map(|e| format!(", unread: {e}"))
                    .unwrap_or_default()
            ),
            Err(EdgeError::Conflict { .. }) => {}
            Err(err) => worker::console_error!("reconciliation failed: {err:?}"),
        },
        Ok(false) => {}
        Err(err) => worker::console_error!("reconciliation check failed: {err:?}"),
    }
}

/// One run now: every list read (a list that cannot be read is recorded as the run's
/// error, the others still compared), the findings stored. `409` when nothing is
/// configured to read.
pub async fn run(env: &Env, now: DateTime<Utc>) -> Result<Outcome, EdgeError> {
    let config = Config::from_env(env);
    let storage = Storage::new(env)?;
    let var = |name: &str| env.var(name).map(|v| v.to_string()).unwrap_or_default();
    let base = Some(var("JET_REPORTING_URL"))
        .map(|u| u.trim().trim_end_matches('/').to_owned())
        .filter(|u| !u.is_empty())
        .unwrap_or_else(|| JET_REPORTING_URL.to_owned());
    let mut sources = Vec::new();
    let slug = var("JET_BRAND_SLUG");
    if !slug.trim().is_empty() {
        sources.push(format!("/brands/{}/orders", encode_component(slug.trim())));
    }
    for l in storage.jet_location_ids().await? {
        sources.push(format!("/locations/{}/orders", encode_component(&l)));
    }
    if sources.is_empty() {
        return Err(EdgeError::Conflict {
            code: "nothing_to_reconcile",
            summary: "set JET_BRAND_SLUG or a restaurant's jet_location_id to read Just Eat's order lists".to_owned(),
            violations: vec![],
        });
    }
    let key = secret(env, secrets::JET_CONNECT_API_KEY)?;
    let from = now - chrono::Duration::seconds(WINDOW_SECS);
    let (from_at, to_at) = (rfc3339(from), rfc3339(now));
    let mut theirs: Vec<TheirOrder> = Vec::new();
    let mut errors: Vec<String> = Vec::new();
    for source in &sources {
        for page in 1..=MAX_PAGES {
            let url = format!(
                "{base}{source}?from={}&to={}&status=all&page={page}",
                encode_component(&from_at),
                encode_component(&to_at)
            );
            match read_page(&url, &key, &config).await {
                Ok(orders) => {
                    let n = orders.len();
                    theirs.extend(orders);
                    if n < PAGE_SIZE {
                        break;
                    }
                }
                Err(why) => {
                    errors.push(format!("{source}: {why}"));
                    break;
                }
            }
        }
    }
    // The hub's orders from a little before the window (an order placed just before it
    // may be listed by Just Eat).
    let since = millis(from - chrono::Duration::seconds(WINDOW_SECS));
    let ours: Vec<OurOrder> = storage
        .jet_outcomes_since(&since)
        .await?
        .into_iter()
        .map(|r| OurOrder {
            id: r.id,
            reported_success: r.outcome.as_deref().map(|o| o == "success"),
        })
        .collect();
    let findings = reconcile::compare(&theirs, &ours);
    let id = random::id("rc_")?;
    let error = (!errors.is_empty()).then(|| errors.join("; "));
    let sources_json = serde_json::Value::from(sources.clone()).to_string();
    let ran_at = millis(now);
    let run = RunWrite {
        id: &id,
        ran_at: &ran_at,
        from_at: &from_at,
        to_at: &to_at,
        sources: &sources_json,
        checked: i64::try_from(theirs.len()).unwrap_or(i64::MAX),
        error: error.as_deref(),
    };
    storage
        .commit(storage.record_reconciliation(&run, &findings)?)
        .await?;
    Ok(Outcome {
        id,
        findings: findings.len(),
        error,
    })
}

fn rfc3339(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// One page, through the URL guard and the one client; never a redirect.
async fn read_page(url: &str, key: &str, config: &Config) -> Result<Vec<TheirOrder>, String> {
    let url = check_outbound_url(url, &config.url_policy()).map_err(|r| format!("refused: {r}"))?;
    let headers = Headers::new();
    headers
        .set("X-Flyt-Api-Key", key)
        .and_then(|()| headers.set("Accept", "application/json"))
        .map_err(|e| e.to_string())?;
    let call = Call {
        url: url.as_str(),
        method: Method::Get,
        headers,
        body: None,
    };
    let read = |status: u16| match status {
        200..=299 => Read::Whole(LIMIT),
        _ => Read::Nothing,
    };
    let answer = http_client::fetch(call, TIMEOUT, read)
        .await
        .map_err(|f| f.to_string())?;
    if !(200..300).contains(&answer.status) {
        return Err(format!("answered {}", answer.status));
    }
    let body: serde_json::Value =
        serde_json::from_slice(&answer.body).map_err(|e| format!("not JSON: {e}"))?;
    reconcile::parse_page(&body).ok_or_else(|| "no order list in the answer".to_owned())
}
