//! Recognition: from a parsed message to "which unit, which request, which items", with a
//! record of how each was decided so staff can trust or correct it (`baocao assign`).
//!
//! A unit's mail that staff forwarded in (attached as a message) is taken as the unit's own:
//! its sender, its text and its receipt time count.

mod item;
mod unit;

use std::sync::LazyLock;

use chrono::{DateTime, FixedOffset};
use regex::Regex;

pub use item::classify;
pub use unit::{Found, UnitMatcher, is_address};

use crate::config::{Campaign, Config, ItemKind, Unit};
use crate::documents::{Document, PartyHeader, parse_header};
use crate::forms::Reading;
use crate::forms::figures::FigureReader;
use crate::i18n::t;
use crate::message::Inbound;
use crate::message::Part;
use crate::store::{Flag, add_flag};
use crate::vntext::{Folded, fold};

/// How a unit or request was recognised (a [`Decision`]'s `by`), in the run's language;
/// None for a way this version does not name.
pub fn by_words(by: &str) -> Option<String> {
    Some(match by {
        "sender_address" => t!("by-sender-address"),
        "sender_alias" => t!("by-sender-alias"),
        "forwarded_original_sender" => t!("by-forwarded-sender"),
        "subject" => t!("by-subject"),
        "sender_name" => t!("by-sender-name"),
        "filename" => t!("by-filename"),
        "body" => t!("by-body"),
        "only_open_campaign" => t!("by-only-open-campaign"),
        "staff" => t!("by-staff"),
        "document_issuer" => t!("by-document-issuer"),
        "document_signature" => t!("by-document-signature"),
        "document" => t!("by-document"),
        _ => return None,
    })
}

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
    /// It was read and is the campaign's report, and the campaign asks for figures: its
    /// figures are to be taken ([`Recogniser::take_figures`]).
    pub report: bool,
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
    pub flags: Vec<Flag>,
    /// Plain-language problems.
    pub problems: Vec<String>,
}

/// Everything recognition needs, built once and shared by the parse workers.
#[derive(Debug, Clone)]
pub struct Recogniser {
    config: Config,
    units: Vec<Unit>,
    matcher: UnitMatcher,
    /// Each campaign's figure reader, in the order of `config.campaigns`.
    figures: Vec<FigureReader>,
}

/// What the units' names were found in, in a mail's own fields: kept between the look at a
/// message before its documents are read and the look after, so the body (the longest text
/// of a mail) is searched once. See [`Recogniser::recognise_again`].
#[derive(Debug, Clone, Default)]
pub struct MailFinds {
    subject: Option<Found>,
    forward_subject: Option<Found>,
    sender_name: Option<Found>,
    file_names: Option<Found>,
    body: Option<Found>,
}

impl Recogniser {
    /// Prepares recognition for this config and units registry.
    pub fn new(config: Config, units: Vec<Unit>) -> Self {
        let matcher = UnitMatcher::new(&units);
        let figures = config
            .campaigns
            .iter()
            .map(|c| FigureReader::new(&c.figures))
            .collect();
        Recogniser {
            config,
            units,
            matcher,
            figures,
        }
    }

    /// The figure reader of campaign `id` (every campaign of the config has one).
    fn figure_reader(&self, id: &str) -> Option<&FigureReader> {
        self.config
            .campaigns
            .iter()
            .zip(&self.figures)
            .find_map(|(c, r)| (c.id == id).then_some(r))
    }

    /// The figures of `doc`, read as campaign `campaign` reads its reports; None for a
    /// campaign this configuration does not have.
    pub fn take_figures(
        &self,
        campaign: &str,
        doc: &Document,
    ) -> Option<crate::forms::figures::StoredFigures> {
        self.figure_reader(campaign).map(|r| r.take(doc))
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
        self.recognise_again(msg, arrival, docs, &mut MailFinds::default())
    }

    /// [`Recogniser::recognise`] for a message looked at before: `finds` keeps what the
    /// units' names were found in the mail's own fields (subject, sender's name, file names,
    /// body), which reading its documents does not change. Pass the same `finds` for every
    /// look at one message (the first look fills it), and a fresh one for another message.
    pub fn recognise_again(
        &self,
        msg: &Inbound,
        arrival: Option<DateTime<FixedOffset>>,
        docs: &[Option<Document>],
        finds: &mut MailFinds,
    ) -> Recognition {
        let mut r = Recognition::default();
        let from_office = msg
            .from_addr
            .as_deref()
            .is_some_and(|a| self.config.is_office_or_staff(a));
        if msg.auto.delivery_report {
            r.flags.push(Flag::DeliveryReport);
        }
        // A staff forward: the first attached message is the unit's own mail; without one,
        // a forward pasted into the body (its header block is all that is left of it).
        // A staff reply quotes the unit's mail the same way (Outlook's "From: … Sent: …"):
        // only a forward, not a reply, carries the unit's mail in.
        let reply = {
            let f = fold(&msg.subject);
            starts_with_word(&f, &["re", "tl", "aw", "sv", "tra loi"])
        };
        let inline = if from_office && msg.forwarded.is_empty() && !reply {
            crate::message::inline_forward(&msg.body)
                .map(|f| self.inline_original(f, &mut r.problems))
        } else {
            None
        };
        let original = if from_office {
            msg.forwarded.first().or(inline.as_ref())
        } else {
            None
        };
        if let Some(orig) = original {
            r.flags.push(Flag::ForwardedByStaff);
            if inline.is_some() {
                r.flags.push(Flag::InlineForward);
            }
            r.original_arrival = orig.arrival().map(|(t, _)| t);
        } else if from_office {
            r.flags.push(Flag::FromOffice);
        }
        let sub = original.unwrap_or(msg);
        let parts = msg.all_parts();
        let names: Vec<&str> = parts.iter().map(|p| p.name.as_str()).collect();
        let names_text = names.join(" | ");
        let headers: Vec<Option<PartyHeader>> =
            docs.iter().map(|d| d.as_ref().map(parse_header)).collect();

        // Mail that is not a submission is listed for staff and nothing more.
        if let Some(why) = self.not_a_submission(msg, from_office, original.is_some()) {
            // Only the registered address says whose it is (an auto-reply, a read receipt).
            if let Some(i) = msg
                .from_addr
                .as_deref()
                .filter(|a| !self.config.is_office_or_staff(a))
                .and_then(|a| self.matcher.by_address(a))
            {
                r.unit = Some(Decision {
                    id: self.units[i].id.clone(),
                    by: "sender_address".into(),
                });
            }
            r.flags.push(Flag::NotSubmission);
            r.flags.push(why);
            r.parts = vec![PartItems::default(); parts.len()];
            return r;
        }

        // Unit.
        self.decide_unit(&mut r, msg, original, &headers, &names_text, finds);

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
        // Only a document's opening says which request it answers; its body may cite others.
        let doc_opening: String = headers
            .iter()
            .zip(docs)
            .filter_map(|(h, d)| Some((h.as_ref()?, d.as_ref()?)))
            .map(|(h, d)| {
                let head: Vec<&str> = d
                    .paragraphs
                    .iter()
                    .take(15)
                    .map(|p| p.text.as_str())
                    .collect();
                format!("{}\n{}", h.title.as_deref().unwrap_or(""), head.join("\n"))
            })
            .collect::<Vec<_>>()
            .join("\n");
        let explicit_texts = [
            texts[0].clone(),
            texts[1].clone(),
            texts[2].clone(),
            ("document", doc_opening),
        ];
        match self.explicit_request(&explicit_texts) {
            Some(Explicit::Ours(d)) => r.campaign = Some(d),
            Some(Explicit::Other(number, field)) => {
                r.flags.push(Flag::OtherRequest);
                r.problems.push(t!(
                    "rec-other-request",
                    place = place_name(field),
                    number = number.as_str()
                ));
                r.parts = vec![PartItems::default(); parts.len()];
                return r;
            }
            None => r.campaign = self.campaign_for(&texts, when),
        }

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
                        report: false,
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
                    report: false,
                },
                Some(d) => {
                    let reading = Reading::new(d, header, c);
                    let (items, by, problems, unrecognised) =
                        items_by_content(p, &reading, d, c, fallback);
                    r.problems.extend(problems);
                    for id in unrecognised {
                        add_flag(&mut r.flags, Flag::FormUnrecognised(id));
                    }
                    let report = items.iter().any(|it| {
                        c.item(it)
                            .is_some_and(|i| i.kind == crate::config::ItemKind::Report)
                    });
                    PartItems {
                        items,
                        by,
                        reading: Some(reading),
                        report: report && !c.figures.is_empty(),
                    }
                }
            };
            if pi.items.is_empty() && p.kind.is_document() && !p.inline && p.error.is_none() {
                r.problems
                    .push(t!("rec-file-unknown", file = p.name.as_str()));
            }
            r.parts.push(pi);
        }
        self.forms_the_subject_promises(&mut r, &sub.subject, &parts, c);
        r
    }

    /// Forms the subject says the mail carries ("Gửi Biểu 2") that no attached file turned
    /// out to hold, while some readable document could not be placed: the form is probably
    /// there in a shape not recognised, so the item is to be checked, not missing.
    fn forms_the_subject_promises(
        &self,
        r: &mut Recognition,
        subject: &str,
        parts: &[&Part],
        c: &Campaign,
    ) {
        let placed: Vec<&String> = r.parts.iter().flat_map(|p| &p.items).collect();
        let unplaced: Vec<&str> = parts
            .iter()
            .zip(&r.parts)
            .filter(|(p, pi)| {
                pi.items.is_empty()
                    && pi.reading.is_some()
                    && p.kind.is_document()
                    && !p.inline
                    && p.error.is_none()
            })
            .map(|(p, _)| p.name.as_str())
            .collect();
        if unplaced.is_empty() {
            return;
        }
        for id in classify(subject, c) {
            let Some(item) = c.item(&id).filter(|i| i.kind == ItemKind::Form) else {
                continue;
            };
            let flag = Flag::FormUnrecognised(id.clone());
            if placed.contains(&&id) || r.flags.contains(&flag) {
                continue;
            }
            r.flags.push(flag);
            r.problems.push(t!(
                "rec-subject-form-missing",
                item = item.name.as_str(),
                files = unplaced
                    .iter()
                    .map(|n| format!("{n:?}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
    }

    /// The original message of an inline forward as far as its header block tells: sender,
    /// subject, text and its time (printed without an offset: the office's time zone).
    fn inline_original(
        &self,
        f: crate::message::InlineForward,
        problems: &mut Vec<String>,
    ) -> Inbound {
        use chrono::TimeZone as _;
        let date = f.date.and_then(|(naive, offset)| match offset {
            Some(o) => o.from_local_datetime(&naive).single(),
            None => self
                .config
                .timezone
                .from_local_datetime(&naive)
                .single()
                .map(|t| t.fixed_offset()),
        });
        if date.is_none() {
            problems.push(t!(
                "rec-forward-date",
                date = f
                    .date_text
                    .clone()
                    .unwrap_or_else(|| t!("rec-no-date-line"))
            ));
        }
        Inbound {
            message_id: None,
            from_addr: f.from_addr,
            from_name: f.from_name,
            subject: f.subject.unwrap_or_default(),
            body: f.body,
            date,
            received: None,
            auto: Default::default(),
            attachments: Vec::new(),
            forwarded: Vec::new(),
            problems: Vec::new(),
        }
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

/// A request number written out in full ("790-CV/HU", "809/CV-HU"): number, kind, issuer.
static REQUEST_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)(?:^|[^\p{L}\d])(\d{1,5})\s*[-–/]\s*(CV|KH|TB|HD|HĐ|BC|QĐ|QD|NQ|CT|KL|TTr|CTr|QC|GM|TT)\s*[/-]\s*([\p{L}]{1,10})(?:$|[^\p{L}\d])",
    )
    .unwrap_or_else(|_| unreachable!())
});

/// "Công văn số 809", "CV 809": a campaign's number without its symbol.
static SHORT_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^| )(?:cong van|cv)(?: so)? (\d{1,5})(?: |$)")
        .unwrap_or_else(|_| unreachable!())
});

/// Number, folded kind and folded issuer of each full request number in `text`.
fn request_numbers(text: &str) -> Vec<(String, String, String, String)> {
    REQUEST_NUMBER
        .captures_iter(text)
        .map(|c| {
            let kind = fold(&c[2]);
            let issuer = fold(&c[3]);
            let printed = format!("{}-{}/{}", &c[1], c[2].to_uppercase(), c[3].to_uppercase());
            (
                c[1].trim_start_matches('0').to_string(),
                kind,
                issuer,
                printed,
            )
        })
        .collect()
}

/// What a mail's explicit request number says.
enum Explicit {
    /// It cites one of the campaigns.
    Ours(Decision),
    /// It cites another request of the same committee (number as printed, field).
    Other(String, &'static str),
}

/// The field's name for staff.
fn place_name(field: &str) -> String {
    match field {
        "subject" => t!("place-subject"),
        "sender_name" => t!("place-sender-name"),
        "body" => t!("place-body"),
        "document" => t!("place-document"),
        "document_issuer" => t!("place-document-issuer"),
        "document_signature" => t!("place-document-signature"),
        _ => t!("place-filename"),
    }
}

/// Subject prefixes of read receipts and auto-replies (folded, as Outlook, Gmail and
/// Thunderbird write them in English and Vietnamese).
const RECEIPT_PREFIXES: &[&str] = &[
    "read",
    "da doc",
    "da xem",
    "not read",
    "return receipt",
    "read receipt",
    "xac nhan da doc",
    "thong bao da doc",
];
const AUTO_REPLY_PREFIXES: &[&str] = &[
    "automatic reply",
    "auto reply",
    "autoreply",
    "out of office",
    "tra loi tu dong",
    "tu dong tra loi",
    "thu tra loi tu dong",
    "vang mat",
];
const INVITATION_PREFIXES: &[&str] = &[
    "giay moi",
    "moi hop",
    "loi moi",
    "invitation",
    "updated invitation",
    "thu moi",
];
const NEWSLETTER_PREFIXES: &[&str] = &["ban tin", "newsletter", "thu tin"];
/// Subject prefixes of a forward ("Fwd:", "TR:", "Chuyển tiếp:").
const FORWARD_PREFIXES: &[&str] = &["fwd", "fw", "tr", "chuyen tiep", "wg"];
/// Lines that start a forward pasted into the body.
const FORWARD_MARKERS: &[&str] = &[
    "forwarded message",
    "original message",
    "thu chuyen tiep",
    "thu goc",
    "tin nhan chuyen tiep",
];

fn starts_with_word(folded: &str, prefixes: &[&str]) -> bool {
    prefixes
        .iter()
        .any(|p| folded == *p || folded.starts_with(&format!("{p} ")))
}

impl Recogniser {
    /// Why `msg` is not a unit's submission, if it is not: the office's own outgoing mail,
    /// lists and newsletters, invitations, auto-replies, read receipts and bounces.
    fn not_a_submission(
        &self,
        msg: &Inbound,
        from_office: bool,
        forwards_attached: bool,
    ) -> Option<Flag> {
        // "Re: Fwd: …" and "[Bản tin] …": look past reply prefixes and brackets.
        let mut subject = fold(&msg.subject);
        loop {
            let before = subject.len();
            for p in ["re", "tl", "aw", "sv"] {
                if let Some(rest) = subject.strip_prefix(&format!("{p} ")) {
                    subject = rest.to_string();
                }
            }
            if subject.len() == before {
                break;
            }
        }
        if msg.auto.delivery_report {
            return Some(if starts_with_word(&subject, RECEIPT_PREFIXES) {
                Flag::ReadReceipt
            } else {
                Flag::DeliveryReport
            });
        }
        if starts_with_word(&subject, RECEIPT_PREFIXES) && msg.all_parts().is_empty() {
            return Some(Flag::ReadReceipt);
        }
        if starts_with_word(&subject, AUTO_REPLY_PREFIXES)
            || msg.auto.auto_submitted && msg.all_parts().is_empty()
        {
            return Some(Flag::AutoReply);
        }
        if msg.auto.list || msg.auto.bulk || starts_with_word(&subject, NEWSLETTER_PREFIXES) {
            return Some(Flag::ListOrNewsletter);
        }
        let calendar = msg.all_parts().iter().any(|p| {
            p.content_type == "text/calendar"
                || p.content_type == "application/ics"
                || p.name.to_lowercase().ends_with(".ics")
        });
        if calendar || starts_with_word(&subject, INVITATION_PREFIXES) {
            return Some(Flag::Invitation);
        }
        if from_office && !forwards_attached {
            // Staff who paste a unit's mail into a forward keep it a submission.
            let body = fold(&msg.body);
            let forward = starts_with_word(&fold(&msg.subject), FORWARD_PREFIXES)
                || FORWARD_MARKERS.iter().any(|m| body.contains(m))
                || body.contains("from") && body.contains("sent");
            if !forward {
                return Some(Flag::OfficeOutgoing);
            }
        }
        None
    }

    /// Decides the unit: the registered sender address, else the document's issuer line or
    /// signature, the subject, the sender's name, the file names, the body — in that order
    /// of trust. Two pieces of evidence that name different units are shown to staff with
    /// both candidates, and no unit is chosen. `original`: the unit's own mail inside a staff
    /// forward.
    fn decide_unit(
        &self,
        r: &mut Recognition,
        msg: &Inbound,
        original: Option<&Inbound>,
        headers: &[Option<PartyHeader>],
        names_text: &str,
        finds: &mut MailFinds,
    ) {
        let sub = original.unwrap_or(msg);
        let forwarded = original.is_some();
        let issuers: Vec<&str> = headers
            .iter()
            .flatten()
            .filter_map(|h| h.issuer.as_deref())
            .collect();
        // "T/M BAN THƯỜNG VỤ ĐẢNG ỦY XÃ LỘC AN": the body the signer signs for.
        let signatures: Vec<String> = headers
            .iter()
            .flatten()
            .filter_map(|h| h.authority.as_deref())
            .map(|a| {
                let a = a.trim();
                a.split_once(|c: char| c.is_whitespace())
                    .map(|(_, rest)| rest.to_string())
                    .unwrap_or_default()
            })
            .collect();
        let mut fields: Vec<(&'static str, Found)> = Vec::new();
        fields.push(("document_issuer", self.find_in_all(&issuers)));
        let sig_refs: Vec<&str> = signatures.iter().map(String::as_str).collect();
        fields.push(("document_signature", self.find_in_all(&sig_refs)));

        let name = |i: usize| self.units[i].name.clone();
        let sender = sub
            .from_addr
            .as_deref()
            .filter(|a| !self.config.is_office_or_staff(a));
        if let Some(i) = sender.and_then(|a| self.matcher.by_address(a)) {
            r.unit = Some(Decision {
                id: self.units[i].id.clone(),
                by: if forwarded {
                    "forwarded_original_sender"
                } else if sender.is_some_and(|a| self.matcher.is_learnt_address(a)) {
                    "sender_alias"
                } else {
                    "sender_address"
                }
                .into(),
            });
            // The address decides; a document issued by another unit is worth a look.
            for (by, f) in &fields[..2] {
                if let Found::One(j) = f
                    && *j != i
                {
                    r.flags.push(Flag::UnitConflict);
                    r.problems.push(t!(
                        "rec-unit-conflict",
                        unit = name(i),
                        place = place_name(by),
                        other = name(*j)
                    ));
                    break;
                }
            }
            return;
        }
        // Only without a registered sender do the other fields count; the body is the
        // longest text of a mail, so it is not searched when the address already decides.
        let find = |kept: &mut Option<Found>, text: &str| {
            kept.get_or_insert_with(|| self.matcher.find(text)).clone()
        };
        fields.push(("subject", find(&mut finds.subject, &sub.subject)));
        if forwarded {
            fields.push(("subject", find(&mut finds.forward_subject, &msg.subject)));
        }
        fields.push((
            "sender_name",
            find(
                &mut finds.sender_name,
                sub.from_name.as_deref().unwrap_or(""),
            ),
        ));
        fields.push(("filename", find(&mut finds.file_names, names_text)));
        fields.push(("body", find(&mut finds.body, &sub.body)));
        // Fields that name a unit on purpose; the body and the sender's display name may
        // mention another unit in passing.
        let strong = [
            "document_issuer",
            "document_signature",
            "subject",
            "filename",
        ];
        let mut chosen: Option<(usize, &str)> = None;
        let mut others: Vec<(usize, &str)> = Vec::new();
        let mut ambiguous: Vec<(&str, Vec<usize>)> = Vec::new();
        for (by, f) in &fields {
            match f {
                Found::One(i) => match chosen {
                    None => chosen = Some((*i, by)),
                    Some((c, _))
                        if c != *i
                            && strong.contains(by)
                            && !others.iter().any(|(o, _)| o == i) =>
                    {
                        others.push((*i, by));
                    }
                    _ => {}
                },
                Found::Ambiguous(v) => ambiguous.push((by, v.clone())),
                Found::None => {}
            }
        }
        match chosen {
            Some((i, by)) if others.is_empty() => {
                r.unit = Some(Decision {
                    id: self.units[i].id.clone(),
                    by: by.into(),
                });
            }
            Some((i, by)) => {
                r.flags.push(Flag::UnitConflict);
                let by_place =
                    |u: usize, b: &str| t!("rec-unit-by", unit = name(u), place = place_name(b));
                let mut c = vec![by_place(i, by)];
                c.extend(others.iter().map(|(j, b)| by_place(*j, b)));
                r.problems
                    .push(t!("rec-several-units", units = c.join("; ")));
            }
            None => {
                // Any field naming several units makes the unit ambiguous.
                if !ambiguous.is_empty() {
                    r.flags.push(Flag::AmbiguousUnit);
                }
                for (by, v) in ambiguous {
                    let names: Vec<String> = v.iter().map(|&i| name(i)).collect();
                    r.problems.push(t!(
                        "rec-names-several",
                        place = place_name(by),
                        units = names.join(", ")
                    ));
                }
            }
        }
    }

    /// One unit named by all of `texts` (several documents of one mail), if they agree.
    fn find_in_all(&self, texts: &[&str]) -> Found {
        let mut found: Vec<usize> = Vec::new();
        for t in texts {
            match self.matcher.find(t) {
                Found::One(i) => {
                    if !found.contains(&i) {
                        found.push(i);
                    }
                }
                Found::Ambiguous(v) => {
                    for i in v {
                        if !found.contains(&i) {
                            found.push(i);
                        }
                    }
                }
                Found::None => {}
            }
        }
        match found.as_slice() {
            [] => Found::None,
            [one] => Found::One(*one),
            _ => Found::Ambiguous(found),
        }
    }

    /// The first field (subject, file names, body, documents' opening) that writes out a
    /// request number of this committee decides: one of the campaigns, or another request.
    fn explicit_request(&self, texts: &[(&'static str, String)]) -> Option<Explicit> {
        let ours: Vec<(usize, String, String, String)> = self
            .config
            .campaigns
            .iter()
            .enumerate()
            .filter_map(|(ci, c)| {
                request_numbers(&c.number)
                    .into_iter()
                    .next()
                    .map(|(n, k, i, _)| (ci, n, k, i))
            })
            .collect();
        let issuers: Vec<&str> = ours.iter().map(|o| o.3.as_str()).collect();
        for (field, text) in texts {
            let mut own: Vec<usize> = Vec::new();
            let mut other: Option<String> = None;
            for (n, k, i, printed) in request_numbers(text) {
                match ours.iter().find(|o| o.1 == n && o.2 == k && o.3 == i) {
                    Some(&(c, ..)) if !own.contains(&c) => own.push(c),
                    Some(_) => {}
                    None if issuers.contains(&i.as_str()) => {
                        other.get_or_insert(printed);
                    }
                    None => {}
                }
            }
            // "Công văn số 809": the number alone, for a campaign that is a công văn.
            let f = fold(text);
            for c in SHORT_NUMBER.captures_iter(&f) {
                if let Some(&(ci, ..)) = ours.iter().find(|o| o.1 == c[1] && o.2 == "cv")
                    && !own.contains(&ci)
                {
                    own.push(ci);
                }
            }
            match (own.as_slice(), other) {
                ([c], _) => {
                    return Some(Explicit::Ours(Decision {
                        id: self.config.campaigns[*c].id.clone(),
                        by: (*field).into(),
                    }));
                }
                ([], Some(o)) => return Some(Explicit::Other(o, field)),
                _ => {}
            }
        }
        None
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
) -> (Vec<String>, Option<String>, Vec<String>, Vec<String>) {
    let mut problems = Vec::new();
    let mut unrecognised = Vec::new();
    let readable = d.has_text() && !d.scanned && reading.source != "ocr";
    if !readable {
        return match fallback {
            Some((items, _)) => (
                items,
                Some("filename_unverified".into()),
                problems,
                unrecognised,
            ),
            None => (Vec::new(), None, problems, unrecognised),
        };
    }
    let by_subject = fallback.as_ref().is_some_and(|(_, by)| *by == "subject");
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
                let why = crate::forms::why_not_found(d, c, n);
                unrecognised.push(n.clone());
                let said = if by_subject {
                    t!("rec-subject-says", file = p.name.as_str(), item = name)
                } else {
                    t!("rec-named-as", file = p.name.as_str(), item = name)
                };
                t!("rec-form-not-found", said = said, item = name, why = why)
            } else {
                t!(
                    "rec-named-but-holds",
                    file = p.name.as_str(),
                    item = name,
                    found = found.join(", ")
                )
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
    (items, by, problems, unrecognised)
}

#[cfg(test)]
mod tests {
    //! Recognition per kind of evidence, on mail and documents written inline.

    use super::*;
    use crate::message::FileKind;
    use std::path::Path;

    fn recogniser() -> Recogniser {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let config = crate::config::load(&root.join("config/baocao.toml")).unwrap();
        let csv = std::fs::read(root.join("config/units.csv")).unwrap();
        let units = crate::config::parse_units_csv(&csv, Path::new("units.csv")).unwrap();
        Recogniser::new(config, units)
    }

    /// A mail; `extra` holds more header lines.
    fn mail(from: &str, subject: &str, body: &str, extra: &str) -> Inbound {
        let raw = format!(
            "From: {from}\r\nTo: vanphong.huyenuy@lamdong.gov.vn\r\nSubject: {subject}\r\n\
             Date: Thu, 19 Jan 2023 09:00:00 +0700\r\nMessage-ID: <t@x>\r\n{extra}\
             Content-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n"
        );
        crate::message::parse(raw.as_bytes(), &crate::config::Limits::default()).unwrap()
    }

    /// A mail with one .docx attachment named `name`.
    fn mail_with_file(from: &str, subject: &str, name: &str) -> Inbound {
        let raw = format!(
            "From: {from}\r\nTo: vanphong.huyenuy@lamdong.gov.vn\r\nSubject: {subject}\r\n\
             Date: Thu, 19 Jan 2023 09:00:00 +0700\r\nMessage-ID: <t@x>\r\n\
             Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\n\
             Content-Type: text/plain; charset=utf-8\r\n\r\nGửi báo cáo.\r\n--b\r\n\
             Content-Type: application/octet-stream; name=\"{name}\"\r\n\
             Content-Disposition: attachment; filename=\"{name}\"\r\n\
             Content-Transfer-Encoding: base64\r\n\r\nUEsDBA==\r\n--b--\r\n"
        );
        crate::message::parse(raw.as_bytes(), &crate::config::Limits::default()).unwrap()
    }

    /// A report as a document of lines: header block, opening, outline, signature.
    fn report(issuer: Option<&str>, opening: &str, authority: &str) -> Document {
        let mut lines: Vec<&str> = Vec::new();
        if let Some(i) = issuer {
            lines.extend(["ĐẢNG BỘ HUYỆN BẢO LÂM", i, "*", "Số 05-BC/ĐU"]);
        }
        lines.extend([
            "BÁO CÁO",
            "Kết quả thực hiện Quy định số 132-QĐ/TW",
            opening,
            "I. TÌNH HÌNH, KẾT QUẢ THỰC HIỆN",
            "Cấp ủy đã quán triệt Quy định 132 đến toàn thể đảng viên.",
            "II. TỔ CHỨC THỰC HIỆN CÔNG TÁC KIỂM ĐIỂM, ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG HÀNG NĂM",
            "Kiểm điểm vào tháng 12 hằng năm.",
            authority,
            "BÍ THƯ",
            "Nguyễn Văn Hùng",
        ]);
        Document::from_lines(FileKind::Docx, &lines)
    }

    const OPENING: &str = "Thực hiện Công văn số 809-CV/HU ngày 12/01/2023 của Ban Thường vụ Huyện ủy, chi bộ báo cáo như sau:";

    fn at() -> Option<DateTime<FixedOffset>> {
        DateTime::parse_from_rfc3339("2023-01-19T09:00:00+07:00").ok()
    }

    fn unit_of(r: &Recognition) -> Option<(&str, &str)> {
        r.unit.as_ref().map(|d| (d.id.as_str(), d.by.as_str()))
    }

    #[test]
    fn unit_by_issuer_line_in_party_naming() {
        let rec = recogniser();
        let m = mail_with_file("canbo.vp@gmail.com", "Gửi báo cáo", "baocao.docx");
        let d = report(Some("CHI BỘ P. NỘI VỤ"), OPENING, "T/M CHI BỘ");
        let r = rec.recognise(&m, at(), &[Some(d)]);
        assert_eq!(unit_of(&r), Some(("phong-noi-vu", "document_issuer")));
        let d = report(Some("ĐẢNG BỘ XÃ LỘC AN"), OPENING, "T/M ĐẢNG ỦY");
        let r = rec.recognise(&m, at(), &[Some(d)]);
        assert_eq!(unit_of(&r), Some(("loc-an", "document_issuer")));
    }

    #[test]
    fn unit_by_signature_block() {
        let rec = recogniser();
        let m = mail_with_file("canbo.vp@gmail.com", "bc 132", "baocao.docx");
        let d = report(None, OPENING, "T/M BAN THƯỜNG VỤ ĐẢNG ỦY XÃ TÂN LẠC");
        let r = rec.recognise(&m, at(), &[Some(d)]);
        assert_eq!(unit_of(&r), Some(("tan-lac", "document_signature")));
    }

    #[test]
    fn unit_by_subject_and_file_name_variants() {
        let rec = recogniser();
        let m = mail(
            "canbo.vp@gmail.com",
            "ĐB Quân sự gửi báo cáo QĐ 132",
            "",
            "",
        );
        let r = rec.recognise(&m, at(), &[]);
        assert_eq!(unit_of(&r), Some(("quan-su", "subject")));
        let m = mail_with_file("canbo.vp@gmail.com", "Gửi BC", "BC_CB_Phong_Noi_vu.docx");
        let r = rec.recognise(&m, at(), &[None]);
        assert_eq!(unit_of(&r), Some(("phong-noi-vu", "filename")));
    }

    #[test]
    fn a_second_look_uses_the_first_looks_finds_in_the_mail() {
        let rec = recogniser();
        let m = mail_with_file("canbo.vp@gmail.com", "Gửi BC", "BC_CB_Phong_Noi_vu.docx");
        let mut finds = MailFinds::default();
        let first = rec.recognise_again(&m, at(), &[None], &mut finds);
        assert_eq!(unit_of(&first), Some(("phong-noi-vu", "filename")));
        // After reading: the document names the unit too, and agrees.
        let d = report(Some("CHI BỘ PHÒNG NỘI VỤ"), OPENING, "T/M CHI BỘ");
        let again = rec.recognise_again(&m, at(), &[Some(d.clone())], &mut finds);
        let fresh = rec.recognise(&m, at(), &[Some(d)]);
        assert_eq!(unit_of(&again), unit_of(&fresh));
        assert_eq!(again.problems, fresh.problems);
        // The kept finds are what the second look reads: those of another mail name its unit.
        let other = mail(
            "canbo.vp@gmail.com",
            "ĐB Quân sự gửi báo cáo QĐ 132",
            "",
            "",
        );
        let mut kept = MailFinds::default();
        rec.recognise_again(&other, at(), &[], &mut kept);
        let r = rec.recognise_again(&other, at(), &[], &mut kept);
        assert_eq!(unit_of(&r), Some(("quan-su", "subject")));
        let mut wrong = finds.clone();
        let r = rec.recognise_again(&other, at(), &[], &mut wrong);
        assert_eq!(unit_of(&r), Some(("phong-noi-vu", "filename")));
    }

    #[test]
    fn conflicting_evidence_is_shown_not_guessed() {
        let rec = recogniser();
        let m = mail_with_file(
            "canbo.vp@gmail.com",
            "Chi bộ Tòa án huyện gửi báo cáo QĐ 132",
            "baocao.docx",
        );
        let d = report(
            Some("CHI BỘ VIỆN KIỂM SÁT NHÂN DÂN HUYỆN"),
            OPENING,
            "T/M CHI BỘ",
        );
        let r = rec.recognise(&m, at(), &[Some(d)]);
        assert_eq!(r.unit, None);
        assert!(r.flags.contains(&Flag::UnitConflict), "{:?}", r.flags);
        let p = r.problems.join("\n");
        assert!(
            p.contains("Chi bộ Tòa án nhân dân huyện")
                && p.contains("Chi bộ Viện Kiểm sát nhân dân huyện"),
            "{p}"
        );
        // A tie in one field: both candidates named, none chosen.
        let m = mail(
            "canbo.vp@gmail.com",
            "Báo cáo QĐ 132 của Lộc An, Lộc Bảo",
            "",
            "",
        );
        let r = rec.recognise(&m, at(), &[]);
        assert_eq!(r.unit, None);
        let p = r.problems.join("\n");
        assert!(
            p.contains("Đảng ủy xã Lộc An") && p.contains("Đảng ủy xã Lộc Bảo"),
            "{p}"
        );
    }

    #[test]
    fn the_address_decides_but_another_issuer_is_flagged() {
        let rec = recogniser();
        let m = mail_with_file("dangUyLocAn@gmail.com", "Gửi báo cáo", "baocao.docx");
        let d = report(Some("ĐẢNG ỦY XÃ LỘC BẢO"), OPENING, "T/M ĐẢNG ỦY");
        let r = rec.recognise(&m, at(), &[Some(d)]);
        assert_eq!(unit_of(&r), Some(("loc-an", "sender_address")));
        assert!(r.flags.contains(&Flag::UnitConflict));
        assert!(r.problems.iter().any(|p| p.contains("Đảng ủy xã Lộc Bảo")));
    }

    fn campaign_of(r: &Recognition) -> Option<(&str, &str)> {
        r.campaign.as_ref().map(|d| (d.id.as_str(), d.by.as_str()))
    }

    #[test]
    fn another_request_number_beats_every_fallback() {
        let rec = recogniser();
        // In the subject, although "Quy định 132" is a keyword of 809.
        let m = mail(
            "dangUyLocAn@gmail.com",
            "Báo cáo Quy định 132 theo Công văn số 790-CV/HU",
            "",
            "",
        );
        let r = rec.recognise(&m, at(), &[]);
        assert_eq!(r.campaign, None);
        assert!(r.flags.contains(&Flag::OtherRequest));
        assert!(
            r.problems.iter().any(|p| p.contains("790-CV/HU")),
            "{:?}",
            r.problems
        );
        // In the body, written the other way round.
        let m = mail(
            "dangUyLocAn@gmail.com",
            "Gửi báo cáo",
            "Thực hiện CV số 790/CV-HU, đảng ủy gửi báo cáo.",
            "",
        );
        assert_eq!(rec.recognise(&m, at(), &[]).campaign, None);
        // In the document's opening only: the single open campaign is not assumed.
        let m = mail_with_file("dangUyLocAn@gmail.com", "Gửi báo cáo", "baocao.docx");
        let d = report(
            Some("ĐẢNG ỦY XÃ LỘC AN"),
            "Thực hiện Công văn số 790-CV/HU ngày 05/01/2023 của Ban Thường vụ Huyện ủy",
            "T/M ĐẢNG ỦY",
        );
        let r = rec.recognise(&m, at(), &[Some(d)]);
        assert_eq!(r.campaign, None);
        assert!(r.parts.iter().all(|p| p.items.is_empty()));
        // The campaign's own number wins over another cited beside it, and a number of
        // another committee ("132-QĐ/TW") is no other request.
        let m = mail(
            "dangUyLocAn@gmail.com",
            "Báo cáo theo CV 809-CV/HU (thay thế báo cáo theo 790-CV/HU)",
            "",
            "",
        );
        assert_eq!(
            campaign_of(&rec.recognise(&m, at(), &[])),
            Some(("809-CV-HU", "subject"))
        );
        let m = mail(
            "dangUyLocAn@gmail.com",
            "Báo cáo thực hiện 132-QĐ/TW",
            "",
            "",
        );
        assert_eq!(
            campaign_of(&rec.recognise(&m, at(), &[])).map(|c| c.0),
            Some("809-CV-HU")
        );
        let m = mail(
            "dangUyLocAn@gmail.com",
            "Gửi báo cáo",
            "Theo Công văn số 809, gửi.",
            "",
        );
        assert_eq!(
            campaign_of(&rec.recognise(&m, at(), &[])),
            Some(("809-CV-HU", "body"))
        );
    }

    fn why_not(m: &Inbound) -> Option<String> {
        let r = recogniser().recognise(m, at(), &[]);
        if r.flags.contains(&Flag::NotSubmission) {
            assert_eq!(r.campaign, None);
            assert!(r.problems.is_empty(), "{:?}", r.problems);
            r.flags.last().map(Flag::to_string)
        } else {
            None
        }
    }

    #[test]
    fn mail_that_is_no_submission() {
        let office = "vanphong.huyenuy@lamdong.gov.vn";
        let unit = "dangUyLocAn@gmail.com";
        let cases: &[(Inbound, &str)] = &[
            (
                mail_with_file(office, "Công văn 809-CV/HU về báo cáo", "Bieu mau.docx"),
                "office_outgoing",
            ),
            (
                mail(
                    unit,
                    "Trả lời tự động: Công văn 809-CV/HU",
                    "Đi công tác.",
                    "",
                ),
                "auto_reply",
            ),
            (
                mail(unit, "Automatic reply: Báo cáo 132", "Out of office.", ""),
                "auto_reply",
            ),
            (
                mail(
                    unit,
                    "Re: QĐ 132",
                    "Vắng mặt.",
                    "Auto-Submitted: auto-replied\r\n",
                ),
                "auto_reply",
            ),
            (
                mail(unit, "Read: Công văn 809-CV/HU", "", ""),
                "read_receipt",
            ),
            (
                mail(unit, "Đã đọc: Công văn 809-CV/HU", "", ""),
                "read_receipt",
            ),
            (
                mail("tin@bao.vn", "Tin QĐ 132", "", "List-Id: <tin.bao.vn>\r\n"),
                "list_or_newsletter",
            ),
            (
                mail("tin@bao.vn", "Bản tin ngày 20/01", "Quy định 132 ...", ""),
                "list_or_newsletter",
            ),
            (
                mail(unit, "Giấy mời họp giao ban QĐ 132", "Kính mời.", ""),
                "invitation",
            ),
        ];
        for (m, why) in cases {
            assert_eq!(why_not(m).as_deref(), Some(*why), "{}", m.subject);
        }
        // A read receipt keeps the unit its registered address gives.
        let r = recogniser().recognise(&cases[4].0, at(), &[]);
        assert_eq!(unit_of(&r), Some(("loc-an", "sender_address")));
        // Staff forwarding a unit's mail inline, and a unit's ordinary mail, are submissions.
        let fwd = mail(
            office,
            "Fwd: Gửi báo cáo QĐ 132",
            "---------- Forwarded message ---------\nFrom: Đảng ủy xã Lộc An <dangUyLocAn@gmail.com>",
            "",
        );
        assert_eq!(why_not(&fwd), None);
        let sub = mail(unit, "Re: Gửi báo cáo QĐ 132", "Gửi lại báo cáo.", "");
        assert_eq!(why_not(&sub), None);
    }

    #[test]
    fn inline_forwards_by_staff_give_the_originals_sender_and_time() {
        let rec = recogniser();
        let office = "vanphong.huyenuy@lamdong.gov.vn";
        let gmail = mail(
            office,
            "Fwd: Báo cáo QĐ 132",
            "Chuyển bài của xã.\n\n---------- Forwarded message ---------\n\
             From: Đảng ủy xã Lộc An <dangUyLocAn@gmail.com>\n\
             Date: Mon, Jan 30, 2023 at 10:15 PM\nSubject: Báo cáo QĐ 132\n\
             To: <vanphong.huyenuy@lamdong.gov.vn>\n\nKính gửi Văn phòng.",
            "",
        );
        let r = rec.recognise(&gmail, at(), &[]);
        assert_eq!(unit_of(&r), Some(("loc-an", "forwarded_original_sender")));
        assert_eq!(
            r.original_arrival.map(|t| t.to_rfc3339()).as_deref(),
            Some("2023-01-30T22:15:00+07:00")
        );
        assert!(r.flags.contains(&Flag::ForwardedByStaff), "{:?}", r.flags);
        assert!(r.flags.contains(&Flag::InlineForward), "{:?}", r.flags);
        assert_eq!(campaign_of(&r).map(|c| c.0), Some("809-CV-HU"));

        // Vietnamese Outlook, no address: the sender's name says which unit.
        let outlook = mail(
            office,
            "TR: Báo cáo",
            "________________________________\nTừ: Đảng ủy xã Lộc An\n\
             Đã gửi: Thứ Hai, 30 tháng 1, 2023 10:15 CH\nĐến: Văn phòng\n\
             Chủ đề: Báo cáo QĐ 132\n\nNội dung",
            "",
        );
        let r = rec.recognise(&outlook, at(), &[]);
        assert_eq!(unit_of(&r), Some(("loc-an", "sender_name")));
        assert_eq!(
            r.original_arrival.map(|t| t.to_rfc3339()).as_deref(),
            Some("2023-01-30T22:15:00+07:00")
        );
        // A date that cannot be read is said, and the forward's own time counts.
        let unread = mail(
            office,
            "Fwd: Báo cáo QĐ 132",
            "---------- Thư đã chuyển tiếp ---------\nTừ: <dangUyLocAn@gmail.com>\n\
             Ngày: hôm qua\nTiêu đề: Báo cáo QĐ 132\n\nx",
            "",
        );
        let r = rec.recognise(&unread, at(), &[]);
        assert_eq!(unit_of(&r), Some(("loc-an", "forwarded_original_sender")));
        assert_eq!(r.original_arrival, None);
        assert!(
            r.problems
                .iter()
                .any(|p| p.contains("không đọc được ngày gửi của thư gốc")),
            "{:?}",
            r.problems
        );
        // A unit forwarding someone else's mail inline is still that unit's mail.
        let by_unit = mail(
            "dangUyLocAn@gmail.com",
            "Fwd: Báo cáo QĐ 132",
            "---------- Forwarded message ---------\nFrom: Chi bộ khác <khac@gmail.com>\n\
             Date: Mon, Jan 30, 2023 at 10:15 PM\nSubject: x\n\nx",
            "",
        );
        let r = rec.recognise(&by_unit, at(), &[]);
        assert_eq!(unit_of(&r), Some(("loc-an", "sender_address")));
        assert_eq!(r.original_arrival, None);
        assert!(!r.flags.contains(&Flag::InlineForward));
        // Staff replying to a unit quote its mail the same way: a reply is no forward.
        let reply = mail(
            office,
            "RE: Báo cáo QĐ 132",
            "Đã nhận, cảm ơn.\n\nFrom: Đảng ủy xã Lộc An <dangUyLocAn@gmail.com>\n\
             Sent: Monday, January 30, 2023 10:15 PM\nSubject: Báo cáo QĐ 132\n\nx",
            "",
        );
        let r = rec.recognise(&reply, at(), &[]);
        assert_eq!(r.original_arrival, None);
        assert!(!r.flags.contains(&Flag::InlineForward), "{:?}", r.flags);
    }
}
