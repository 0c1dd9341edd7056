-- Just Eat's late-order, late-order-compensation and compensation-eligibility queries
-- (issue 18): each webhook creates one item that waits for the restaurant's answer, given
-- through `POST /admin/jet/queries/{id}/answer` and listed by `GET /admin/jet/queries`.
-- One item per kind and Just Eat order: a repeated webhook finds it (idempotent).

CREATE TABLE jet_queries (
    id                TEXT PRIMARY KEY,
    kind              TEXT NOT NULL CHECK (kind IN
                          ('late_order', 'late_order_compensation', 'compensation_eligibility')),
    just_eat_order_id TEXT NOT NULL,          -- the body's OrderId
    order_id          TEXT,                   -- the hub's order, when known
    tenant            TEXT,
    restaurant_id     TEXT,                   -- Just Eat's restaurant id, as sent
    options           TEXT NOT NULL,          -- JSON array of {amount, recommended}
    body              TEXT NOT NULL,          -- the webhook's body as received
    received_at       TEXT NOT NULL,          -- RFC 3339 UTC, milliseconds
    deadline_at       TEXT,                   -- NULL: Just Eat's document gives none
    answer            TEXT,                   -- JSON, the answer as recorded; NULL: open
    answered_at       TEXT,
    UNIQUE (kind, just_eat_order_id)
);
CREATE INDEX jet_queries_open ON jet_queries (answered_at, received_at);
