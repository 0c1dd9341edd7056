-- Issue 18: Just Eat's `order-time-updated` (Partner API): how long a restaurant's orders
-- take on one day of the week for one service type, as Just Eat last said
-- (`core::jet::status::check_order_time`), shown with the restaurant to the operator.

CREATE TABLE restaurant_order_times (
    restaurant_id  TEXT NOT NULL REFERENCES restaurants(id),
    service_type   TEXT NOT NULL CHECK (service_type IN ('Delivery', 'Collection')),
    day_of_week    TEXT NOT NULL,                    -- monday … sunday
    lower_minutes  INTEGER NOT NULL,
    upper_minutes  INTEGER NOT NULL,
    updated_at     TEXT NOT NULL,                    -- RFC 3339 UTC, milliseconds
    PRIMARY KEY (restaurant_id, service_type, day_of_week)
);
