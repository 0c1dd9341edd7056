-- The catalog: restaurants, delivery zones, menus and stop lists.
--
-- Bodies are stored in the Jupiter site API form that the read side serves (validated by
-- core before they are written), next to the columns that queries filter on. Timestamps are
-- RFC 3339 in UTC; the restaurant's `utc_offset` is applied when they are served.
-- A concept id of '' is Jupiter's "default" concept.

CREATE TABLE restaurants (
    id                         TEXT PRIMARY KEY,          -- Jupiter restaurant id, e.g. '000127'
    place                      TEXT NOT NULL,             -- the Jupiter `places` entry, JSON
    utc_offset                 TEXT NOT NULL DEFAULT '+00:00',
    jet_location_id            TEXT UNIQUE,               -- posLocationId sent by JET Connect
    orderconnect_restaurant_id TEXT UNIQUE,               -- RestaurantInfo.Id sent by Orderconnect
    online                     INTEGER NOT NULL DEFAULT 1,
    updated_at                 TEXT NOT NULL
);

CREATE TABLE delivery_zones (
    restaurant_id TEXT NOT NULL REFERENCES restaurants(id),
    concept_id    TEXT NOT NULL,
    zone_id       TEXT NOT NULL,
    name          TEXT NOT NULL,
    zone          TEXT NOT NULL,                          -- the Jupiter zone, JSON
    deleted       INTEGER NOT NULL DEFAULT 0,             -- 1: served under deleted_zones
    last_change   TEXT NOT NULL,
    PRIMARY KEY (restaurant_id, concept_id, zone_id)
);

CREATE TABLE menus (
    restaurant_id TEXT NOT NULL REFERENCES restaurants(id),
    concept_id    TEXT NOT NULL,
    menu          TEXT NOT NULL,                          -- the Jupiter `menu` object, JSON
    last_change   TEXT NOT NULL,
    PRIMARY KEY (restaurant_id, concept_id)
);

-- One row per stopped item. `until` (nullable) returns it to sale automatically;
-- `happened_at` orders availability events so an older one never overrides a newer one.
CREATE TABLE stop_list_items (
    restaurant_id TEXT NOT NULL REFERENCES restaurants(id),
    item_id       TEXT NOT NULL,
    until         TEXT,
    happened_at   TEXT NOT NULL,
    PRIMARY KEY (restaurant_id, item_id)
);

-- When each restaurant's stop list last changed, for `lastChange` and `date_change`.
CREATE TABLE stop_lists (
    restaurant_id TEXT PRIMARY KEY REFERENCES restaurants(id),
    last_change   TEXT NOT NULL
);
