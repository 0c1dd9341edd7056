//! The upstream sync: with `JUPITER_API_URL` and `JUPITER_API_KEY` set, pull restaurants,
//! zones, menus and stop lists from the upstream Jupiter site API into the hub.
//!
//! [`pull`] does one complete pass (`core::catalog_pull` decides what to ask for). Each
//! document is validated as an admin write would be and stored the same way (its
//! `lastChange` kept); a document that fails to load or validate is skipped and named in
//! the report, the rest of the pass goes on. A menu whose `lastChange` is already stored is
//! not written again. Afterwards the read cache of every restaurant pulled is invalidated.
//!
//! It runs on `POST /admin/sync`. The scheduled trigger belongs to the Worker's one
//! `#[event(scheduled)]` handler (added with the outbound path's cron, issue 4), which
//! calls `pull` when `config.jupiter_api_url` is set.
//!
//! Not done: restaurants or zones that upstream stops listing are not removed, and stop
//! lists are pulled whole rather than with `date_change`.

use chrono::{DateTime, Utc};
use orderbridge_core::catalog::concept_key;
use orderbridge_core::catalog_pull::{concepts_to_pull, document_url, offset_of};
use orderbridge_core::domain::RestaurantId;
use orderbridge_core::jupiter::{
    validate_admin_menu, validate_delivery_zones, validate_stop_lists, DeliveryZonesResponse,
    MenuResponse, RestaurantsResponse, StopListResponse,
};
use orderbridge_core::outbound::redact::url_for_log;
use orderbridge_core::outbound::url_guard::{OutboundUrl, UrlPolicy};
use serde::de::DeserializeOwned;
use serde::Serialize;
use worker::{Env, Headers, Method};

use crate::cache::ReadCache;
use crate::config::{Config, UpstreamConfig};
use crate::error::EdgeError;
use crate::http_client::{self, Call, Failure, Read};
use crate::site_docs::{among, menu_write, stop_list_replace, to_stored, zone_writes};
use crate::storage::{millis, Storage};

/// How long one upstream document may take, its body included: a menu of a few MiB from
/// a slow upstream, while the `*/15` pass and `/admin/sync` wait for it.
pub(crate) const UPSTREAM_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(20);
/// The most of one upstream answer that is read: the largest document the hub takes from
/// its own admin API, a menu (`body::MENU_LIMIT`, 8 MiB). A larger one could not have been
/// written through the admin API either, so it is refused unread.
pub(crate) const UPSTREAM_LIMIT: usize = crate::body::MENU_LIMIT;

/// What one pass did.
#[derive(Debug, Default, Serialize)]
pub struct Report {
    pub restaurants: usize,
    pub zones: usize,
    pub menus: usize,
    pub menus_unchanged: usize,
    pub stop_lists: usize,
    /// Documents not taken, each with why.
    pub skipped: Vec<String>,
}

/// The upstream Jupiter site API: its base URL, our key, the URL policy.
pub(crate) struct Upstream {
    base: String,
    key: String,
    policy: UrlPolicy,
}

impl Upstream {
    /// The configured upstream, if `JUPITER_API_URL` and `JUPITER_API_KEY` are both set.
    pub(crate) fn configured(env: &Env, config: &Config) -> Option<Upstream> {
        let UpstreamConfig { base, key } = config.upstream(env).ok()??;
        Some(Upstream {
            base,
            key,
            policy: config.url_policy(),
        })
    }

    fn url(&self, document: &str, params: &[(&str, &str)]) -> Result<OutboundUrl, String> {
        document_url(&self.base, document, params, &self.policy)
            .map_err(|refusal| format!("JUPITER_API_URL refused: {refusal}"))
    }

    /// GETs one document and reads it as `T`.
    pub(crate) async fn get<T: DeserializeOwned>(
        &self,
        document: &str,
        params: &[(&str, &str)],
    ) -> Result<T, String> {
        let (status, bytes) = self.get_raw(document, params).await?;
        if status != 200 {
            return Err(format!("{document} answered {status}"));
        }
        serde_json::from_slice(&bytes).map_err(|e| format!("{document}: {e}"))
    }

    /// GETs one document: Jupiter's status and body, whatever they are (`Err` only when
    /// no answer came, a redirect or a body over [`UPSTREAM_LIMIT`]). An `Err` names the URL
    /// with its query values masked (a phone, for `/client`) and never Jupiter's words.
    pub(crate) async fn get_raw(
        &self,
        document: &str,
        params: &[(&str, &str)],
    ) -> Result<(u16, Vec<u8>), String> {
        let url = self.url(document, params)?;
        let shown = url_for_log(url.as_str());
        let headers = Headers::new();
        let prepared = headers
            .set("X-Jup-Api-Key", &self.key)
            .and_then(|()| headers.set("Accept", "application/json"));
        prepared.map_err(|err| format!("{shown}: {err}"))?;
        let call = Call {
            url: url.as_str(),
            method: Method::Get,
            headers,
            body: None,
        };
        // The key is for the guarded URL only: a redirect is refused, its body not read.
        let read = |status: u16| {
            if (300..400).contains(&status) {
                Read::Nothing
            } else {
                Read::Whole(UPSTREAM_LIMIT)
            }
        };
        let answer = match http_client::fetch(call, UPSTREAM_TIMEOUT, read).await {
            Ok(answer) => answer,
            Err(Failure::Network(why) | Failure::NotBuilt(why)) => {
                return Err(format!("{shown}: {why}"))
            }
            Err(failure) => return Err(format!("{shown}: {failure}")),
        };
        if answer.is_redirect() {
            return Err(format!(
                "{shown}: answered {}, redirect not followed",
                answer.status
            ));
        }
        Ok((answer.status, answer.body))
    }
}

/// One pass over the upstream catalog. Fails only when upstream is not configured or its
/// `/restaurants` cannot be read; anything else is skipped and reported.
pub async fn pull(env: &Env, config: &Config, now: DateTime<Utc>) -> Result<Report, EdgeError> {
    let Some(UpstreamConfig { base, key }) = config.upstream(env)? else {
        return Err(EdgeError::Conflict {
            code: "no_upstream",
            summary: "JUPITER_API_URL is not set: the hub is the system of record".to_owned(),
            violations: vec![],
        });
    };
    let upstream = Upstream {
        base,
        key,
        policy: config.url_policy(),
    };
    let storage = Storage::new(env)?;
    let mut report = Report::default();
    let restaurants: RestaurantsResponse = upstream
        .get("restaurants", &[])
        .await
        .map_err(|e| EdgeError::Unavailable(format!("upstream restaurants: {e}")))?;
    let now_stored = millis(now);
    let mut pulled: Vec<String> = Vec::new();
    for place in &restaurants.places {
        let id = match RestaurantId::parse(&place.id, "id") {
            Ok(id) => id.as_str().to_owned(),
            Err(v) => {
                report
                    .skipped
                    .push(format!("restaurant {:?}: {}", place.id, v.message));
                continue;
            }
        };
        let mut zones = Vec::new();
        let mut menus = Vec::new();
        for concept in concepts_to_pull(place) {
            let params = [
                ("restaurant_id", id.as_str()),
                ("concept_id", concept.as_str()),
            ];
            let what = format!("{id}/{concept}");
            match upstream
                .get::<DeliveryZonesResponse>("delivery_zones", &params)
                .await
            {
                Ok(doc) if doc.restaurant_id.trim() != id => report.skipped.push(format!(
                    "zones {what}: for restaurant {:?}",
                    doc.restaurant_id
                )),
                Ok(doc) => match validate_delivery_zones(&doc) {
                    Ok(_) => zones.push((concept.clone(), doc)),
                    Err(v) => report
                        .skipped
                        .push(format!("zones {what}: {}", summary(&v))),
                },
                Err(e) => report.skipped.push(format!("zones {what}: {e}")),
            }
            match upstream.get::<MenuResponse>("menu", &params).await {
                Ok(doc) if doc.restaurant_id.trim() != id => report.skipped.push(format!(
                    "menu {what}: for restaurant {:?}",
                    doc.restaurant_id
                )),
                Ok(doc) => match validate_admin_menu(&doc) {
                    Ok(()) => menus.push((concept.clone(), doc)),
                    Err(v) => report.skipped.push(format!("menu {what}: {}", summary(&v))),
                },
                Err(e) => report.skipped.push(format!("menu {what}: {e}")),
            }
        }
        let offset = zones
            .first()
            .map(|(_, z)| z.last_change.as_str())
            .or(menus.first().map(|(_, m)| m.menu.last_change.as_str()))
            .and_then(offset_of)
            .map_or_else(|| "+00:00".to_owned(), |o| o.to_string());
        let stored_place = to_stored(place, "place")?;
        storage
            .upsert_upstream_place(&id, &stored_place, &offset, &now_stored)
            .await?;
        report.restaurants += 1;
        for (concept, doc) in &zones {
            let (writes, set_last_change) = zone_writes(doc)?;
            storage
                .put_zones(
                    &id,
                    concept_key(Some(concept)),
                    &writes,
                    &set_last_change,
                    &now_stored,
                )
                .await?;
            report.zones += 1;
        }
        for (concept, doc) in &menus {
            let key = concept_key(Some(concept));
            let write = menu_write(&id, key, doc)?;
            let stored = storage.menu(&id, key).await?;
            if stored.is_some_and(|row| row.last_change == write.last_change) {
                report.menus_unchanged += 1;
                continue;
            }
            storage
                .put_menus(&[write], &[], &[], None, Vec::new())
                .await?;
            report.menus += 1;
        }
        pulled.push(id);
    }
    match upstream.get::<StopListResponse>("stop_list", &[]).await {
        Ok(doc) => match validate_stop_lists(&doc) {
            Ok(()) => {
                let ids: Vec<&str> = doc
                    .stop_lists
                    .iter()
                    .map(|l| l.restaurant_id.trim())
                    .collect();
                let (_, unknown) = among(&storage, &ids).await?;
                let mut lists = Vec::new();
                for list in &doc.stop_lists {
                    let id = list.restaurant_id.trim();
                    if !unknown.contains(&id) {
                        lists.push(stop_list_replace(list)?);
                    } else {
                        report
                            .skipped
                            .push(format!("stop list {id}: unknown restaurant"));
                    }
                }
                storage.replace_stop_lists(&lists).await?;
                report.stop_lists = lists.len();
                pulled.extend(lists.into_iter().map(|l| l.restaurant_id));
            }
            Err(v) => report.skipped.push(format!("stop lists: {}", summary(&v))),
        },
        Err(e) => report.skipped.push(format!("stop lists: {e}")),
    }
    pulled.sort();
    pulled.dedup();
    let ids: Vec<&str> = pulled.iter().map(String::as_str).collect();
    ReadCache::new(env).invalidate(&ids, now).await;
    if !report.skipped.is_empty() {
        worker::console_warn!("upstream sync skipped: {}", report.skipped.join("; "));
    }
    Ok(report)
}

fn summary(violations: &[orderbridge_core::problem::Violation]) -> String {
    violations
        .iter()
        .map(|v| match &v.field {
            Some(field) => format!("{field}: {}", v.message),
            None => v.message.clone(),
        })
        .collect::<Vec<_>>()
        .join("; ")
}
