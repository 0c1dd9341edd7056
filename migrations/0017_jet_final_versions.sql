-- Issue 22: old messages cannot undo new ones.
--
-- final_digests: the SHA-256 (lowercase hex) of every Final Picked Order body applied to the
-- order, separated by spaces, oldest first. A body whose digest is here was applied before
-- and changes nothing when it arrives again (a retry, or a replay that would revert a newer
-- version); see core `jet_order::replay`.
ALTER TABLE jet_orders ADD COLUMN final_digests TEXT NOT NULL DEFAULT '';
