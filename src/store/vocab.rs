//! The words the register stores in its state columns, as types: what an outgoing mail is, where
//! it stands, its idempotency key, and the flags a message carries. Each is written and read in
//! this one place, so a misspelt state is a compile error, not a row nobody finds.

use std::fmt;

use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, ValueRef};
use serde::Serialize;

use crate::i18n::t;

/// Declares a unit-only enum stored as a word: `as_str`, parsing, `Display`, and the SQLite
/// conversions (an unknown word read back is an error naming it).
macro_rules! stored_word {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $v:ident = $w:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vm])* $v),+ }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$v),+];

            /// The stored word.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$v => $w),+ }
            }

            /// The value a stored word names, if any.
            pub fn parse(word: &str) -> Option<Self> {
                match word { $($w => Some($name::$v),)+ _ => None }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ToSql for $name {
            fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
                Ok(ToSqlOutput::from(self.as_str()))
            }
        }

        impl FromSql for $name {
            fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
                let word = value.as_str()?;
                $name::parse(word).ok_or_else(|| {
                    FromSqlError::Other(format!("unknown {} {word:?}", stringify!($name)).into())
                })
            }
        }
    };
}

stored_word! {
    /// What an outgoing mail is.
    OutboxKind {
        /// The receipt of a unit's mail.
        Receipt = "receipt",
        /// A reminder to a unit.
        Reminder = "reminder",
        /// The staff digest.
        Digest = "digest",
        /// The consolidated drafts.
        Draft = "draft",
        /// A test mail (`baocao send-test`).
        Test = "test",
        /// Anything else.
        #[default]
        Other = "other",
    }
}

stored_word! {
    /// Where an outgoing mail stands.
    OutboxStatus {
        /// Waiting for its turn (or its next try).
        #[default]
        Queued = "queued",
        /// Handed to the server; the result is not recorded yet.
        Sending = "sending",
        /// Accepted by the server.
        Sent = "sent",
        /// Written to a file instead of sent (the demo).
        Written = "written",
        /// Refused for good.
        Failed = "failed",
        /// baocao stopped while sending: it may or may not have arrived.
        Uncertain = "uncertain",
        /// Not wanted any more (a reminder whose unit completed meanwhile).
        Cancelled = "cancelled",
    }
}

stored_word! {
    /// What an entry of the event log records. The store's own changes (assign, aliases,
    /// units import, reread) are written by the store itself under these same words.
    EventKind {
        /// `baocao run` started: answers an earlier configuration change.
        #[default]
        DaemonStarted = "daemon_started",
        /// A configuration file changed while the daemon ran.
        ConfigChanged = "config_changed",
        /// Reading the mailbox failed.
        PollFailed = "poll_failed",
        /// Reading the mailbox works again.
        PollRecovered = "poll_recovered",
        /// A folder's UIDVALIDITY changed: it is read again from the start.
        UidvalidityChanged = "uidvalidity_changed",
        /// Staff assigned a message or a file.
        Assign = "assign",
        /// An alias was learnt.
        AliasAdd = "alias_add",
        /// An alias was removed.
        AliasRemove = "alias_remove",
        /// The units registry was imported.
        UnitsImport = "units_import",
        /// An address was marked good or bad by staff.
        Mark = "mark",
        /// A message was read again.
        Reread = "reread",
    }
}

impl OutboxKind {
    /// What it is, in the words staff read.
    pub fn label(self) -> String {
        match self {
            OutboxKind::Receipt => t!("kind-receipt"),
            OutboxKind::Reminder => t!("kind-reminder"),
            OutboxKind::Digest => t!("kind-digest"),
            OutboxKind::Draft => t!("kind-draft"),
            OutboxKind::Test => t!("kind-test"),
            OutboxKind::Other => t!("kind-other"),
        }
    }
}

impl OutboxStatus {
    /// Where it stands, in the words staff read.
    pub fn label(self) -> String {
        match self {
            OutboxStatus::Queued => t!("status-queued"),
            OutboxStatus::Sending => t!("status-sending"),
            OutboxStatus::Sent => t!("status-sent"),
            OutboxStatus::Written => t!("status-written"),
            OutboxStatus::Failed => t!("status-failed"),
            OutboxStatus::Uncertain => t!("status-uncertain"),
            OutboxStatus::Cancelled => t!("status-cancelled"),
        }
    }

    /// Whether the mail went out or still may: neither cancelled nor refused for good.
    pub fn counts(self) -> bool {
        !matches!(self, OutboxStatus::Cancelled | OutboxStatus::Failed)
    }
}

/// When a reminder was decided: at a planned slot, or by staff.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ReminderWhen {
    /// A planned slot (RFC 3339): one reminder per unit and slot.
    Slot(String),
    /// Staff asked at this time (RFC 3339).
    Manual(String),
}

/// The idempotency key of an outgoing mail: the same key is never queued twice. Built and
/// parsed here only; the stored text is what `Display` writes.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum OutboxKey {
    /// The receipt of the message with these raw bytes (SHA-256).
    Receipt {
        /// The message's hash.
        sha256: String,
    },
    /// A reminder to `unit` for `campaign`.
    Reminder {
        /// Campaign id.
        campaign: String,
        /// Planned slot or staff request.
        when: ReminderWhen,
        /// Unit id.
        unit: String,
    },
    /// The digest of one cron slot.
    Digest {
        /// The slot (RFC 3339, or as the caller names it).
        slot: String,
    },
    /// One build of a campaign's drafts.
    Draft {
        /// Campaign id.
        campaign: String,
        /// The start of the build's fingerprint.
        build: String,
    },
    /// A key given by hand, or written by an older version.
    Other(String),
}

impl OutboxKey {
    /// Whether this is a reminder sent at a planned slot (those count against the limit per
    /// unit; staff's own reminders do not).
    pub fn is_planned_reminder(&self) -> bool {
        matches!(
            self,
            OutboxKey::Reminder {
                when: ReminderWhen::Slot(_),
                ..
            }
        )
    }

    /// Reads a stored key; what is not one of baocao's own shapes is kept as it is.
    pub fn parse(text: &str) -> OutboxKey {
        let other = || OutboxKey::Other(text.to_string());
        if let Some(sha) = text.strip_prefix("receipt:") {
            return OutboxKey::Receipt {
                sha256: sha.to_string(),
            };
        }
        if let Some(slot) = text.strip_prefix("digest:") {
            return OutboxKey::Digest {
                slot: slot.to_string(),
            };
        }
        if let Some(rest) = text.strip_prefix("draft:") {
            return match rest.split_once(':') {
                Some((c, b)) => OutboxKey::Draft {
                    campaign: c.to_string(),
                    build: b.to_string(),
                },
                None => other(),
            };
        }
        if let Some(rest) = text.strip_prefix("remind:") {
            // remind:<campaign>:slot|manual:<RFC 3339 time, itself with colons>:<unit>
            for (word, slot) in [(":slot:", true), (":manual:", false)] {
                if let Some((campaign, tail)) = rest.split_once(word)
                    && let Some((time, unit)) = tail.rsplit_once(':')
                {
                    let time = time.to_string();
                    return OutboxKey::Reminder {
                        campaign: campaign.to_string(),
                        when: if slot {
                            ReminderWhen::Slot(time)
                        } else {
                            ReminderWhen::Manual(time)
                        },
                        unit: unit.to_string(),
                    };
                }
            }
        }
        other()
    }
}

impl fmt::Display for OutboxKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OutboxKey::Receipt { sha256 } => write!(f, "receipt:{sha256}"),
            OutboxKey::Reminder {
                campaign,
                when,
                unit,
            } => match when {
                ReminderWhen::Slot(t) => write!(f, "remind:{campaign}:slot:{t}:{unit}"),
                ReminderWhen::Manual(t) => write!(f, "remind:{campaign}:manual:{t}:{unit}"),
            },
            OutboxKey::Digest { slot } => write!(f, "digest:{slot}"),
            OutboxKey::Draft { campaign, build } => write!(f, "draft:{campaign}:{build}"),
            OutboxKey::Other(k) => f.write_str(k),
        }
    }
}

impl ToSql for OutboxKey {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(self.to_string()))
    }
}

impl FromSql for OutboxKey {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        Ok(OutboxKey::parse(value.as_str()?))
    }
}

impl Serialize for OutboxKey {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// Declares the flags a message can carry: the plain ones are words, `FormUnrecognised`
/// carries its item, and a word no version of baocao knows is kept as `Other` (a newer
/// version's flag must survive an older one reading and rewriting the row).
macro_rules! flags {
    ($($(#[$vm:meta])* $v:ident = $w:literal),+ $(,)?) => {
        /// A flag a message carries, stored as a word in its `flags` list.
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Flag {
            $($(#[$vm])* $v,)+
            /// A file was named as this form (its item id) but the form was not recognised in
            /// it: the item is to be checked, not missing.
            FormUnrecognised(String),
            /// A word this version does not know, kept as it was.
            Other(String),
        }

        impl Flag {
            /// The plain flags (those without data), in declaration order.
            pub const PLAIN: &'static [Flag] = &[$(Flag::$v),+];

            /// Reads a stored word.
            pub fn parse(word: &str) -> Flag {
                match word {
                    $($w => Flag::$v,)+
                    w => match w.strip_prefix(FORM_UNRECOGNISED_PREFIX) {
                        Some(item) => Flag::FormUnrecognised(item.to_string()),
                        None => Flag::Other(w.to_string()),
                    },
                }
            }
        }

        impl fmt::Display for Flag {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                match self {
                    $(Flag::$v => f.write_str($w),)+
                    Flag::FormUnrecognised(item) => write!(f, "{FORM_UNRECOGNISED_PREFIX}{item}"),
                    Flag::Other(w) => f.write_str(w),
                }
            }
        }
    };
}

/// How `Flag::FormUnrecognised` is stored: this prefix, then the item id.
const FORM_UNRECOGNISED_PREFIX: &str = "form_unrecognised:";

flags! {
    /// A delivery failure report: its addresses are marked bad.
    Bounce = "bounce",
    /// Reading this message failed inside baocao; it is read again at the next start.
    InternalError = "internal_error",
    /// Its reading failed too often (crash, memory, time): left for staff.
    Quarantined = "quarantined",
    /// Another message with the same Message-ID and other bytes was recorded first.
    DuplicateMessageId = "duplicate_message_id",
    /// Sent by a machine (`Auto-Submitted`): never answered with a receipt.
    AutoSubmitted = "auto_submitted",
    /// A list or bulk mail (`List-Id`, `Precedence`): never answered.
    ListOrBulk = "list_or_bulk",
    /// Its time is far from when it was fetched: the fetch time counts, staff check.
    ImplausibleTime = "implausible_time",
    /// A document carries a secrecy mark (MẬT …): staff handle it by hand.
    SecretDocument = "secret_document",
    /// A delivery status notification.
    DeliveryReport = "delivery_report",
    /// Forwarded in by office staff: the original's sender and time count.
    ForwardedByStaff = "forwarded_by_staff",
    /// … forwarded pasted into the body (not attached).
    InlineForward = "inline_forward",
    /// Sent by the office or its staff themselves.
    FromOffice = "from_office",
    /// Not a submission; a second flag says which kind (`DeliveryReport` or one of the five
    /// below).
    NotSubmission = "not_submission",
    /// Not a submission: a read receipt.
    ReadReceipt = "read_receipt",
    /// Not a submission: an automatic reply (out of office …).
    AutoReply = "auto_reply",
    /// Not a submission: a mailing list or newsletter.
    ListOrNewsletter = "list_or_newsletter",
    /// Not a submission: a meeting invitation.
    Invitation = "invitation",
    /// Not a submission: the office's own outgoing mail.
    OfficeOutgoing = "office_outgoing",
    /// Answers another request than the campaigns' (an explicit other number).
    OtherRequest = "other_request",
    /// The evidence names different units: shown to staff with the candidates.
    UnitConflict = "unit_conflict",
    /// The evidence fits several units equally: shown to staff, never guessed.
    AmbiguousUnit = "ambiguous_unit",
}

impl Flag {
    /// The item of a `FormUnrecognised` flag.
    pub fn unrecognised_form(&self) -> Option<&str> {
        match self {
            Flag::FormUnrecognised(item) => Some(item),
            _ => None,
        }
    }
}

impl Serialize for Flag {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Flag {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let word = std::borrow::Cow::<'de, str>::deserialize(d)?;
        Ok(Flag::parse(&word))
    }
}

/// Adds `flag` to `flags` unless it is there already.
pub fn add_flag(flags: &mut Vec<Flag>, flag: Flag) {
    if !flags.contains(&flag) {
        flags.push(flag);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_reads_back_as_it_was_built() {
        let keys = [
            OutboxKey::Receipt {
                sha256: "ab12".into(),
            },
            OutboxKey::Reminder {
                campaign: "809-CV-HU".into(),
                when: ReminderWhen::Slot("2023-01-27T08:00:00+07:00".into()),
                unit: "loc-an".into(),
            },
            OutboxKey::Reminder {
                campaign: "809-CV-HU".into(),
                when: ReminderWhen::Manual("2023-02-02T08:00:00+07:00".into()),
                unit: "loc-an".into(),
            },
            OutboxKey::Digest {
                slot: "2023-01-30T07:30:00+07:00".into(),
            },
            OutboxKey::Draft {
                campaign: "809-CV-HU".into(),
                build: "0123456789abcdef".into(),
            },
            OutboxKey::Other("test:a@b.vn:1675300000".into()),
        ];
        for k in keys {
            assert_eq!(OutboxKey::parse(&k.to_string()), k, "{k}");
        }
        assert_eq!(
            OutboxKey::parse("remind:809-CV-HU:slot:2023-01-27T08:00:00+07:00:loc-an").to_string(),
            "remind:809-CV-HU:slot:2023-01-27T08:00:00+07:00:loc-an"
        );
        assert!(
            OutboxKey::parse("remind:c:slot:2023-01-27T08:00:00+07:00:u").is_planned_reminder()
        );
        assert!(
            !OutboxKey::parse("remind:c:manual:2023-01-27T08:00:00+07:00:u").is_planned_reminder()
        );
    }

    #[test]
    fn flags_read_back_as_written_and_unknown_words_survive() {
        let mut all: Vec<Flag> = Flag::PLAIN.to_vec();
        all.push(Flag::FormUnrecognised("bieu2".into()));
        all.push(Flag::Other("a_flag_from_a_newer_version".into()));
        for f in &all {
            assert_eq!(Flag::parse(&f.to_string()), *f, "{f}");
        }
        let json = serde_json::to_string(&all).expect("json");
        assert!(json.contains("\"form_unrecognised:bieu2\""), "{json}");
        assert!(json.contains("\"quarantined\""), "{json}");
        let back: Vec<Flag> = serde_json::from_str(&json).expect("back");
        assert_eq!(back, all);
        assert_eq!(
            Flag::parse("form_unrecognised:bieu4").unrecognised_form(),
            Some("bieu4")
        );
        assert_eq!(Flag::parse("bounce"), Flag::Bounce);
        let mut v = vec![Flag::Bounce];
        add_flag(&mut v, Flag::Bounce);
        add_flag(&mut v, Flag::Quarantined);
        assert_eq!(v, [Flag::Bounce, Flag::Quarantined]);
    }

    #[test]
    fn stored_words_round_trip_and_unknown_words_are_refused() {
        for k in OutboxKind::ALL {
            assert_eq!(OutboxKind::parse(k.as_str()), Some(*k));
        }
        for s in OutboxStatus::ALL {
            assert_eq!(OutboxStatus::parse(s.as_str()), Some(*s));
        }
        for e in EventKind::ALL {
            assert_eq!(EventKind::parse(e.as_str()), Some(*e));
        }
        assert_eq!(OutboxStatus::parse("sentt"), None);
        assert!(!OutboxStatus::Cancelled.counts());
        assert!(OutboxStatus::Uncertain.counts());
    }
}
