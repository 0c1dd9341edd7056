-- `GET /admin/orders?attention=true` (issue 21, found by `make bench-scale`): the list read
-- orders newest first and tested each for a reason, so when few orders need attention it
-- read every order (1,000,000 rows at a national chain's size). It now starts from the
-- orders that can need attention — those with a dead delivery (outbox_dead_by_order,
-- 0028), a failed JET outcome, or upstream and never heard of (the two partial indexes
-- below, whose WHERE the query repeats word for word so SQLite can use them) — and sorts
-- that small set.
CREATE INDEX jet_orders_failed ON jet_orders (order_id) WHERE outcome = 'failed';
CREATE INDEX orders_not_in_kitchen ON orders (id)
    WHERE upstream_token IS NOT NULL AND upstream_order_id IS NULL AND upstream_heard = '';
