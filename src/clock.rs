//! Time as an input: every decision that depends on "now" asks a [`Clock`], which is the
//! system clock or the instant given with `--now`.

use chrono::{DateTime, FixedOffset, Utc};
use chrono_tz::Tz;

/// Where "now" comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clock {
    /// The system clock.
    System,
    /// A fixed instant (`--now`).
    Fixed(DateTime<FixedOffset>),
}

impl Clock {
    /// Now, shown in `tz`.
    pub fn now(&self, tz: Tz) -> DateTime<FixedOffset> {
        match self {
            Clock::System => Utc::now().with_timezone(&tz).fixed_offset(),
            Clock::Fixed(t) => t.with_timezone(&tz).fixed_offset(),
        }
    }
}
