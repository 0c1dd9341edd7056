-- A restaurant's IANA time zone (issue 16): every local time of the restaurant is computed
-- in it, daylight saving included. Set by the admin API, by JET Connect `/servicetimes`'
-- `timezone`, or by the first JET Connect order's `location.timezone` while it is NULL.
-- NULL: the fixed `utc_offset` applies, as before.
ALTER TABLE restaurants ADD COLUMN timezone TEXT;
