-- Issue 21: D1 holds 10 GB per database, so orders in a final state and the delivery log
-- of no order leave it after `ARCHIVE_AFTER_DAYS` (core `archive`, edge `archive`): each
-- batch is one gzip NDJSON object in the R2 bucket `ARCHIVE`, written and read back before
-- the rows are deleted, in the same D1 batch that writes the rows below.

-- One row per archived order: where its line is, and what finds it (the console's lookup
-- by id, by number, by marketplace id).
CREATE TABLE archived_orders (
    order_id      TEXT PRIMARY KEY,
    number        TEXT NOT NULL,
    namespace     TEXT NOT NULL,
    channel       TEXT NOT NULL,
    external_id   TEXT,
    restaurant_id TEXT NOT NULL,
    status        INTEGER NOT NULL,
    created_at    TEXT NOT NULL,                -- the order's, RFC 3339 UTC
    object_key    TEXT NOT NULL,                -- archive_batches.object_key
    line          INTEGER NOT NULL,             -- 0-based line in the object's NDJSON
    byte_offset   INTEGER NOT NULL,             -- of that line, in the uncompressed NDJSON
    archived_at   TEXT NOT NULL
);
CREATE INDEX archived_orders_by_number ON archived_orders (number);
CREATE INDEX archived_orders_by_external ON archived_orders (external_id)
    WHERE external_id IS NOT NULL;

-- One row per object.
CREATE TABLE archive_batches (
    object_key   TEXT PRIMARY KEY,
    archived_at  TEXT NOT NULL,                 -- RFC 3339 UTC, milliseconds
    cutoff       TEXT NOT NULL,                 -- rows last changed before this went
    orders       INTEGER NOT NULL,
    deliveries   INTEGER NOT NULL,              -- delivery-log rows of no order
    bytes        INTEGER NOT NULL,              -- NDJSON, uncompressed
    stored_bytes INTEGER NOT NULL,              -- as stored
    encoding     TEXT NOT NULL CHECK (encoding IN ('gzip', 'identity'))
);
CREATE INDEX archive_batches_by_time ON archive_batches (archived_at);

-- The delivery log of no order, oldest change first (the cron reads it every minute).
CREATE INDEX outbox_log_by_age ON outbox (updated_at) WHERE order_id IS NULL;

-- An order with an unanswered query stays (core `archive::decide`): found by its order.
CREATE INDEX jet_queries_by_order ON jet_queries (order_id);
