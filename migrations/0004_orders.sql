-- Site orders (issue 5): Jupiter `new_order` requests that passed core's validation, their
-- status and its history. Times are RFC 3339 in UTC with milliseconds; amounts are integer
-- kopecks. Status callbacks to `status_url` live in the outbox (0003), staged in the same
-- batch as the row they announce.

CREATE TABLE orders (
    id              TEXT PRIMARY KEY,                     -- 'ord_' + 32 hex digits, answered as order_id
    number          TEXT NOT NULL UNIQUE,                 -- the front-end's `number`: replays and duplicates
    fingerprint     TEXT NOT NULL,                        -- SHA-256 of the request (core order::replay)
    restaurant_id   TEXT NOT NULL,                        -- where the order was routed
    concept_id      TEXT NOT NULL,                        -- '' = default concept
    zone_id         TEXT,
    delivery_method TEXT NOT NULL CHECK (delivery_method IN ('courier', 'pickup')),
    phone           TEXT NOT NULL,                        -- client.phone, digits only
    client_name     TEXT NOT NULL,
    total           INTEGER NOT NULL,                     -- kopecks
    status          INTEGER NOT NULL,                     -- Jupiter's 0/10/20/30/5
    version         INTEGER NOT NULL DEFAULT 1,           -- the number of statuses so far
    status_url      TEXT,                                 -- passed the URL guard when placed
    request         TEXT NOT NULL,                        -- the request as parsed, JSON
    upstream_token  TEXT,                                 -- upstream mode: the token of Jupiter's status calls
    upstream_order_id TEXT,                               -- upstream mode: Jupiter's order id, once it answered
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);

-- GET /site-api/client: the latest order of a phone.
CREATE INDEX orders_by_phone ON orders (phone, created_at);

-- Every status an order took, in order. (order_id, seq) is the optimistic lock of a
-- status change: two changes from the same version cannot both commit.
CREATE TABLE order_statuses (
    order_id TEXT NOT NULL REFERENCES orders(id),
    seq      INTEGER NOT NULL,                            -- 1 for the status the order was placed with
    status   INTEGER NOT NULL,
    at       TEXT NOT NULL,
    PRIMARY KEY (order_id, seq)
);
