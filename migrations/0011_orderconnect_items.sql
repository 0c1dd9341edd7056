-- Issue 16: the operator's Orderconnect item mapping (`PUT /admin/restaurants/{id}/orderconnect-items`).
-- Just Eat's ProductId, MenuCardNumber, accessory and meal-part ids are Just Eat's own; this
-- maps them to the Jupiter menu ids of one hub restaurant. An id without a row falls back to
-- the menu id written the same way. A PUT replaces a restaurant's whole mapping.

CREATE TABLE orderconnect_item_map (
    restaurant_id TEXT NOT NULL,                                   -- the hub restaurant
    kind          TEXT NOT NULL CHECK (kind IN ('product', 'menu_card', 'accessory', 'meal_part')),
    just_eat_id   TEXT NOT NULL,
    item_id       TEXT NOT NULL,                                   -- the Jupiter menu id
    updated_at    TEXT NOT NULL,                                   -- RFC 3339 UTC, milliseconds
    PRIMARY KEY (restaurant_id, kind, just_eat_id)
);
