-- Issue 22 point 2: an order's `number` is unique within its namespace, not across the hub
-- (core's `order::namespace`): `key` (a site with the site key), `origin:<origin>` (a
-- browser's Origin), `public` (a site order with neither), `jet`, `orderconnect`. Placing a
-- site order is public, so a hub-wide UNIQUE(number) let anyone claim a site's numbers, and
-- a site order numbered `jet-…` blocked that Just Eat order.
--
-- SQLite cannot drop the column's UNIQUE, so the table is rebuilt: its rows are copied
-- aside, the table dropped and created again (columns in their old order, the namespace
-- last), the rows put back. The tables that reference orders(id) keep referring to
-- `orders`; with the foreign keys deferred, dropping the table leaves their rows dangling
-- until the same ids are inserted again (inserting a parent row settles them), so the
-- check at the end of the migration passes (a renamed copy would insert nothing and fail it).
--
-- Existing rows: marketplace orders get their channel's namespace; site orders placed
-- before this recorded no origin and get `public`.

PRAGMA defer_foreign_keys = on;

CREATE TABLE orders_0018 AS SELECT id, number, fingerprint, restaurant_id, concept_id, zone_id,
        delivery_method, phone, client_name, total, status, version, status_url, request,
        upstream_token, upstream_order_id, created_at, updated_at, channel, external_id,
        upstream_heard, discount, warnings,
        CASE channel WHEN 'site' THEN 'public' ELSE channel END AS namespace
    FROM orders;

DROP TABLE orders;

CREATE TABLE orders (
    id              TEXT PRIMARY KEY,
    number          TEXT NOT NULL,
    fingerprint     TEXT NOT NULL,
    restaurant_id   TEXT NOT NULL,
    concept_id      TEXT NOT NULL,
    zone_id         TEXT,
    delivery_method TEXT NOT NULL CHECK (delivery_method IN ('courier', 'pickup')),
    phone           TEXT NOT NULL,
    client_name     TEXT NOT NULL,
    total           INTEGER NOT NULL,
    status          INTEGER NOT NULL,
    version         INTEGER NOT NULL DEFAULT 1,
    status_url      TEXT,
    request         TEXT NOT NULL,
    upstream_token  TEXT,
    upstream_order_id TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    channel         TEXT NOT NULL DEFAULT 'site'
        CHECK (channel IN ('site', 'jet', 'orderconnect')),
    external_id     TEXT,
    upstream_heard  TEXT NOT NULL DEFAULT '',
    discount        INTEGER NOT NULL DEFAULT 0,
    warnings        TEXT,
    namespace       TEXT NOT NULL                         -- whose `number` it is (see above)
);

INSERT INTO orders (id, number, fingerprint, restaurant_id, concept_id, zone_id,
        delivery_method, phone, client_name, total, status, version, status_url, request,
        upstream_token, upstream_order_id, created_at, updated_at, channel, external_id,
        upstream_heard, discount, warnings, namespace)
    SELECT id, number, fingerprint, restaurant_id, concept_id, zone_id,
        delivery_method, phone, client_name, total, status, version, status_url, request,
        upstream_token, upstream_order_id, created_at, updated_at, channel, external_id,
        upstream_heard, discount, warnings, namespace
    FROM orders_0018;

DROP TABLE orders_0018;

-- Replays and duplicates: the same number in the same namespace. Concurrent placements of
-- one number in one namespace cannot both commit.
CREATE UNIQUE INDEX orders_by_number ON orders (namespace, number);
-- As before (0004, 0005).
CREATE INDEX orders_by_phone ON orders (phone, created_at);
CREATE UNIQUE INDEX orders_by_external ON orders (channel, external_id)
    WHERE external_id IS NOT NULL;
