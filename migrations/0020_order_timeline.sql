-- Issue 18: an order's timeline, what Just Eat told the hub about an order beyond its status
-- (the driver's journey, acceptance, a moved due time, a failed delivery), read back with the
-- order (`core::order::timeline`). One row per event; `dedup` (the webhook, the order and a
-- SHA-256 of the body) makes a repeated webhook one event.

CREATE TABLE order_events (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,     -- arrival order
    order_id    TEXT NOT NULL REFERENCES orders(id),
    kind        TEXT NOT NULL,                         -- core::order::timeline::Kind, snake_case
    at          TEXT NOT NULL,                         -- RFC 3339 UTC, milliseconds: when it happened
    received_at TEXT NOT NULL,                         -- RFC 3339 UTC, milliseconds: when the hub heard it
    source      TEXT NOT NULL,                         -- the webhook's name
    eta         TEXT,                                  -- RFC 3339 UTC, milliseconds
    detail      TEXT NOT NULL,                         -- JSON object
    dedup       TEXT NOT NULL UNIQUE
);

CREATE INDEX order_events_by_order ON order_events (order_id, seq);
