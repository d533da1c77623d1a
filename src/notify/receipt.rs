//! Receipts: after a submission is recorded, a reply to its sender (threaded with In-Reply-To
//! and References) saying which request it was taken for, which items were received and read,
//! what the unit still misses, and what staff or the unit must look at. Never to auto-replies,
//! mailing lists, bounces or the office itself; never twice for one message (the outbox key is
//! the message's hash).

use chrono::{DateTime, FixedOffset};

use super::templates::Templates;
use super::{Result, compose, queue, sender_address};
use crate::config::Config;
use crate::forms::Reading;
use crate::i18n::t;
use crate::register;
use crate::store::{Flag, MessageRow, OutboxKey, OutboxKind, OutboxMeta, ReadingState, Store};

/// Why a message gets no receipt, or None when it should get one.
fn skip_reason(m: &MessageRow, config: &Config, bad: &[String]) -> Option<&'static str> {
    let has = |f: Flag| m.flags.contains(&f);
    if has(Flag::Bounce) {
        return Some("a delivery-status notification");
    }
    if has(Flag::AutoSubmitted) || has(Flag::ListOrBulk) {
        return Some("an automatic or mailing-list message");
    }
    if m.duplicate_of.is_some() {
        return Some("a copy of a message already received");
    }
    let from = m.from_addr.as_deref()?;
    if config.is_office_or_staff(from) {
        return Some("sent by the office itself");
    }
    if bad.iter().any(|b| b.eq_ignore_ascii_case(from)) {
        return Some("the sender's address bounced before");
    }
    None
}

/// Vietnamese words for what a form reading found wrong, for the unit.
fn form_problem_text(item: &str, p: &crate::forms::FormProblem) -> Option<String> {
    use crate::forms::FormProblemKind;
    match p.kind {
        FormProblemKind::Both => Some(t!("mail-form-both", item = item, at = p.at.as_str())),
        FormProblemKind::None => Some(t!("mail-form-none", item = item, at = p.at.as_str())),
        FormProblemKind::NotADate => {
            Some(t!("mail-form-not-a-date", item = item, at = p.at.as_str()))
        }
        FormProblemKind::UnknownRow => {
            Some(t!("mail-form-unknown-row", item = item, at = p.at.as_str()))
        }
        // A missing row is reported as the form being incomplete, not row by row.
        FormProblemKind::MissingRow => None,
    }
}

/// Whether the receipt of `m` should wait for its documents: still being read, or waiting for
/// OCR or LibreOffice, for at most `receipt-wait-minutes` after it arrived.
pub fn waits_for_reading(m: &MessageRow, config: &Config, now: DateTime<FixedOffset>) -> bool {
    match m.reading {
        ReadingState::Pending => true,
        ReadingState::Slow => {
            let wait = i64::from(config.limits.receipt_wait_minutes) * 60;
            m.received_ts
                .is_none_or(|ts| now.timestamp() < ts.saturating_add(wait))
        }
        ReadingState::Done | ReadingState::Quarantined => false,
    }
}

/// Queues a receipt for each of `ids` that should get one. Returns how many were queued.
/// (The mail of a first backfill is not passed here: an old mailbox is not answered.) A
/// message whose documents are still being read is skipped ([`waits_for_reading`]): pass it
/// again later; a receipt is never queued twice.
pub fn queue_receipts(
    store: &mut Store,
    config: &Config,
    templates: &Templates,
    ids: &[i64],
    now: DateTime<FixedOffset>,
) -> Result<usize> {
    let tz = config.timezone;
    let bad: Vec<String> = store
        .bad_addresses_at(now)?
        .into_iter()
        .map(|b| b.address)
        .collect();
    let mut queued = 0;
    for &id in ids {
        let Some(m) = store.message(id)? else {
            continue;
        };
        let (Some(unit_id), Some(campaign_id), Some(from)) = (
            m.unit_id.as_deref(),
            m.campaign_id.as_deref(),
            m.from_addr.as_deref(),
        ) else {
            continue;
        };
        let Some(c) = config.campaign(campaign_id) else {
            continue;
        };
        if !c.receipts || waits_for_reading(&m, config, now) {
            continue;
        }
        if let Some(why) = skip_reason(&m, config, &bad) {
            tracing::debug!(message = %m.message_id, why, "no receipt");
            continue;
        }
        // What the unit had sent by the time this message arrived: the picture the receipt
        // describes, also when it is written later (a backlog, the demo).
        let at = m
            .received_at
            .as_deref()
            .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
            .filter(|t| *t < now)
            .unwrap_or(now);
        let st = register::status(store, config, c, at)?;
        let Some(u) = st.unit(unit_id) else { continue };
        let name_of = |id: &str| {
            c.item(id)
                .map(|i| i.name.clone())
                .unwrap_or_else(|| id.to_string())
        };
        let mut received = Vec::new();
        let mut problems = Vec::new();
        for a in &m.attachments {
            if a.error.is_some() {
                problems.push(t!("mail-file-broken", file = a.name.as_str()));
                continue;
            }
            let reading = match Reading::stored(a) {
                Ok(r) => r,
                Err(e) => {
                    // The unit is not to blame: the receipt says nothing of this file, staff
                    // see it in the unit's status.
                    tracing::warn!(message = %m.message_id, "{e}");
                    None
                }
            };
            let mut note = None;
            if let Some(r) = &reading {
                if r.scanned {
                    note = Some(t!("mail-file-scanned"));
                } else if r.text_chars == 0 {
                    problems.push(t!("mail-file-no-text", file = a.name.as_str()));
                }
                for f in &r.forms {
                    for p in &f.problems {
                        if let Some(t) = form_problem_text(&name_of(&f.item), p) {
                            problems.push(t);
                        }
                    }
                }
            }
            for it in &a.items {
                received.push(serde_json::json!({
                    "item": name_of(it),
                    "file": a.name,
                    "note": note,
                }));
            }
        }
        let late = u.items.0.iter().any(|(_, s)| {
            s.as_ref()
                .is_some_and(|s| s.late && s.message_id == m.message_id)
        });
        let received_at = m
            .received_at
            .as_deref()
            .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
            .map(|t| super::local_text(t, tz))
            .unwrap_or_default();
        let ctx = serde_json::json!({
            "office": config.office_name,
            "campaign": super::campaign_view(c, tz),
            "unit": { "id": u.id, "name": u.name },
            "message": { "subject": m.subject, "received_at": received_at },
            "received": received,
            "missing": u.missing.iter().map(|i| name_of(i)).collect::<Vec<_>>(),
            "problems": problems,
            "complete": u.missing.is_empty(),
            "late": late,
        });
        let r = templates.render("receipt.txt.j2", &ctx)?;
        // A message without a Message-ID got a synthetic "sha256:…" one: nothing to thread on.
        let reply_to = (!m.message_id.starts_with("sha256:")).then_some(m.message_id.as_str());
        let msg = compose(
            &sender_address(config),
            &[from.to_string()],
            &r.subject,
            &r.body,
            None,
            &[],
            reply_to,
        )?;
        let meta = OutboxMeta {
            kind: OutboxKind::Receipt,
            campaign_id: Some(c.id.clone()),
            unit_id: Some(u.id.clone()),
            about: Some(m.sha256.clone()),
            mail_id: None,
        };
        if queue(
            store,
            &OutboxKey::Receipt {
                sha256: m.sha256.clone(),
            },
            &msg,
            meta,
            now,
        )? {
            queued += 1;
        }
    }
    Ok(queued)
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use chrono::DateTime;

    use super::*;

    /// A unit's mail with `extra` headers and a report attached.
    fn raw(from: &str, id: &str, extra: &str) -> Vec<u8> {
        format!(
            "Received: by mx.lamdong.gov.vn; Fri, 27 Jan 2023 09:00:03 +0700\r\n\
             From: <{from}>\r\nTo: <vanphong.huyenuy@lamdong.gov.vn>\r\n\
             Subject: Gui bao cao theo Cong van 809-CV/HU\r\n\
             Date: Fri, 27 Jan 2023 09:00:00 +0700\r\nMessage-ID: <{id}@x>\r\n{extra}\
             MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n\
             Kinh gui Van phong, don vi gui bao cao so 132 theo Cong van 809-CV/HU.\r\n"
        )
        .into_bytes()
    }

    #[test]
    fn auto_replies_lists_the_office_and_bounced_senders_get_no_receipt_and_nobody_gets_two() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (config, mut store) = crate::consolidate::tests::demo(dir.path());
        let rec = Arc::new(crate::recognise::Recogniser::new(
            config.clone(),
            store.units().expect("units"),
        ));
        let now = DateTime::parse_from_rfc3339("2023-01-27T09:05:00+07:00").expect("time");
        store
            .add_bad_address(&crate::store::BadAddress {
                address: "danguylocnam@gmail.com".into(),
                at: now.to_rfc3339(),
                reason: "5.1.1 no such user".into(),
                message: None,
            })
            .expect("bad");
        let mails = [
            raw("dangUyLocBao@gmail.com", "plain", ""),
            raw(
                "dangUyLocLam@gmail.com",
                "auto",
                "Auto-Submitted: auto-replied\r\n",
            ),
            raw(
                "dangUyLocNgai@gmail.com",
                "list",
                "List-Id: <bao-cao.lamdong.gov.vn>\r\n",
            ),
            raw("dangUyLocPhu@gmail.com", "bulk", "Precedence: bulk\r\n"),
            raw("vanphong.huyenuy@lamdong.gov.vn", "office", ""),
            raw("dangUyLocNam@gmail.com", "bounced-sender", ""),
        ];
        let r = crate::ingest::run(
            &mut store,
            Arc::clone(&rec),
            now,
            &indicatif::ProgressBar::hidden(),
            |sink| {
                for (i, m) in mails.iter().enumerate() {
                    sink(crate::source::Fetched {
                        raw: m.clone(),
                        origin: format!("test/{i}"),
                        internal_date: None,
                    });
                }
            },
        )
        .expect("ingest");
        assert_eq!(r.new_ids.len(), mails.len());
        let t = Templates::load(None).expect("templates");
        let n = queue_receipts(&mut store, &config, &t, &r.new_ids, now).expect("queue");
        assert_eq!(n, 1);
        // The same messages again (a restart): nothing more.
        let again = queue_receipts(&mut store, &config, &t, &r.new_ids, now).expect("queue");
        assert_eq!(again, 0);
        let out = store
            .outbox_entries(Some(OutboxKind::Receipt), None, None)
            .expect("outbox");
        let to: Vec<Vec<String>> = out.iter().map(|e| e.to.clone()).collect();
        assert_eq!(to, [vec!["danguylocbao@gmail.com".to_string()]]);
    }
}
