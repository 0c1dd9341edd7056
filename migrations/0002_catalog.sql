-- The catalog's write side: what 0001 did not hold yet.
--
-- Times are RFC 3339 in UTC, as in 0001. `happened_at` of availability events is written
-- with microseconds ('2018-10-11T13:56:18.234284Z', JET Connect's precision) so that the
-- guard in the availability upsert can compare it as text; `last_change` values are
-- written with milliseconds, as Jupiter shows them.

-- Availability events are remembered per PLU even after an item is available again, so
-- that an older event delivered late cannot put it back (stop_list::apply_availability).
-- Rows of 0001 were stopped items: they default to 1.
ALTER TABLE stop_list_items ADD COLUMN unavailable INTEGER NOT NULL DEFAULT 1;

-- JET Connect `/offline` with an `onlineAt`: the UTC instant the restaurant is back by
-- itself (`restaurants.online` stays 0 until then; catalog::is_online decides).
ALTER TABLE restaurants ADD COLUMN offline_until TEXT;

-- The `lastChange` of a restaurant's zones document per concept ('' = default), which an
-- admin document sets and a deletion moves. Without a row, the latest zone change is used.
CREATE TABLE zone_sets (
    restaurant_id TEXT NOT NULL REFERENCES restaurants(id),
    concept_id    TEXT NOT NULL,
    last_change   TEXT NOT NULL,
    PRIMARY KEY (restaurant_id, concept_id)
);

-- JET Connect `/servicetimes`: the validated request as received (order creation parses it
-- with core's jet::validate), per restaurant; a new request replaces the old one.
CREATE TABLE service_times (
    restaurant_id TEXT PRIMARY KEY REFERENCES restaurants(id),
    timezone      TEXT NOT NULL,
    body          TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);

-- One row per accepted `POST /jet-connect/menus`: which restaurants and concepts it
-- changed and where the per-restaurant result goes. Written in the same batch as the menus.
CREATE TABLE menu_ingestions (
    id           TEXT PRIMARY KEY,
    received_at  TEXT NOT NULL,
    callback_url TEXT NOT NULL,
    restaurants  TEXT NOT NULL,                           -- JSON array of restaurant ids
    concepts     TEXT NOT NULL                            -- JSON array of concept keys
);
