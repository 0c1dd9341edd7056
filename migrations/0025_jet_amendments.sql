-- Order amendments the hub asked of JET Connect (issue 18): `POST
-- /admin/orders/{order_id}/amendment` marks items out of stock and stages JET Connect's
-- `POST /orders/{brandSlug}/{orderId}/amend` through the outbox. JET Connect amends an order
-- once, so one row per order. (`order_amendments`, 0015, records changes that reached an
-- order, with its contents before and after; an amendment asked of Just Eat is not one yet.)

CREATE TABLE jet_amendments (
    order_id      TEXT PRIMARY KEY REFERENCES orders(id),
    jet_order_id  TEXT NOT NULL,          -- JET Connect's order id, the path's {orderId}
    brand_slug    TEXT NOT NULL,
    body          TEXT NOT NULL,          -- the amend call's body, JSON
    delivery_id   TEXT NOT NULL,          -- the outbox row carrying it
    requested_at  TEXT NOT NULL           -- RFC 3339 UTC, milliseconds
);
