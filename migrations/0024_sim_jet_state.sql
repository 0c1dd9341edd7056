-- The development simulator of Just Eat (`SIMULATOR=on` only; issue 18). Production never
-- writes here: the simulator's routes answer 404 there.

-- What was sent to the simulated Just Eat, as it keeps it: menus, item availability,
-- restaurant state, sent-to-pos outcomes, the orders it sent to the hub, amendments,
-- delivery states and driver locations, delivery pools, driver ETAs, the fail control.
-- `kind` and `key` are core's (`jet::sim::answer`); `value` is JSON.
CREATE TABLE sim_jet_state (
    kind       TEXT NOT NULL,
    key        TEXT NOT NULL,
    value      TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (kind, key)
);

-- Every webhook the simulator sent to the hub, and what the hub answered.
CREATE TABLE sim_jet_sent (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    webhook     TEXT NOT NULL,                 -- the seed's path, e.g. /order-accepted
    method      TEXT NOT NULL,
    hub_path    TEXT NOT NULL,
    body        TEXT NOT NULL,
    status      INTEGER NOT NULL,
    answer      TEXT NOT NULL,
    scenario    TEXT,                          -- the scenario it was a step of
    sent_at     TEXT NOT NULL
);
