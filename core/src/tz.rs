//! A restaurant's own time zone, as data: the offsets one IANA zone uses over a window of
//! time, and the conversions every local time in the hub goes through.
//!
//! Core holds no time-zone database (it stays pure and the Worker stays small). The edge
//! resolves a zone name with the runtime's `Intl` into [`ZoneRules`] for a window around
//! now ([`ZoneRules::discover`] does the searching; the edge only supplies the probe "what
//! is the offset at this instant"), and every rule that needs a local time takes a
//! [`LocalZone`]: the zone's rules, or the restaurant's fixed `utc_offset` when it has no
//! zone.
//!
//! | question | answer |
//! |----------|--------|
//! | offset at a UTC instant | the offset of the last change at or before it; before the window's first change, the first offset; after the last, the last (a window is rebuilt long before it runs out) |
//! | UTC → local | the instant plus its offset |
//! | local → UTC, ordinary | the one instant that shows that wall time |
//! | local → UTC, repeated hour (clocks go back) | the earlier instant: the first occurrence |
//! | local → UTC, skipped hour (clocks go forward) | read with the offset in force before the gap, i.e. moved forward by the gap's length (02:30 on a spring-forward night in London is 03:30 BST), as java.time and RFC 5545 do |

use std::sync::Arc;

use chrono::{DateTime, Duration, FixedOffset, NaiveDateTime, Offset, Utc};

use crate::domain::UtcOffset;
use crate::problem::Violation;

/// One zone's offsets over a window: sorted `(from, offset)` pairs, where `from` is the UTC
/// instant (Unix seconds) from which `offset` (seconds east of UTC) applies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ZoneRules {
    name: String,
    changes: Vec<(i64, i32)>,
}

impl ZoneRules {
    /// Rules from `(from, offset)` pairs. Sorted here; consecutive equal offsets merged.
    /// `None` when there is no pair or an offset is beyond ±23:59.
    pub fn new(name: &str, mut changes: Vec<(i64, i32)>) -> Option<ZoneRules> {
        changes.sort_by_key(|&(from, _)| from);
        changes.dedup_by(|later, earlier| later.1 == earlier.1);
        if changes.is_empty()
            || changes
                .iter()
                .any(|&(_, o)| UtcOffset::from_seconds(o).is_none())
        {
            return None;
        }
        Some(ZoneRules {
            name: name.to_owned(),
            changes,
        })
    }

    /// Finds a zone's changes in `[start, end]` (Unix seconds) from a probe that answers
    /// the offset at an instant (the edge's `Intl`): samples every `step` seconds, then
    /// bisects each interval whose ends differ down to the minute (zones change on whole
    /// minutes). Two changes closer together than `step` would be missed: with a step of
    /// a day, none of today's zones does that. `None` when the probe fails.
    pub fn discover(
        name: &str,
        start: i64,
        end: i64,
        step: i64,
        mut probe: impl FnMut(i64) -> Option<i32>,
    ) -> Option<ZoneRules> {
        let step = step.max(60);
        let first = probe(start)?;
        let mut changes = vec![(start, first)];
        let (mut t, mut offset) = (start, first);
        while t < end {
            let next = (t + step).min(end);
            let next_offset = probe(next)?;
            if next_offset != offset {
                // Invariant: probe(lo) == offset, probe(hi) == next_offset.
                let (mut lo, mut hi) = (t, next);
                while hi - lo > 60 {
                    let mid = lo + (hi - lo) / 2;
                    if probe(mid)? == offset {
                        lo = mid;
                    } else {
                        hi = mid;
                    }
                }
                // Changes happen on the minute: the first minute boundary after `lo`.
                let at = (lo.div_euclid(60) + 1) * 60;
                let at = if probe(at)? == offset { hi } else { at };
                changes.push((at, probe(at)?));
            }
            t = next;
            offset = next_offset;
        }
        ZoneRules::new(name, changes)
    }

    /// The zone's IANA name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The changes, for inspection: `(from, offset)` pairs.
    pub fn changes(&self) -> &[(i64, i32)] {
        &self.changes
    }

    /// The window's first instant (Unix seconds).
    pub fn starts(&self) -> i64 {
        self.changes.first().map_or(i64::MIN, |c| c.0)
    }

    /// Seconds east of UTC at a UTC instant (Unix seconds).
    pub fn offset_at(&self, utc: i64) -> i32 {
        let i = self.changes.partition_point(|&(from, _)| from <= utc);
        let i = i.saturating_sub(1);
        self.changes.get(i).map_or(0, |c| c.1)
    }

    /// The UTC instant (Unix seconds) of a local wall time (given as Unix seconds of the
    /// same wall time read as UTC), by the rules in the module table.
    pub fn local_to_utc(&self, local: i64) -> i64 {
        // Every instant showing this wall time uses one of the zone's offsets; keep the
        // earliest consistent one (the first occurrence of a repeated hour).
        let consistent = self
            .changes
            .iter()
            .map(|&(_, o)| local - i64::from(o))
            .filter(|&utc| local - i64::from(self.offset_at(utc)) == utc)
            .min();
        if let Some(utc) = consistent {
            return utc;
        }
        // A skipped wall time: the gap is at the change whose earlier offset reads this
        // wall time as at or after the change and whose later one as before it.
        for pair in self.changes.windows(2) {
            let [(_, before), (at, after)] = pair else {
                continue;
            };
            let by_before = local - i64::from(*before);
            if by_before >= *at && local - i64::from(*after) < *at {
                return by_before;
            }
        }
        // Unreachable for rules built by `new`; the first offset is a sane answer.
        local - i64::from(self.changes.first().map_or(0, |c| c.1))
    }
}

/// The time zone a restaurant's local times are computed in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LocalZone {
    /// An IANA zone, daylight saving included.
    Iana(Arc<ZoneRules>),
    /// The restaurant's fixed `utc_offset` (restaurants without a zone).
    Fixed(UtcOffset),
}

impl From<UtcOffset> for LocalZone {
    fn from(offset: UtcOffset) -> LocalZone {
        LocalZone::Fixed(offset)
    }
}

impl From<ZoneRules> for LocalZone {
    fn from(rules: ZoneRules) -> LocalZone {
        LocalZone::Iana(Arc::new(rules))
    }
}

impl LocalZone {
    /// The IANA name, when the restaurant has one.
    pub fn name(&self) -> Option<&str> {
        match self {
            LocalZone::Iana(rules) => Some(rules.name()),
            LocalZone::Fixed(_) => None,
        }
    }

    /// The offset in force at a UTC instant.
    pub fn offset_at(&self, at: DateTime<Utc>) -> UtcOffset {
        match self {
            LocalZone::Iana(rules) => {
                UtcOffset::from_seconds(rules.offset_at(at.timestamp())).unwrap_or(UtcOffset::UTC)
            }
            LocalZone::Fixed(offset) => *offset,
        }
    }

    /// The offset in force at a UTC instant, as chrono's fixed offset.
    pub fn fixed_at(&self, at: DateTime<Utc>) -> FixedOffset {
        self.offset_at(at)
            .to_fixed_offset()
            .unwrap_or_else(|| Utc.fix())
    }

    /// A UTC instant as the restaurant's wall-clock time.
    pub fn to_local(&self, at: DateTime<Utc>) -> NaiveDateTime {
        at.naive_utc() + Duration::seconds(i64::from(self.offset_at(at).seconds()))
    }

    /// A UTC instant with the restaurant's offset at that instant (for RFC 3339 output).
    pub fn to_offset(&self, at: DateTime<Utc>) -> DateTime<FixedOffset> {
        at.with_timezone(&self.fixed_at(at))
    }

    /// A restaurant wall-clock time as a UTC instant: see the module table for the skipped
    /// and the repeated hour. `None` only outside chrono's range.
    pub fn to_utc(&self, local: NaiveDateTime) -> Option<DateTime<Utc>> {
        let wall = local.and_utc().timestamp();
        let utc = match self {
            LocalZone::Iana(rules) => rules.local_to_utc(wall),
            LocalZone::Fixed(offset) => wall - i64::from(offset.seconds()),
        };
        DateTime::from_timestamp(utc, local.and_utc().timestamp_subsec_nanos())
    }
}

/// Whether a zone name is shaped like an IANA name (`Area/Location`, `UTC`, `Etc/GMT+3`):
/// checked before the edge asks `Intl`, so no odd text reaches the runtime.
pub fn plausible_name(raw: &str) -> bool {
    !raw.is_empty()
        && raw.len() <= 64
        && raw
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'/' | b'_' | b'-' | b'+'))
        && raw.bytes().next().is_some_and(|b| b.is_ascii_alphabetic())
}

/// The refusal of a zone name the runtime's tz database does not know.
pub fn unknown_zone(field: &str, raw: &str) -> Violation {
    Violation::new(
        "invalid_timezone",
        Some(field),
        format!("must be an IANA time zone such as \"Europe/London\", got {raw:?}"),
    )
}

#[cfg(test)]
pub(crate) mod tests;
