-- The outbox: every call the hub owes someone else, and every attempt to make it (issue 4).
--
-- A delivery row is written in the same D1 batch as the state change that causes it (see
-- `edge/src/outbox.rs`), so it exists exactly when its cause does. Rows are never deleted:
-- a delivered or dead delivery stays with its attempts as the delivery log. Times are unix
-- seconds (attempt start times: milliseconds); the operator API renders them as RFC 3339.
-- Secrets are never stored here: they are attached when a request is sent.

CREATE TABLE outbox (
    -- Creation order. Deliveries of one ordering key go out in `seq` order; AUTOINCREMENT
    -- so a number is never reused.
    seq             INTEGER PRIMARY KEY AUTOINCREMENT,
    id              TEXT NOT NULL UNIQUE,                 -- 'dl_' + 32 hex digits
    receiver        TEXT NOT NULL,                        -- core ReceiverKind::as_str
    order_id        TEXT,                                 -- for the operator's filter
    order_key       TEXT,                                 -- '<receiver>:<order id>'; NULL: unordered
    method          TEXT NOT NULL,
    url             TEXT NOT NULL,                        -- passed the URL guard when staged
    body            TEXT NOT NULL,
    created_at      INTEGER NOT NULL,
    deadline        INTEGER,                              -- last second an attempt may start
    status          TEXT NOT NULL DEFAULT 'pending'
                    CHECK (status IN ('pending', 'delivered', 'dead')),
    -- When pending: the earliest time of the next attempt (while an attempt runs, the end
    -- of its lease). NULL once delivered or dead.
    next_attempt_at INTEGER,
    -- While an attempt runs: until when it holds the delivery (NULL otherwise).
    lease_until     INTEGER,
    attempts        INTEGER NOT NULL DEFAULT 0,           -- attempts ever made
    round_start     INTEGER NOT NULL DEFAULT 0,           -- `attempts` when last (re)played
    last_error      TEXT,
    updated_at      INTEGER NOT NULL
);

-- The sweep and the consumer: the oldest pending delivery of each key.
CREATE INDEX outbox_pending_by_key ON outbox (status, order_key, seq);
-- The sweep: what is due.
CREATE INDEX outbox_pending_due ON outbox (status, next_attempt_at);
-- The operator's log: one order's deliveries.
CREATE INDEX outbox_by_order ON outbox (order_id, seq);

CREATE TABLE outbox_attempts (
    delivery_id TEXT NOT NULL REFERENCES outbox(id),
    number      INTEGER NOT NULL,                         -- 1, 2, … over the delivery's life
    started_at  INTEGER NOT NULL,                         -- unix milliseconds
    latency_ms  INTEGER NOT NULL,
    status_code INTEGER,                                  -- NULL: no answer (timeout, network)
    verdict     TEXT NOT NULL
                CHECK (verdict IN ('delivered', 'retry', 'permanent_failure', 'refused')),
    error       TEXT,                                     -- NULL when delivered
    PRIMARY KEY (delivery_id, number)
);
