//! The scheduled upstream sync: with `JUPITER_API_URL` set, the catalog (restaurants,
//! zones, menus, stop lists) is pulled from the upstream Jupiter every 15 minutes
//! (`bindings::CATALOG_SYNC_CRON`), as `POST /admin/sync` does on demand. Without an
//! upstream the hub is the system of record and the tick does nothing.

use worker::Env;

use crate::config::Config;
use crate::{clock, sync};

pub async fn sync(env: &Env) {
    let config = Config::from_env(env);
    if let Ok(None) = config.upstream(env) {
        return;
    }
    match sync::pull(env, &config, clock::now()).await {
        Ok(report) => worker::console_log!("scheduled catalog sync: {report:?}"),
        Err(err) => worker::console_error!("scheduled catalog sync failed: {err:?}"),
    }
}
