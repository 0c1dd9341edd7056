-- The catalog relay to JET Connect and the development simulator of Just Eat's side
-- (issue 6).

-- With JET_RELAY=on, a menu ingestion is also posted to JET Connect with the hub's own
-- callback URL, carrying this token; JET Connect's callback proves itself with it.
ALTER TABLE menu_ingestions ADD COLUMN relay_token TEXT;

-- JET Connect's menu callbacks (FACTS §2.9) for relayed ingestions, as received.
CREATE TABLE jet_menu_callbacks (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    ingestion_id TEXT NOT NULL REFERENCES menu_ingestions(id),
    body         TEXT NOT NULL,
    received_at  TEXT NOT NULL
);
CREATE INDEX jet_menu_callbacks_by_ingestion ON jet_menu_callbacks (ingestion_id, seq);

-- The simulator (`SIMULATOR=on` only): every call the hub made to the simulated JET
-- Connect, as it arrived, for `GET /sim/jet/calls`. Production never writes here (the
-- simulator's routes answer 404 there).
CREATE TABLE sim_jet_calls (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    method      TEXT NOT NULL,
    path        TEXT NOT NULL,
    api_key     TEXT,                                     -- X-Flyt-Api-Key as received
    body        TEXT NOT NULL,
    received_at TEXT NOT NULL
);
