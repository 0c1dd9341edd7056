-- Issue 17 point 5: an order read back shows the changes that reached it after it was
-- placed, with the time each arrived. Today the only source is Just Eat's Final Picked
-- Order (`jet_final_picked`), which replaces the order's lines and totals; `jet_orders`
-- keeps only the last final picked body, so the contents each change found and left are
-- kept here. The row is written in the same batch as the change, reading `before_request`
-- from the order before the change rewrites it.

CREATE TABLE order_amendments (
    order_id       TEXT NOT NULL REFERENCES orders(id),
    seq            INTEGER NOT NULL,                      -- 1, 2, ... per order, in arrival order
    source         TEXT NOT NULL CHECK (source IN ('jet_final_picked')),
    before_request TEXT NOT NULL,                         -- orders.request before the change, JSON
    after_request  TEXT,                                  -- orders.request after it; NULL: not applied
    received_at    TEXT NOT NULL,                         -- RFC 3339 UTC, milliseconds
    PRIMARY KEY (order_id, seq)
);
