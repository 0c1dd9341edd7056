-- Reconciliation with Just Eat's order reports (issue 18): each run of the hourly job (or
-- of `POST /admin/jet/reconciliation`) and what it found. `GET /admin/jet/reconciliation`
-- reads the latest run.

CREATE TABLE jet_reconciliations (
    id         TEXT PRIMARY KEY,
    ran_at     TEXT NOT NULL,          -- RFC 3339 UTC, milliseconds
    from_at    TEXT NOT NULL,          -- the window asked of Just Eat
    to_at      TEXT NOT NULL,
    sources    TEXT NOT NULL,          -- JSON array of the lists read (paths)
    checked    INTEGER NOT NULL,       -- orders Just Eat reported
    error      TEXT                    -- a list that could not be read; NULL: all read
);
CREATE INDEX jet_reconciliations_by_time ON jet_reconciliations (ran_at);

CREATE TABLE jet_reconciliation_findings (
    run_id     TEXT NOT NULL REFERENCES jet_reconciliations(id),
    seq        INTEGER NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('missing', 'disagrees')),
    order_id   TEXT NOT NULL,          -- Just Eat's orderID
    reference  TEXT NOT NULL,
    location   TEXT NOT NULL,
    ours       TEXT,                   -- the outcome the hub reported (disagrees only)
    theirs     TEXT NOT NULL,          -- Just Eat's status
    message    TEXT NOT NULL,
    PRIMARY KEY (run_id, seq)
);
