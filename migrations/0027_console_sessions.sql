-- Issue 19: the operator console's sign-in sessions (`core::console_session`). The cookie
-- carries the sid, its expiry and a signature; this row is what sign-out revokes, so a
-- signed cookie is only good while its row exists and `revoked_at` is NULL.

CREATE TABLE console_sessions (
    sid         TEXT PRIMARY KEY,                   -- 32 lowercase hex (128 random bits)
    created_at  TEXT NOT NULL,                      -- RFC 3339 UTC, milliseconds
    expires_at  TEXT NOT NULL,                      -- RFC 3339 UTC, the cookie's exp
    revoked_at  TEXT                                -- NULL while live; sign-out's time
);
