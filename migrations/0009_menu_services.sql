-- A concept's menus per service (issue 16). JET Connect may push a DELIVERY and a
-- COLLECTION menu under one `reference`; both are kept, and an order is checked against the
-- menu of its own service type. `service` is 'DELIVERY' or 'COLLECTION' for a JET Connect
-- menu, '' for a menu that serves every order (the admin API's, an upstream Jupiter's: the
-- rows that existed before this migration). A concept has either one '' row or typed rows:
-- writing one kind removes the other (edge/src/storage/catalog.rs, `put_menus`).
--
-- SQLite cannot change a primary key in place, so the table is rebuilt. Nothing references
-- `menus`, so dropping it is safe.
CREATE TABLE menus_by_service (
    restaurant_id TEXT NOT NULL REFERENCES restaurants(id),
    concept_id    TEXT NOT NULL,
    service       TEXT NOT NULL DEFAULT '',               -- '', 'DELIVERY' or 'COLLECTION'
    menu          TEXT NOT NULL,                          -- the Jupiter `menu` object, JSON
    last_change   TEXT NOT NULL,
    PRIMARY KEY (restaurant_id, concept_id, service)
);
INSERT INTO menus_by_service (restaurant_id, concept_id, service, menu, last_change)
    SELECT restaurant_id, concept_id, '', menu, last_change FROM menus;
DROP TABLE menus;
ALTER TABLE menus_by_service RENAME TO menus;
