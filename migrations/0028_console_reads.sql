-- The operator console's reads (issue 19).
--
-- GET /admin/orders lists newest first by keyset on (created_at, rowid), one indexed query
-- per page: all orders, or one restaurant's, or one channel's. `q` finds an order by its
-- number or marketplace id in any namespace or channel. The "needs attention" reasons are
-- EXISTS subqueries on the outbox's dead rows (partial index) and on jet_orders (indexed
-- by order_id since 0005). GET /admin/stats reads attempts by their start time.
CREATE INDEX orders_by_created ON orders (created_at);
CREATE INDEX orders_by_restaurant_created ON orders (restaurant_id, created_at);
CREATE INDEX orders_by_channel_created ON orders (channel, created_at);
CREATE INDEX orders_by_number_any ON orders (number);
CREATE INDEX orders_by_external_any ON orders (external_id) WHERE external_id IS NOT NULL;
CREATE INDEX outbox_dead_by_order ON outbox (order_id) WHERE status = 'dead';
CREATE INDEX outbox_attempts_by_start ON outbox_attempts (started_at);

-- PUT /admin/restaurants/{id}/pause: why the operator paused it (NULL when not paused by
-- the console; cleared by DELETE .../pause).
ALTER TABLE restaurants ADD COLUMN pause_reason TEXT;
