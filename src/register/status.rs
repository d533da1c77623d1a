//! The register's answer to "who has sent what": a pure function from the recorded messages
//! and paper marks to each unit's status at a given moment.
//!
//! Rules (DESIGN.md): the time that counts is when the office received the mail; for each item
//! the *first* receipt decides on-time status, while the latest different version is the one
//! whose content counts; an identical resend (same attachment bytes) is not a new version;
//! a damaged file does not count as received.

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, FixedOffset, TimeZone};
use chrono_tz::Tz;
use serde::{Serialize, Serializer, ser::SerializeMap};

use crate::config::{Campaign, Unit};
use crate::i18n::t;
use crate::store::{Mark, MessageRow};

/// A unit's overall state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    /// Everything, first receipts all before the deadline.
    CompleteOnTime,
    /// Everything, at least one item first received after the deadline.
    CompleteLate,
    /// Some items.
    Partial,
    /// Nothing.
    Missing,
}

impl State {
    /// Vietnamese label for tables.
    pub fn label(self) -> String {
        self.label_in(crate::i18n::lang())
    }

    /// The label in `lang`, whatever the run's language (the drafts are Vietnamese documents).
    pub fn label_in(self, lang: crate::i18n::Lang) -> String {
        let c = crate::i18n::Catalogue::of(lang);
        match self {
            State::CompleteOnTime => c.text("state-complete-on-time", &[]),
            State::CompleteLate => c.text("state-complete-late", &[]),
            State::Partial => c.text("state-partial", &[]),
            State::Missing => c.text("state-missing", &[]),
        }
    }
}

/// One item of one unit.
#[derive(Debug, Clone, Serialize)]
pub struct ItemStatus {
    /// First receipt: the time that decides on-time status (RFC 3339, office time zone).
    pub received_at: String,
    /// Message-ID of the version that counts (the latest different one).
    pub message_id: String,
    /// First receipt after the deadline.
    pub late: bool,
    /// File name(s) of the version that counts.
    pub source_file: Option<String>,
    /// `mail` or `paper`.
    pub source: &'static str,
    /// Receipt time of the version that counts.
    pub updated_at: String,
    /// How many different versions were sent.
    pub versions: usize,
}

/// Items in campaign order, serialised as a JSON object.
#[derive(Debug, Clone)]
pub struct Items(pub Vec<(String, Option<ItemStatus>)>);

impl Serialize for Items {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

/// One unit.
#[derive(Debug, Clone, Serialize)]
pub struct UnitStatus {
    /// Unit id.
    pub id: String,
    /// Unit name.
    pub name: String,
    /// Overall state.
    pub status: State,
    /// Per required item.
    pub items: Items,
    /// Ids of items still missing.
    pub missing: Vec<String>,
    /// Items that arrived only as files that cannot be read (not counted as received).
    pub unreadable: Vec<String>,
    /// Items a file was named as (or the subject promised) whose form was not recognised in
    /// it: not counted as received, shown as "cần kiểm tra" rather than "chưa nhận".
    pub to_check: Vec<String>,
    /// Problems staff should look at.
    pub problems: Vec<String>,
}

/// A message about the campaign whose unit is not known.
#[derive(Debug, Clone, Serialize)]
pub struct Unidentified {
    /// Message-ID.
    pub message_id: String,
    /// Sender.
    pub from: Option<String>,
    /// Subject.
    pub subject: String,
    /// Receipt time.
    pub received_at: Option<String>,
}

/// The register for one campaign at one moment.
#[derive(Debug, Clone, Serialize)]
pub struct Status {
    /// Campaign id.
    pub campaign: String,
    /// Its number ("809-CV/HU").
    pub number: String,
    /// Its title.
    pub title: String,
    /// Unit deadline.
    pub deadline: String,
    /// The moment this status describes.
    pub as_of: String,
    /// Units in registry order.
    pub units: Vec<UnitStatus>,
    /// Mail about this campaign whose sender is unknown.
    pub unidentified: Vec<Unidentified>,
    /// Message row ids that were identical resends (not new submissions).
    #[serde(skip)]
    pub resends: BTreeSet<i64>,
}

impl Status {
    /// The unit with this id.
    pub fn unit(&self, id: &str) -> Option<&UnitStatus> {
        self.units.iter().find(|u| u.id == id)
    }

    /// Count of units in each state.
    pub fn count(&self, s: State) -> usize {
        self.units.iter().filter(|u| u.status == s).count()
    }
}

/// One version of a unit's item: a message and its files that carry the item.
#[derive(Debug, Clone)]
pub struct Version<'a> {
    /// The message.
    pub msg: &'a MessageRow,
    /// Its receipt time (unix seconds).
    pub ts: i64,
    /// Its files that carry the item (damaged ones only when staff accepted them).
    pub files: Vec<&'a crate::store::NewAttachment>,
    /// The content: the sorted hashes of those files.
    key: String,
}

/// The versions of every (unit, item) of a campaign at a moment — the one rule the register,
/// `forms`, the figures and the drafts follow for "which message counts".
#[derive(Debug, Default)]
pub struct ItemVersions<'a> {
    /// Per (unit, item): the different contents, in order of first receipt (receipt time,
    /// then register order). An identical resend is not a version: the first copy stands,
    /// so the current one is the *first* message that carried the latest content.
    pub by_item: HashMap<(String, String), Vec<Version<'a>>>,
    /// Row ids of the identical resends left out.
    pub resends: BTreeSet<i64>,
}

impl<'a> ItemVersions<'a> {
    /// The version of (unit, item) that counts: the latest different content.
    pub fn current(&self, unit: &str, item: &str) -> Option<&Version<'a>> {
        self.by_item
            .get(&(unit.to_string(), item.to_string()))
            .and_then(|v| v.last())
    }

    /// The first version (its receipt decides on-time status).
    pub fn first(&self, unit: &str, item: &str) -> Option<&Version<'a>> {
        self.by_item
            .get(&(unit.to_string(), item.to_string()))
            .and_then(|v| v.first())
    }
}

/// Groups the messages of `campaign` received by `now_ts` into each item's versions. Messages
/// of another campaign, duplicates, unidentified ones and damaged files (unless staff accepted
/// them) are left out.
pub fn item_versions<'a>(
    campaign: &str,
    messages: &'a [MessageRow],
    now_ts: i64,
) -> ItemVersions<'a> {
    let mut all: HashMap<(&'a str, &'a str), Vec<Version<'a>>> = HashMap::new();
    for m in messages {
        let Some(ts) = m.received_ts else { continue };
        let Some(unit) = m.unit_id.as_deref() else {
            continue;
        };
        if ts > now_ts || m.campaign_id.as_deref() != Some(campaign) || m.duplicate_of.is_some() {
            continue;
        }
        // A mail carries a few files: a list searched in place of a map made for each mail.
        let mut by_item: Vec<(&str, Vec<&crate::store::NewAttachment>)> = Vec::new();
        for a in &m.attachments {
            if a.error.is_some() && a.item_by.as_deref() != Some("staff") {
                continue;
            }
            for it in &a.items {
                match by_item.iter_mut().find(|(i, _)| *i == it.as_str()) {
                    Some((_, atts)) => atts.push(a),
                    None => by_item.push((it.as_str(), vec![a])),
                }
            }
        }
        for (item, atts) in by_item {
            let mut shas: Vec<&str> = atts.iter().map(|a| a.sha256.as_str()).collect();
            shas.sort_unstable();
            all.entry((unit, item)).or_default().push(Version {
                msg: m,
                ts,
                files: atts,
                key: shas.join(","),
            });
        }
    }
    let mut out = ItemVersions::default();
    for (k, mut vs) in all {
        vs.sort_by_key(|v| (v.ts, v.msg.id));
        let mut distinct: Vec<Version> = Vec::new();
        // A unit sends some items dozens of times over a campaign: a set, not a scan of every
        // earlier version for each.
        let mut seen: std::collections::HashSet<String> = std::collections::HashSet::new();
        for v in vs {
            if seen.contains(&v.key) {
                out.resends.insert(v.msg.id);
            } else {
                seen.insert(v.key.clone());
                distinct.push(v);
            }
        }
        out.by_item
            .insert((k.0.to_string(), k.1.to_string()), distinct);
    }
    out
}

/// Formats a unix time in the office time zone.
pub fn local_rfc3339(ts: i64, tz: Tz) -> String {
    tz.timestamp_opt(ts, 0)
        .single()
        .map(|t| t.fixed_offset().to_rfc3339())
        .unwrap_or_default()
}

/// Leaves in each file of `messages` only what [`compute`] reads from its stored reading: the
/// reading's problems and each form's problems other than missing rows. The status computed
/// from the result is the same; rows kept between pages (the console's matrix) then hold a few
/// bytes per file instead of every cell and section read, and computing the status again does
/// not parse every reading again. A reading that cannot be read back is left as it is, for
/// `compute` to report as before.
pub fn keep_what_compute_reads(messages: &mut [MessageRow]) {
    use crate::store::ForRegister;
    for a in messages.iter_mut().flat_map(|m| m.attachments.iter_mut()) {
        match crate::forms::Reading::for_register(a) {
            ForRegister::Whole => {}
            ForRegister::Nothing => a.document = None,
            ForRegister::Part(p) => a.document = Some(p),
        }
    }
}

/// Computes the status of `campaign` at `now`.
pub fn compute(
    campaign: &Campaign,
    units: &[Unit],
    messages: &[MessageRow],
    marks: &[Mark],
    now: DateTime<FixedOffset>,
    tz: Tz,
) -> Status {
    let now_ts = now.timestamp();
    let versions = item_versions(&campaign.id, messages, now_ts);
    let mut problems: HashMap<&str, Vec<String>> = HashMap::new();
    let mut unidentified = Vec::new();
    let mut damaged: std::collections::HashSet<(&str, &str)> = std::collections::HashSet::new();
    let mut unrecognised: std::collections::HashSet<(&str, &str)> =
        std::collections::HashSet::new();
    for m in messages {
        let Some(ts) = m.received_ts else { continue };
        if ts > now_ts
            || m.campaign_id.as_deref() != Some(campaign.id.as_str())
            || m.duplicate_of.is_some()
        {
            continue;
        }
        let Some(unit) = m.unit_id.as_deref() else {
            unidentified.push(Unidentified {
                message_id: m.message_id.clone(),
                from: m.from_addr.clone(),
                subject: m.subject.clone(),
                received_at: m.received_at.clone(),
            });
            continue;
        };
        for f in &m.flags {
            if let Some(item) = f.unrecognised_form() {
                unrecognised.insert((unit, item));
            }
        }
        match m.reading {
            crate::store::ReadingState::Pending | crate::store::ReadingState::Slow => {
                // Counted from its file names meanwhile; the reading confirms or corrects it.
                problems
                    .entry(unit)
                    .or_default()
                    .push(t!("prob-reading-now"));
            }
            _ => {}
        }
        for a in &m.attachments {
            // A file staff accepted by hand counts, whatever its reading said.
            if let Some(err) = a
                .error
                .as_ref()
                .filter(|_| a.item_by.as_deref() != Some("staff"))
            {
                problems
                    .entry(unit)
                    .or_default()
                    .push(format!("{}: {err}", a.name));
                for it in &a.items {
                    damaged.insert((unit, it.as_str()));
                }
            }
        }
        for p in &m.problems {
            problems.entry(unit).or_default().push(p.clone());
        }
        // What reading the documents found: scans to check, rows ticked twice or not at all.
        for a in &m.attachments {
            let list = problems.entry(unit).or_default();
            let reading = match crate::forms::Reading::stored(a) {
                Ok(Some(r)) => r,
                Ok(None) => continue,
                Err(e) => {
                    list.push(crate::i18n::technical(
                        t!("prob-stored-reading", file = a.name.as_str()),
                        e,
                    ));
                    continue;
                }
            };
            for p in &reading.problems {
                list.push(format!("{}: {p}", a.name));
            }
            for f in &reading.forms {
                for p in &f.problems {
                    if p.kind != crate::forms::FormProblemKind::MissingRow {
                        list.push(format!("{}: {}", a.name, p.message));
                    }
                }
            }
        }
    }
    let resends = versions.resends.clone();
    let mut out_units = Vec::new();
    for u in units.iter().filter(|u| campaign.applies_to(&u.kind)) {
        let mut items = Vec::new();
        let mut missing = Vec::new();
        let mut late_any = false;
        // A unit given an extension (gia hạn) is late only after its own deadline.
        let deadline_ts = campaign.deadline_for(&u.id).timestamp();
        for it in &campaign.items {
            let first = versions.first(&u.id, &it.id);
            let st = match (first, versions.current(&u.id, &it.id)) {
                (Some(first), Some(last)) => Some(ItemStatus {
                    received_at: local_rfc3339(first.ts, tz),
                    message_id: last.msg.message_id.clone(),
                    late: first.ts > deadline_ts,
                    source_file: Some(
                        last.files
                            .iter()
                            .map(|a| a.name.as_str())
                            .collect::<Vec<_>>()
                            .join("; "),
                    ),
                    source: "mail",
                    updated_at: local_rfc3339(last.ts, tz),
                    versions: versions
                        .by_item
                        .get(&(u.id.clone(), it.id.clone()))
                        .map_or(0, Vec::len),
                }),
                _ => marks
                    .iter()
                    .find(|m| m.unit_id == u.id && m.item_id == it.id && m.at_ts <= now_ts)
                    .map(|m| ItemStatus {
                        received_at: local_rfc3339(m.at_ts, tz),
                        message_id: String::new(),
                        late: m.at_ts > deadline_ts,
                        source_file: None,
                        source: "paper",
                        updated_at: local_rfc3339(m.at_ts, tz),
                        versions: 1,
                    }),
            };
            match &st {
                Some(s) => late_any |= s.late,
                None => missing.push(it.id.clone()),
            }
            items.push((it.id.clone(), st));
        }
        let status = if missing.is_empty() {
            if late_any {
                State::CompleteLate
            } else {
                State::CompleteOnTime
            }
        } else if missing.len() == campaign.items.len() {
            State::Missing
        } else {
            State::Partial
        };
        let unreadable: Vec<String> = missing
            .iter()
            .filter(|i| damaged.contains(&(u.id.as_str(), i.as_str())))
            .cloned()
            .collect();
        let to_check: Vec<String> = missing
            .iter()
            .filter(|i| {
                unrecognised.contains(&(u.id.as_str(), i.as_str())) && !unreadable.contains(i)
            })
            .cloned()
            .collect();
        let mut probs = problems.remove(u.id.as_str()).unwrap_or_default();
        let mut seen = std::collections::HashSet::new();
        probs.retain(|p| seen.insert(p.clone()));
        out_units.push(UnitStatus {
            id: u.id.clone(),
            name: u.name.clone(),
            status,
            items: Items(items),
            missing,
            unreadable,
            to_check,
            problems: probs,
        });
    }
    Status {
        campaign: campaign.id.clone(),
        number: campaign.number.clone(),
        title: campaign.title.clone(),
        deadline: campaign
            .deadline
            .with_timezone(&tz)
            .fixed_offset()
            .to_rfc3339(),
        as_of: now.with_timezone(&tz).fixed_offset().to_rfc3339(),
        units: out_units,
        unidentified,
        resends,
    }
}
