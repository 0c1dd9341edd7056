-- Issue 21: an order reads only the zones that can route it, not every zone of its concept.
--
-- Each zone's bounding box (from its polygon, computed by core when the zone is written) and
-- `cell`: the grid cell it is filed under (core's `geo::bbox_cell`, `level/x/y` of a quadtree
-- over the globe: the finest even level where the box spans at most two cells each way, the
-- cell of its south-west corner). An order with coordinates reads the live zones of its
-- concept filed under one of the 36 cells that can hold its point (`geo::point_cells`: an
-- index probe each, so the rows read do not grow with the chain), then keeps those whose box
-- holds the point. A B-tree on `min_lat` alone would scan every zone south of the point.
-- Rows written before this migration have NULL here and are always read (correct, just not
-- bounded) until their zones are written again: the polygon cannot be read in SQL.

ALTER TABLE delivery_zones ADD COLUMN min_lat REAL;
ALTER TABLE delivery_zones ADD COLUMN max_lat REAL;
ALTER TABLE delivery_zones ADD COLUMN min_lon REAL;
ALTER TABLE delivery_zones ADD COLUMN max_lon REAL;
ALTER TABLE delivery_zones ADD COLUMN cell TEXT;

CREATE INDEX delivery_zones_by_cell ON delivery_zones (concept_id, cell);
-- A site order's `address.zone_id` is looked up across restaurants.
CREATE INDEX delivery_zones_by_zone_id ON delivery_zones (concept_id, zone_id);
