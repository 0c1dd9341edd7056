//! The Worker's configuration: variables from `wrangler.toml` and secrets, read once per
//! request into plain values so handlers never touch `Env` for settings.

use orderbridge_core::outbound::backoff::RetryPolicy;
use orderbridge_core::outbound::url_guard::UrlPolicy;
use worker::Env;

use crate::error::EdgeError;

/// Settings from `[vars]` (production) or `[env.dev.vars]` (development).
#[derive(Debug, Clone)]
pub struct Config {
    /// `production` or `development`.
    #[allow(dead_code)] // shown by nothing yet; kept for logs and the health check
    pub environment: String,
    /// Lets callbacks go to loopback addresses (development and tests only).
    pub allow_loopback_callbacks: bool,
    /// Serves the local Just Eat simulator under `/sim/jet` (development only; built only
    /// with the `simulator` feature).
    #[cfg(feature = "simulator")]
    pub simulator: bool,
    /// Origins allowed to call the site API from a browser.
    pub cors_origins: Vec<String>,
    /// The upstream Jupiter site API (`JUPITER_API_URL`, e.g.
    /// `https://jupiter.report/site-api`); without it the hub is the system of record.
    pub jupiter_api_url: Option<String>,
    /// Just Eat's partner API (`JUST_EAT_API_URL`, e.g. `https://uk.api.just-eat.io`),
    /// where the delivery states of Orderconnect orders are sent.
    pub just_eat_api_url: Option<String>,
    /// How outbound deliveries are retried: `RETRY_FIRST_DELAY_SECS`, `RETRY_FACTOR`,
    /// `RETRY_MAX_DELAY_SECS`, `RETRY_MAX_ATTEMPTS`, `ATTEMPT_TIMEOUT_SECS`; each missing one
    /// takes core's default (10 s doubling to an hour, 20 attempts, 10 s per attempt).
    pub retry: RetryPolicy,
    /// JET Connect orders (issue 6); see [`JetConfig`].
    pub jet: JetConfig,
    /// Relays the JET Connect catalog writes the hub accepts to Just Eat (`JET_RELAY=on`).
    pub jet_relay: bool,
    /// JET Connect's partner API (`JET_CONNECT_API_URL`; Just Eat's unless set).
    pub jet_connect_api_url: String,
    /// How many days ahead a site order's `date_preorder` may be (`MAX_PREORDER_DAYS`, 1 to
    /// 800; core's 7 unless set). The e2e suite raises it to test times in 2027 around
    /// daylight-saving changes, since it cannot move the Worker's clock.
    pub max_preorder_days: i64,
    /// Days after its last change an order in a final state, and a settled delivery-log
    /// row of no order, move to the archive (`ARCHIVE_AFTER_DAYS`; core's 90 unless set).
    pub archive_after_days: i64,
}

/// How the hub answers JET Connect orders.
#[derive(Debug, Clone)]
pub struct JetConfig {
    /// Where `sent-to-pos-success|failed` go (`JET_STATUS_BASE_URL`; Just Eat's
    /// order-injection status updater unless set).
    pub status_base_url: String,
    /// Seconds after the `202` at which an unknown outcome is sent as `TIMEOUT`
    /// (`JET_POS_DEADLINE_SECS`, 150 unless set; 1 to [`MAX_JET_DEADLINE_SECS`]).
    pub deadline_secs: i64,
    /// When an injected order counts as sent to the POS (`JET_SUCCESS_ON`: `accepted` or
    /// `status0`), as text: core parses it when an order needs it.
    pub success_on: String,
    /// Charge kinds mapped to menu items (`JET_CHARGE_ITEMS`, `kind=item,…`), as text.
    pub charge_items: String,
}

/// JET Connect's partner API host (FACTS §1).
pub const JET_CONNECT_API_URL: &str = "https://api.flytplatform.com";
/// Just Eat's host for the outcome calls (FACTS §6).
pub const JET_STATUS_BASE_URL: &str = "https://order-injection-status-updater.flyt-platform.com";
/// Just Eat marks an order "failed to inject" 180 s after the `202`; the hub must speak
/// first, with time left for the call itself.
pub const MAX_JET_DEADLINE_SECS: i64 = 170;
/// The default deadline (issue 6): 150 s.
pub const DEFAULT_JET_DEADLINE_SECS: i64 = 150;
/// Just Eat's own limit: no outcome call is attempted later than this after the `202`.
pub const JET_HARD_LIMIT_SECS: i64 = 178;

/// A configured upstream Jupiter ([`Config::upstream`]).
pub struct UpstreamConfig {
    pub base: String,
    pub key: String,
}

impl Config {
    /// Whether requests count the D1 rows they read (`X-Orderbridge-D1-Rows-Read`, the
    /// sweep's log line): in development only, so production never decodes D1's `meta`.
    pub fn counts_rows(&self) -> bool {
        self.environment == "development"
    }

    /// Reads the variables; a missing one takes its production (closed) value.
    pub fn from_env(env: &Env) -> Config {
        let var = |name: &str| env.var(name).map(|v| v.to_string()).unwrap_or_default();
        let on = |name: &str| var(name).eq_ignore_ascii_case("on");
        Config {
            environment: var("ENVIRONMENT"),
            allow_loopback_callbacks: on("ALLOW_LOOPBACK_CALLBACKS"),
            #[cfg(feature = "simulator")]
            simulator: on("SIMULATOR"),
            cors_origins: var("CORS_ORIGINS")
                .split(',')
                .map(str::trim)
                .filter(|o| !o.is_empty())
                .map(str::to_owned)
                .collect(),
            jupiter_api_url: Some(var("JUPITER_API_URL"))
                .map(|u| u.trim().to_owned())
                .filter(|u| !u.is_empty()),
            just_eat_api_url: Some(var("JUST_EAT_API_URL"))
                .map(|u| u.trim().trim_end_matches('/').to_owned())
                .filter(|u| !u.is_empty()),
            retry: retry_policy(|name| env.var(name).ok().map(|v| v.to_string())),
            jet: JetConfig {
                status_base_url: Some(var("JET_STATUS_BASE_URL"))
                    .map(|u| u.trim().to_owned())
                    .filter(|u| !u.is_empty())
                    .unwrap_or_else(|| JET_STATUS_BASE_URL.to_owned()),
                deadline_secs: jet_deadline(&var("JET_POS_DEADLINE_SECS")),
                success_on: var("JET_SUCCESS_ON"),
                charge_items: var("JET_CHARGE_ITEMS"),
            },
            jet_relay: on("JET_RELAY"),
            jet_connect_api_url: Some(var("JET_CONNECT_API_URL"))
                .map(|u| u.trim().to_owned())
                .filter(|u| !u.is_empty())
                .unwrap_or_else(|| JET_CONNECT_API_URL.to_owned()),
            max_preorder_days: max_preorder_days(&var("MAX_PREORDER_DAYS")),
            archive_after_days: archive_after_days(&var("ARCHIVE_AFTER_DAYS")),
        }
    }

    /// The URL guard's policy: loopback and non-default ports only when
    /// `ALLOW_LOOPBACK_CALLBACKS=on` (development and tests).
    /// The one answer to "is there an upstream Jupiter?": `Ok(None)` without
    /// `JUPITER_API_URL` (the hub is the system of record), its base URL and key with both,
    /// and an error for the URL without its secret `JUPITER_API_KEY` (a deployment fault:
    /// callers that must not fail on it treat it as no upstream).
    pub fn upstream(&self, env: &Env) -> Result<Option<UpstreamConfig>, EdgeError> {
        let Some(base) = self.jupiter_api_url.clone() else {
            return Ok(None);
        };
        let key = secret(env, secrets::JUPITER_API_KEY)?;
        Ok(Some(UpstreamConfig { base, key }))
    }

    pub fn url_policy(&self) -> UrlPolicy {
        if self.allow_loopback_callbacks {
            UrlPolicy::DEVELOPMENT
        } else {
            UrlPolicy::PRODUCTION
        }
    }
}

/// `MAX_PREORDER_DAYS`: a whole number from 1 to 800; anything else is logged and core's
/// default is used.
fn max_preorder_days(text: &str) -> i64 {
    let default = orderbridge_core::order::validate::DEFAULT_MAX_PREORDER_DAYS;
    if text.trim().is_empty() {
        return default;
    }
    match text.trim().parse::<i64>() {
        Ok(days) if (1..=800).contains(&days) => days,
        _ => {
            log_bad_var(
                "MAX_PREORDER_DAYS",
                text,
                u32::try_from(default).unwrap_or(7),
            );
            default
        }
    }
}

/// `ARCHIVE_AFTER_DAYS` as core reads it; a bad value is logged and core's default used.
fn archive_after_days(text: &str) -> i64 {
    use orderbridge_core::archive;
    archive::after_days(text).unwrap_or_else(|_| {
        log_bad_var(
            "ARCHIVE_AFTER_DAYS",
            text,
            u32::try_from(archive::DEFAULT_AFTER_DAYS).unwrap_or(90),
        );
        archive::DEFAULT_AFTER_DAYS
    })
}

/// `JET_POS_DEADLINE_SECS`: a whole number from 1 to [`MAX_JET_DEADLINE_SECS`]; anything
/// else is logged and the default is used (a deadline past Just Eat's own would make the
/// `TIMEOUT` pointless).
fn jet_deadline(text: &str) -> i64 {
    if text.trim().is_empty() {
        return DEFAULT_JET_DEADLINE_SECS;
    }
    match text.trim().parse::<i64>() {
        Ok(secs) if (1..=MAX_JET_DEADLINE_SECS).contains(&secs) => secs,
        _ => {
            log_bad_var(
                "JET_POS_DEADLINE_SECS",
                text,
                DEFAULT_JET_DEADLINE_SECS as u32,
            );
            DEFAULT_JET_DEADLINE_SECS
        }
    }
}

/// Names of the variables that tune the retry policy.
pub mod retry_vars {
    pub const FIRST_DELAY_SECS: &str = "RETRY_FIRST_DELAY_SECS";
    pub const FACTOR: &str = "RETRY_FACTOR";
    pub const MAX_DELAY_SECS: &str = "RETRY_MAX_DELAY_SECS";
    pub const MAX_ATTEMPTS: &str = "RETRY_MAX_ATTEMPTS";
    pub const ATTEMPT_TIMEOUT_SECS: &str = "ATTEMPT_TIMEOUT_SECS";
}

/// Reads the retry policy through `lookup` (a variable's value by name). A value that is
/// not a whole number of at least 1 is a configuration mistake: it is logged and the
/// default is used, so one bad variable cannot stop every delivery.
fn retry_policy(lookup: impl Fn(&str) -> Option<String>) -> RetryPolicy {
    let default = RetryPolicy::default();
    let read = |name: &str, fallback: u32| -> u32 {
        let Some(text) = lookup(name) else {
            return fallback;
        };
        match text.trim().parse::<u32>() {
            Ok(value) if value >= 1 => value,
            _ => {
                log_bad_var(name, &text, fallback);
                fallback
            }
        }
    };
    RetryPolicy {
        first_delay_secs: read(retry_vars::FIRST_DELAY_SECS, default.first_delay_secs),
        factor: read(retry_vars::FACTOR, default.factor),
        max_delay_secs: read(retry_vars::MAX_DELAY_SECS, default.max_delay_secs),
        max_attempts: read(retry_vars::MAX_ATTEMPTS, default.max_attempts),
        attempt_timeout_secs: read(
            retry_vars::ATTEMPT_TIMEOUT_SECS,
            default.attempt_timeout_secs,
        ),
    }
}

#[cfg(target_arch = "wasm32")]
fn log_bad_var(name: &str, text: &str, fallback: u32) {
    worker::console_error!("{name}={text:?} is not a whole number >= 1; using {fallback}");
}

#[cfg(not(target_arch = "wasm32"))]
fn log_bad_var(_name: &str, _text: &str, _fallback: u32) {}

/// Names of the Worker's secrets (`wrangler secret put NAME`; `.dev.vars` locally).
pub mod secrets {
    pub const OPERATOR_API_KEY: &str = "OPERATOR_API_KEY";
    pub const SITE_API_KEY: &str = "SITE_API_KEY";
    pub const JET_HMAC_SECRET: &str = "JET_HMAC_SECRET";
    pub const ORDERCONNECT_API_KEY: &str = "ORDERCONNECT_API_KEY";
    pub const WEBHOOK_SIGNING_SECRET: &str = "WEBHOOK_SIGNING_SECRET";
    /// Optional, during a rotation: the secret receivers may still hold. While it is set,
    /// outbound calls carry a second `v1` under it (core `outbound::signature`).
    pub const WEBHOOK_SIGNING_SECRET_PREVIOUS: &str = "WEBHOOK_SIGNING_SECRET_PREVIOUS";
    /// Our key for calls to JET Connect (`X-Flyt-Api-Key`: sent-to-pos, catalog relays).
    pub const JET_CONNECT_API_KEY: &str = "JET_CONNECT_API_KEY";
    /// Our key for calls to the Just Eat partner API (`Authorization: JE-API-KEY <key>`).
    pub const JUST_EAT_API_KEY: &str = "JUST_EAT_API_KEY";
    /// Our key for the upstream Jupiter (`X-Jup-Api-Key`), when one is configured.
    pub const JUPITER_API_KEY: &str = "JUPITER_API_KEY";
}

/// A secret's value. A missing secret is a deployment fault (503, logged), never a
/// reason to let a request through.
pub fn secret(env: &Env, name: &str) -> Result<String, EdgeError> {
    env.secret(name)
        .map(|s| s.to_string())
        .map_err(|_| EdgeError::Unavailable(format!("secret {name} is not set")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(vars: &[(&str, &str)]) -> RetryPolicy {
        retry_policy(|name| {
            vars.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| (*v).to_owned())
        })
    }

    #[test]
    fn the_jet_deadline_stays_below_just_eats_own() {
        for (text, want) in [
            ("", 150),
            ("5", 5),
            (" 170 ", 170),
            ("171", 150),
            ("0", 150),
            ("-3", 150),
            ("soon", 150),
        ] {
            assert_eq!(jet_deadline(text), want, "{text:?}");
        }
    }

    #[test]
    fn missing_retry_variables_take_core_defaults() {
        assert_eq!(policy(&[]), RetryPolicy::default());
    }

    #[test]
    fn retry_variables_shorten_the_policy_for_tests() {
        let got = policy(&[
            ("RETRY_FIRST_DELAY_SECS", "1"),
            ("RETRY_FACTOR", "3"),
            ("RETRY_MAX_DELAY_SECS", " 2 "),
            ("RETRY_MAX_ATTEMPTS", "4"),
            ("ATTEMPT_TIMEOUT_SECS", "2"),
        ]);
        assert_eq!(
            got,
            RetryPolicy {
                first_delay_secs: 1,
                factor: 3,
                max_delay_secs: 2,
                max_attempts: 4,
                attempt_timeout_secs: 2,
            }
        );
    }

    #[test]
    fn a_bad_retry_variable_falls_back_to_its_default_only() {
        let got = policy(&[
            ("RETRY_MAX_ATTEMPTS", "0"),
            ("ATTEMPT_TIMEOUT_SECS", "ten"),
            ("RETRY_FACTOR", "-2"),
            ("RETRY_FIRST_DELAY_SECS", "3"),
        ]);
        let default = RetryPolicy::default();
        assert_eq!(got.max_attempts, default.max_attempts);
        assert_eq!(got.attempt_timeout_secs, default.attempt_timeout_secs);
        assert_eq!(got.factor, default.factor);
        assert_eq!(got.first_delay_secs, 3);
    }
}
