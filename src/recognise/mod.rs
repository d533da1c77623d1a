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

use crate::config::{Campaign, Config, ItemKind, Unit};
use crate::documents::{Document, PartyHeader, parse_header};
use crate::forms::Reading;
use crate::message::Inbound;
use crate::message::Part;
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
#[derive(Debug, Clone, Default)]
pub struct PartItems {
    /// Item ids.
    pub items: Vec<String>,
    /// How: `content` (its forms or report were read), `filename`, `subject`, or
    /// `filename_unverified` (a scan or a format that could not be read: staff should look).
    pub by: Option<String>,
    /// What was read from it, when it is a document.
    pub reading: Option<Reading>,
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

    /// Recognises `msg`, which arrived at `arrival`; `docs` holds what was read from each of
    /// its attachments (aligned with [`Inbound::all_parts`], `None` for non-documents).
    pub fn recognise(
        &self,
        msg: &Inbound,
        arrival: Option<DateTime<FixedOffset>>,
        docs: &[Option<Document>],
    ) -> Recognition {
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
        let headers: Vec<Option<PartyHeader>> =
            docs.iter().map(|d| d.as_ref().map(parse_header)).collect();

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
        } else if let Some(i) = headers
            .iter()
            .flatten()
            .filter_map(|h| h.issuer.as_deref())
            .find_map(|iss| match self.matcher.find(iss) {
                Found::One(i) => Some(i),
                _ => None,
            })
        {
            // The issuing body printed on the document is the best clue after the address.
            r.unit = Some(Decision {
                id: self.units[i].id.clone(),
                by: "document_issuer".into(),
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
                        let place = match by {
                            "subject" => "tiêu đề",
                            "sender_name" => "tên người gửi",
                            "body" => "nội dung thư",
                            _ => "tên tệp",
                        };
                        r.problems.push(format!(
                            "{place} nêu tên nhiều đơn vị ({})",
                            names.join(", ")
                        ));
                    }
                    Found::None => {}
                }
            }
        }

        // Campaign.
        let when = r.original_arrival.or(arrival);
        let doc_text: String = headers
            .iter()
            .zip(docs)
            .filter_map(|(h, d)| Some((h.as_ref()?, d.as_ref()?)))
            .map(|(h, d)| {
                let head: String = d
                    .paragraphs
                    .iter()
                    .take(40)
                    .map(|p| p.text.as_str())
                    .collect::<Vec<_>>()
                    .join("\n");
                format!(
                    "{}\n{}\n{}",
                    h.references.join(" "),
                    h.title.as_deref().unwrap_or(""),
                    head
                )
            })
            .collect::<Vec<_>>()
            .join("\n");
        let texts = [
            ("subject", format!("{} | {}", sub.subject, msg.subject)),
            ("filename", names_text),
            ("body", format!("{}\n{}", sub.body, msg.body)),
            ("document", doc_text),
        ];
        r.campaign = self.campaign_for(&texts, when);

        // Items: by what each document holds when it can be read, else by its name.
        let Some(c) = r
            .campaign
            .as_ref()
            .and_then(|d| self.config.campaign(&d.id))
        else {
            r.parts = vec![PartItems::default(); parts.len()];
            return r;
        };
        let subject_items = classify(&sub.subject, c);
        for (i, p) in parts.iter().enumerate() {
            let doc = docs.get(i).and_then(Option::as_ref);
            let header = headers.get(i).cloned().flatten();
            let by_name = classify(&p.name, c);
            let fallback = if !by_name.is_empty() {
                Some((by_name.clone(), "filename"))
            } else if subject_items.len() == 1 && !p.inline {
                Some((subject_items.clone(), "subject"))
            } else {
                None
            };
            let pi = match doc {
                None if p.kind.is_document() && p.error.is_none() => match fallback {
                    Some((items, by)) => PartItems {
                        items,
                        by: Some(by.into()),
                        reading: None,
                    },
                    None => PartItems::default(),
                },
                None => PartItems {
                    // A damaged file keeps the item its name gives, so staff see what failed.
                    items: if p.error.is_some() {
                        by_name.clone()
                    } else {
                        Vec::new()
                    },
                    by: (p.error.is_some() && !by_name.is_empty()).then(|| "filename".into()),
                    reading: None,
                },
                Some(d) => {
                    let reading = Reading::new(d, header, c);
                    let (items, by, problems) = items_by_content(p, &reading, d, c, fallback);
                    r.problems.extend(problems);
                    PartItems {
                        items,
                        by,
                        reading: Some(reading),
                    }
                }
            };
            if pi.items.is_empty() && p.kind.is_document() && !p.inline && p.error.is_none() {
                r.problems.push(format!(
                    "chưa xác định được tệp {:?} là tài liệu nào; sửa bằng `baocao assign`",
                    p.name
                ));
            }
            r.parts.push(pi);
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

/// Items a readable document really holds: the forms found in it, and the report when it has
/// the report's header or outline (or is named as the report and has real text). Unreadable
/// documents (scans, unsupported formats) keep the item their name or the subject gives,
/// marked unverified.
fn items_by_content(
    p: &Part,
    reading: &Reading,
    d: &Document,
    c: &Campaign,
    fallback: Option<(Vec<String>, &str)>,
) -> (Vec<String>, Option<String>, Vec<String>) {
    let mut problems = Vec::new();
    let readable = d.has_text() && !d.scanned && reading.source != "ocr";
    if !readable {
        return match fallback {
            Some((items, _)) => (items, Some("filename_unverified".into()), problems),
            None => (Vec::new(), None, problems),
        };
    }
    let mut items: Vec<String> = Vec::new();
    for f in &reading.forms {
        if !items.contains(&f.item) {
            items.push(f.item.clone());
        }
    }
    let named: Vec<String> = fallback
        .as_ref()
        .map(|(v, _)| v.clone())
        .unwrap_or_default();
    let report = c.items.iter().find(|i| i.kind == ItemKind::Report);
    if let Some(rep) = report {
        let is_report_type = reading
            .header
            .as_ref()
            .and_then(|h| h.doc_type.as_deref())
            .is_some_and(|t| crate::vntext::fold(t) == "bao cao");
        let named_report = named.contains(&rep.id);
        if reading.sections.len() >= 2
            || is_report_type
            || (named_report && reading.text_chars >= 200 && items.is_empty())
        {
            items.insert(0, rep.id.clone());
        }
    }
    for n in &named {
        let is_form = c.item(n).is_some_and(|i| i.kind == ItemKind::Form);
        if is_form && !items.contains(n) {
            let name = c.item(n).map(|i| i.name.as_str()).unwrap_or(n);
            let found: Vec<&str> = items
                .iter()
                .filter_map(|i| c.item(i))
                .map(|i| i.name.as_str())
                .collect();
            problems.push(if found.is_empty() {
                format!("tệp {:?} được đặt tên là {name} nhưng không có bảng {name} bên trong; không được tính", p.name)
            } else {
                format!("tệp {:?} được đặt tên là {name} nhưng chứa {}; được tính theo nội dung thực", p.name, found.join(", "))
            });
        }
    }
    // Forms the campaign has no template for are still known only by name.
    for n in named {
        let has_template = c.forms.iter().any(|f| f.item == n);
        let is_form = c.item(&n).is_some_and(|i| i.kind == ItemKind::Form);
        if is_form && !has_template && !items.contains(&n) {
            items.push(n);
        }
    }
    let by = if items.is_empty() {
        None
    } else {
        Some("content".to_string())
    };
    (items, by, problems)
}
