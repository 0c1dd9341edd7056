-- The development simulator of Just Eat's side (issue 6, `SIMULATOR=on` only): every call
-- the hub made to the simulated JET Connect, as it arrived, for `GET /sim/jet/calls`.
-- Production never writes here (the simulator's routes answer 404 there).

CREATE TABLE sim_jet_calls (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    method      TEXT NOT NULL,
    path        TEXT NOT NULL,
    api_key     TEXT,                                     -- X-Flyt-Api-Key as received
    body        TEXT NOT NULL,
    received_at TEXT NOT NULL
);
