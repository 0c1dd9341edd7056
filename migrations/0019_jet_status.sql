-- Restaurant status and the backup flow received from JET Connect (issue 18).

-- The last `your-restaurant-temp-offline-endpoint` notification applied to each restaurant:
-- its `lastChangedTimeStampUtc` orders them (an older one arriving late changes nothing, the
-- same one again changes nothing), and the body is kept for the operator.
CREATE TABLE jet_temp_offline (
    restaurant_id  TEXT PRIMARY KEY REFERENCES restaurants(id),
    jet_restaurant TEXT NOT NULL,          -- Just Eat's restaurantId as sent
    changed_at     TEXT NOT NULL,          -- lastChangedTimeStampUtc, RFC 3339 UTC, milliseconds
    offline        INTEGER NOT NULL,       -- 1: delivery or collection offline
    body           TEXT NOT NULL,
    received_at    TEXT NOT NULL
);

-- Orders JET Connect could not inject (`your-failed-order-for-backup-flow-endpoint`), for the
-- operator's manual backup flow (`GET /admin/jet/backup-flow`). Keyed by Just Eat's order id
-- (`order.orderId`), or `body:<sha-256 of the body>` when the notification names none.
-- Reconciled when the same order later arrives through `/webhooks/jet/orders`.
CREATE TABLE jet_backup_orders (
    id                  TEXT PRIMARY KEY,
    jet_order_id        TEXT,              -- order.orderId
    reference           TEXT,              -- order.friendlyOrderReference
    jet_restaurant      TEXT,              -- order.restaurant.id
    reason              TEXT NOT NULL,     -- validationError
    unknown_reference   TEXT,
    menu_id             TEXT,
    body                TEXT NOT NULL,
    received_at         TEXT NOT NULL,
    reconciled_order_id TEXT,              -- the hub order the same order became
    reconciled_at       TEXT
);
CREATE INDEX jet_backup_orders_by_time ON jet_backup_orders (received_at);
CREATE INDEX jet_backup_orders_by_order ON jet_backup_orders (jet_order_id);

-- Just Eat's Partner API `menu-ingestion-complete`: the result of a menu ingestion run on
-- Just Eat's side, for the operator (`GET /admin/just-eat/menu-ingestions`). Keyed by
-- `correlationId` and `restaurantId`, or the body's digest when neither is sent.
CREATE TABLE just_eat_menu_ingestions (
    id             TEXT PRIMARY KEY,
    correlation_id TEXT,
    jet_restaurant TEXT,                   -- restaurantId (Just Eat's)
    restaurant_id  TEXT,                   -- ours, when known
    tenant         TEXT,
    result         TEXT,                   -- success | fail, as sent
    finished_at    TEXT,                   -- timestamp, RFC 3339 UTC
    errors         TEXT NOT NULL,          -- JSON array of {code, description}
    body           TEXT NOT NULL,
    received_at    TEXT NOT NULL
);
CREATE INDEX just_eat_menu_ingestions_by_time ON just_eat_menu_ingestions (received_at);
