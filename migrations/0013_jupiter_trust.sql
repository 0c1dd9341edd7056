-- Issue 17: Jupiter as the system of record, and trusted sites.
--
-- upstream_heard: the statuses the upstream Jupiter has reported for the order, as a
-- comma-separated list of codes ("0,10"); a status heard before is a repeat and is neither
-- recorded nor passed on again (Jupiter does not retry, but it may call twice).
ALTER TABLE orders ADD COLUMN upstream_heard TEXT NOT NULL DEFAULT '';

-- discount: kopecks, cart.total minus payment.sum of an order from a trusted site
-- (X-Jup-Api-Key); 0 for every other order.
ALTER TABLE orders ADD COLUMN discount INTEGER NOT NULL DEFAULT 0;

-- warnings: a JSON array of {code, field, message} a trusted site's order was accepted
-- with (item costs that differ from the menu); NULL when there are none.
ALTER TABLE orders ADD COLUMN warnings TEXT;
