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
    #[allow(dead_code)] // read by the Just Eat simulator (issue 6)
    pub environment: String,
    /// Lets callbacks go to loopback addresses (development and tests only).
    pub allow_loopback_callbacks: bool,
    /// Serves the local Just Eat simulator under `/sim/jet` (development only).
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
}

impl Config {
    /// Reads the variables; a missing one takes its production (closed) value.
    pub fn from_env(env: &Env) -> Config {
        let var = |name: &str| env.var(name).map(|v| v.to_string()).unwrap_or_default();
        let on = |name: &str| var(name).eq_ignore_ascii_case("on");
        Config {
            environment: var("ENVIRONMENT"),
            allow_loopback_callbacks: on("ALLOW_LOOPBACK_CALLBACKS"),
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
        }
    }

    /// The URL guard's policy: loopback and non-default ports only when
    /// `ALLOW_LOOPBACK_CALLBACKS=on` (development and tests).
    pub fn url_policy(&self) -> UrlPolicy {
        if self.allow_loopback_callbacks {
            UrlPolicy::DEVELOPMENT
        } else {
            UrlPolicy::PRODUCTION
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
#[allow(dead_code)] // JET_HMAC_SECRET (issue 6)
pub mod secrets {
    pub const OPERATOR_API_KEY: &str = "OPERATOR_API_KEY";
    pub const SITE_API_KEY: &str = "SITE_API_KEY";
    pub const JET_HMAC_SECRET: &str = "JET_HMAC_SECRET";
    pub const ORDERCONNECT_API_KEY: &str = "ORDERCONNECT_API_KEY";
    pub const WEBHOOK_SIGNING_SECRET: &str = "WEBHOOK_SIGNING_SECRET";
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
