-- Issue 21: an isolate keeps the zones it prepared for routing between orders (core's
-- `zone_memo`), and an order reads only their versions, not their polygons.
--
-- `version`: core's `zone_memo::zone_version` of the stored `zone` JSON (128 bits of its
-- SHA-256, hex), written with every zone. An order's candidate zones are read as (restaurant,
-- zone id, version); the polygon text is read only for a version the isolate has not
-- prepared. Rows written before this migration have NULL here: their JSON is read with them
-- and itself serves as the version, until the zone is written again.

ALTER TABLE delivery_zones ADD COLUMN version TEXT;
