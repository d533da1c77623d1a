//! Recognition: from a parsed message to "which unit, which request, which items", with a
//! record of how each was decided so staff can trust or correct it (`baocao assign`).
//!
//! A unit's mail that staff forwarded in (attached as a message) is taken as the unit's own:
//! its sender, its text and its receipt time count.

mod item;
mod unit;

use chrono::{DateTime, FixedOffset};

pub use item::classify;
pub use unit::{Found, UnitMatcher};

use crate::config::{Campaign, Config, Unit};
use crate::message::Inbound;
use crate::vntext::Folded;

/// A decision and how it was made (`sender_address`, `subject`, `filename`, `body`, …).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    /// Unit or campaign id.
    pub id: String,
    /// How it was decided.
    pub by: String,
}

/// Items of one attachment (aligned with [`Inbound::all_parts`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PartItems {
    /// Item ids.
    pub items: Vec<String>,
    /// How (`filename`, `subject`).
    pub by: Option<String>,
}

/// What recognition found.
#[derive(Debug, Clone, Default)]
pub struct Recognition {
    /// The unit.
    pub unit: Option<Decision>,
    /// The campaign.
    pub campaign: Option<Decision>,
    /// For staff forwards: the original's receipt time.
    pub original_arrival: Option<DateTime<FixedOffset>>,
    /// Items per attachment.
    pub parts: Vec<PartItems>,
    /// Flags (`forwarded_by_staff`, `ambiguous_unit`, `delivery_report`, `from_office`).
    pub flags: Vec<String>,
    /// Plain-language problems.
    pub problems: Vec<String>,
}

/// Everything recognition needs, built once and shared by the parse workers.
#[derive(Debug, Clone)]
pub struct Recogniser {
    config: Config,
    units: Vec<Unit>,
    matcher: UnitMatcher,
}

impl Recogniser {
    /// Prepares recognition for this config and units registry.
    pub fn new(config: Config, units: Vec<Unit>) -> Self {
        let matcher = UnitMatcher::new(&units);
        Recogniser {
            config,
            units,
            matcher,
        }
    }

    /// The config it was built with.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Recognises `msg`, which arrived at `arrival`.
    pub fn recognise(&self, msg: &Inbound, arrival: Option<DateTime<FixedOffset>>) -> Recognition {
        let mut r = Recognition::default();
        let from_office = msg
            .from_addr
            .as_deref()
            .is_some_and(|a| self.config.is_office_or_staff(a));
        if msg.auto.delivery_report {
            r.flags.push("delivery_report".into());
        }
        // A staff forward: the first attached message is the unit's own mail.
        let original = if from_office {
            msg.forwarded.first()
        } else {
            None
        };
        if let Some(orig) = original {
            r.flags.push("forwarded_by_staff".into());
            r.original_arrival = orig.arrival().map(|(t, _)| t);
        } else if from_office {
            r.flags.push("from_office".into());
        }
        let sub = original.unwrap_or(msg);
        let parts = msg.all_parts();
        let names: Vec<&str> = parts.iter().map(|p| p.name.as_str()).collect();
        let names_text = names.join(" | ");

        // Unit.
        let sender = sub
            .from_addr
            .as_deref()
            .filter(|a| !self.config.is_office_or_staff(a));
        if let Some(i) = sender.and_then(|a| self.matcher.by_address(a)) {
            r.unit = Some(Decision {
                id: self.units[i].id.clone(),
                by: if original.is_some() {
                    "forwarded_original_sender"
                } else {
                    "sender_address"
                }
                .into(),
            });
        } else {
            let mut fields: Vec<(&str, String)> = vec![("subject", sub.subject.clone())];
            if original.is_some() {
                fields.push(("subject", msg.subject.clone()));
            }
            fields.push(("sender_name", sub.from_name.clone().unwrap_or_default()));
            fields.push(("filename", names_text.clone()));
            fields.push(("body", sub.body.clone()));
            for (by, text) in fields {
                match self.matcher.find(&text) {
                    Found::One(i) => {
                        r.unit = Some(Decision {
                            id: self.units[i].id.clone(),
                            by: by.into(),
                        });
                        break;
                    }
                    Found::Ambiguous(v) => {
                        let names: Vec<&str> =
                            v.iter().map(|&i| self.units[i].name.as_str()).collect();
                        r.problems.push(format!(
                            "the {by} names several units ({})",
                            names.join(", ")
                        ));
                    }
                    Found::None => {}
                }
            }
        }

        // Campaign.
        let when = r.original_arrival.or(arrival);
        let texts = [
            ("subject", format!("{} | {}", sub.subject, msg.subject)),
            ("filename", names_text),
            ("body", format!("{}\n{}", sub.body, msg.body)),
        ];
        r.campaign = self.campaign_for(&texts, when);

        // Items.
        if let Some(c) = r
            .campaign
            .as_ref()
            .and_then(|d| self.config.campaign(&d.id))
        {
            let subject_items = classify(&sub.subject, c);
            for p in &parts {
                let mut pi = PartItems::default();
                if p.kind.is_document() {
                    let items = classify(&p.name, c);
                    if !items.is_empty() {
                        pi = PartItems {
                            items,
                            by: Some("filename".into()),
                        };
                    } else if subject_items.len() == 1 && p.kind.is_document() && !p.inline {
                        pi = PartItems {
                            items: subject_items.clone(),
                            by: Some("subject".into()),
                        };
                    } else if p.kind.is_document() && !p.inline {
                        r.problems.push(format!(
                            "cannot tell which item the file {:?} is; fix with `baocao assign`",
                            p.name
                        ));
                    }
                }
                r.parts.push(pi);
            }
        } else {
            r.parts = vec![PartItems::default(); parts.len()];
        }
        r
    }

    fn best_campaign(campaigns: &[Campaign], hits: &[(usize, Option<&str>)]) -> Option<Decision> {
        let max = hits.iter().map(|h| h.0).max().unwrap_or(0);
        if max == 0 {
            return None;
        }
        let mut best = hits.iter().enumerate().filter(|(_, h)| h.0 == max);
        match (best.next(), best.next()) {
            (Some((i, (_, Some(field)))), None) => Some(Decision {
                id: campaigns[i].id.clone(),
                by: (*field).into(),
            }),
            _ => None,
        }
    }

    fn campaign_for(
        &self,
        texts: &[(&str, String)],
        when: Option<DateTime<FixedOffset>>,
    ) -> Option<Decision> {
        // Fields in order of trust; the body (the longest) is only read when the subject and
        // file names do not already decide.
        let mut hits: Vec<(usize, Option<&str>)> = vec![(0, None); self.config.campaigns.len()];
        for (field, text) in texts {
            let f = Folded::new(text);
            for (i, c) in self.config.campaigns.iter().enumerate() {
                let n = c
                    .keywords
                    .iter()
                    .filter(|k| !f.find_words(k).is_empty())
                    .count();
                if n > 0 {
                    hits[i].0 += n;
                    hits[i].1.get_or_insert(field);
                }
            }
            if let Some(d) = Self::best_campaign(&self.config.campaigns, &hits) {
                return Some(d);
            }
        }
        // Units often write only "gửi báo cáo": if exactly one request was open when the mail
        // arrived, it is the one.
        let when = when?;
        let open: Vec<&Campaign> = self
            .config
            .campaigns
            .iter()
            .filter(|c| {
                let start = c
                    .issued
                    .and_hms_opt(0, 0, 0)
                    .map(|d| d.and_utc().timestamp())
                    .unwrap_or(0);
                let end = c.consolidation_deadline.timestamp() + 60 * 86_400;
                (start..=end).contains(&when.timestamp())
            })
            .collect();
        match open.as_slice() {
            [c] => Some(Decision {
                id: c.id.clone(),
                by: "only_open_campaign".into(),
            }),
            _ => None,
        }
    }
}
