-- Orders from marketplaces (issues 6 and 7). A marketplace order that passed translation and
-- core's marketplace rules is an ordinary `orders` row (the kitchen sees one kind of
-- order), marked with the channel it came from and the marketplace's own id, so that the
-- same marketplace order delivered twice finds the first one.

ALTER TABLE orders ADD COLUMN channel TEXT NOT NULL DEFAULT 'site'
    CHECK (channel IN ('site', 'jet', 'orderconnect'));
ALTER TABLE orders ADD COLUMN external_id TEXT;               -- the marketplace's order id
CREATE UNIQUE INDEX orders_by_external ON orders (channel, external_id)
    WHERE external_id IS NOT NULL;

-- JET Connect orders as Just Eat delivered them, whatever became of them (issue 6). The
-- row exists from the moment the hub answered 202, so a repeated delivery of the same id is
-- answered the same, and the outcome owed to Just Eat (`sent-to-pos-success|failed`) is
-- decided exactly once: the call itself is one outbox row with an id derived from the JET
-- id, staged with this row (due at the deadline, as a TIMEOUT failure, while the outcome is
-- unknown) and rewritten at most once, before it is due, when the outcome is known.
CREATE TABLE jet_orders (
    id             TEXT PRIMARY KEY,                      -- JET Connect's order `id`
    answer_id      TEXT NOT NULL,                         -- the `OrderId` answered (the hub order id)
    body           TEXT NOT NULL,                         -- the verified request body, as received
    restaurant_id  TEXT,                                  -- from `posLocationId`; NULL: no restaurant has it
    order_id       TEXT REFERENCES orders(id),            -- the hub order; NULL when it failed
    delivery_id    TEXT NOT NULL,                         -- the sent-to-pos outbox row
    received_at    TEXT NOT NULL,                         -- RFC 3339 UTC, milliseconds
    deadline_at    INTEGER NOT NULL,                      -- unix seconds: TIMEOUT is sent then
    outcome        TEXT CHECK (outcome IN ('success', 'failed')), -- NULL: not decided (TIMEOUT at the deadline)
    error_code     TEXT,                                  -- JET's errorCode when failed
    error_message  TEXT,
    decided_at     TEXT,
    late_outcome   TEXT,                                  -- an outcome that came after the deadline: recorded, not sent
    cancelled_at   TEXT,                                  -- Cancel Order Notification
    cancel_reason  TEXT,
    final_body     TEXT,                                  -- the last Final Picked Order, as received
    final_at       TEXT
);
CREATE INDEX jet_orders_by_order ON jet_orders (order_id);
