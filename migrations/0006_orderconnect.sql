-- Orders from Just Eat over Orderconnect (issue 7). An accepted `ConnectOrder` is an
-- ordinary `orders` row (channel 'orderconnect', external_id = Just Eat's `Id`, number
-- 'oc-' + `Id`); this row, written in the same batch, keeps what the Jupiter order cannot
-- hold and what the delivery-state calls to Just Eat need later.

CREATE TABLE orderconnect_orders (
    id               TEXT PRIMARY KEY,                    -- Just Eat's `Id` (the key of every call about it)
    order_id         TEXT NOT NULL UNIQUE REFERENCES orders(id),
    restaurant_ref   TEXT NOT NULL,                       -- `RestaurantInfo.Id`
    service_type     TEXT NOT NULL CHECK (service_type IN ('Delivery', 'Collection')),
    -- The offset Just Eat's timestamps for this order carry (`+01:00`): the one of its
    -- `DueDateWithUtcOffset`, else the restaurant's.
    utc_offset       TEXT NOT NULL,
    body             TEXT NOT NULL,                       -- the ConnectOrder as received (discounts, tip, ...)
    received_at      TEXT NOT NULL,                       -- RFC 3339 UTC, milliseconds
    -- When the last driver position was relayed (RFC 3339 UTC, milliseconds): the relay's
    -- rate limit.
    location_sent_at TEXT
);
