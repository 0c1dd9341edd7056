-- Issue 17, every failure has an owner: why a status was set when the hub set it itself
-- (an order whose forwarding to the upstream Jupiter died goes to 5 with the reason
-- "the order did not reach the kitchen: ..."); NULL for every other status. The failures
-- themselves are the order's dead deliveries in the outbox (0003), shown with the order.
ALTER TABLE order_statuses ADD COLUMN reason TEXT;
