//! The SQL of console sessions (`migrations/0027_console_sessions.sql`): a session made at
//! sign-in, whether one is live, and sign-out's revocation. The cookie's signature and
//! expiry are core's (`console_session::verify`); the row is what sign-out can take back.

use super::{Arg, Storage};
use crate::error::EdgeError;

impl Storage {
    /// Records a new session, and forgets the ones expired by `now` (RFC 3339 UTC to the
    /// second, as `expires_at` is written), so the table holds live sessions only.
    pub async fn create_session(
        &self,
        sid: &str,
        created_at: &str,
        expires_at: &str,
        now: &str,
    ) -> Result<(), EdgeError> {
        let expired = self.statement(
            "DELETE FROM console_sessions WHERE expires_at < ?1",
            &[Arg::Text(now)],
        )?;
        let insert = self.statement(
            "INSERT INTO console_sessions (sid, created_at, expires_at) VALUES (?1, ?2, ?3)",
            &[Arg::Text(sid), Arg::Text(created_at), Arg::Text(expires_at)],
        )?;
        self.commit(vec![expired, insert]).await
    }

    /// Whether session `sid` exists and is not revoked.
    pub async fn session_live(&self, sid: &str) -> Result<bool, EdgeError> {
        let row: Option<serde_json::Value> = self
            .row(
                "SELECT 1 AS live FROM console_sessions WHERE sid = ?1 AND revoked_at IS NULL",
                &[Arg::Text(sid)],
            )
            .await?;
        Ok(row.is_some())
    }

    /// Revokes session `sid` (sign-out); a revoked one keeps its first revocation time.
    pub async fn revoke_session(&self, sid: &str, at: &str) -> Result<(), EdgeError> {
        let statement = self.statement(
            "UPDATE console_sessions SET revoked_at = ?2 WHERE sid = ?1 AND revoked_at IS NULL",
            &[Arg::Text(sid), Arg::Text(at)],
        )?;
        self.commit(vec![statement]).await
    }
}
