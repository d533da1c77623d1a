//! Outgoing mail: every mail is written to the outbox (with an idempotency key) before it is
//! sent, marked sending, then sent or failed with the server's reply; failures are retried with
//! capped backoff. A crash while sending leaves the row "uncertain" rather than sending twice.
//! Transport: lettre over SMTP (implicit TLS, STARTTLS, or plain to this machine), rustls with
//! the ring provider.

pub mod act;
pub mod digest;
pub mod receipt;
pub mod remind;
pub mod templates;

use chrono::{DateTime, FixedOffset};
use lettre::message::header::ContentType;
use lettre::message::{Attachment, Mailbox as Addr, MultiPart, SinglePart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::config::{Security, Smtp};
use crate::i18n::{t, technical};
use crate::store::{self, OutboxKey, OutboxMail, OutboxMeta, Store};

/// The content type of a plain-text attachment in UTF-8 (Vietnamese shows right in every client).
pub const TEXT_PLAIN_UTF8: &str = "text/plain; charset=utf-8";

/// Why a mail could not be composed or the transport set up.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A bad address or header.
    #[error("{}", technical(t!("err-compose"), .0))]
    Compose(String),
    /// The SMTP settings cannot be used.
    #[error("{}", technical(t!("err-transport", host = host.as_str()), detail))]
    Transport {
        /// Server.
        host: String,
        /// What is wrong.
        detail: String,
    },
    /// The SMTP server could not be reached, refused the TLS handshake or the login, or
    /// refused a mail; `message` says so in words staff understand.
    #[error("{message}")]
    Smtp {
        /// What kind of trouble it was.
        problem: Problem,
        /// Plain Vietnamese words with the server's own reply, and what to check.
        message: String,
    },
    /// The outbox failed.
    #[error(transparent)]
    Store(#[from] store::Error),
    /// A template is wrong.
    #[error(transparent)]
    Template(#[from] templates::Error),
    /// Building the digest failed.
    #[error(transparent)]
    Digest(#[from] Box<digest::Error>),
    /// Building or writing the drafts failed.
    #[error(transparent)]
    Drafts(#[from] crate::consolidate::Error),
}

impl From<digest::Error> for Error {
    fn from(e: digest::Error) -> Self {
        Error::Digest(Box::new(e))
    }
}

/// Loads the templates and renders each with sample data from the config (its first campaign
/// and unit), so a mistake shows up in `check-config`, not in the first receipt. Returns how
/// many were checked.
pub fn check_templates(
    config: &crate::config::Config,
    units: &[crate::config::Unit],
) -> std::result::Result<usize, templates::Error> {
    let t = templates::Templates::load(Some(&config.templates_dir))?;
    let tz = config.timezone;
    let campaign = config.campaigns.first().map(|c| campaign_view(c, tz));
    let unit = units
        .first()
        .map(|u| serde_json::json!({ "id": u.id, "name": u.name }))
        .unwrap_or(serde_json::json!({ "id": "don-vi", "name": "Đơn vị mẫu" }));
    let items: Vec<String> = config
        .campaigns
        .first()
        .map(|c| c.items.iter().map(|i| i.name.clone()).collect())
        .unwrap_or_default();
    let receipt = serde_json::json!({
        "office": config.office_name,
        "campaign": campaign,
        "unit": unit,
        "message": { "subject": "Gửi báo cáo", "received_at": "08:00 ngày 27/01/2023" },
        "received": [{ "item": items.first(), "file": "Bao cao.docx", "note": null }],
        "missing": items.iter().skip(1).collect::<Vec<_>>(),
        "problems": ["Biểu số 2, dòng 1: đánh dấu cả hai cột"],
        "complete": false,
        "late": false,
    });
    t.render("receipt.txt.j2", &receipt)?;
    for overdue in [false, true] {
        let reminder = serde_json::json!({
            "office": config.office_name,
            "campaign": campaign,
            "unit": unit,
            "deadline": "23:59 ngày 30/01/2023",
            "now": "08:00 ngày 27/01/2023",
            "missing": items,
            "received": [],
            "overdue": overdue,
            "days_left": if overdue { None } else { Some(3) },
            "manual": false,
        });
        t.render("reminder.txt.j2", &reminder)?;
    }
    Ok(2)
}

/// The From of everything baocao sends: `[smtp] from`, or a local placeholder for the demo.
pub fn sender_address(config: &crate::config::Config) -> String {
    config
        .smtp
        .as_ref()
        .map(|s| s.from.clone())
        .unwrap_or_else(|| format!("{} <baocao@localhost>", config.office_name))
}

/// A time as mail writes it, in the catalogue's words: "08:00 ngày 30/01/2023".
pub fn local_text(t: DateTime<FixedOffset>, tz: chrono_tz::Tz) -> String {
    let t = t.with_timezone(&tz);
    crate::i18n::t!(
        "mail-time",
        time = t.format("%H:%M").to_string(),
        date = t.format("%d/%m/%Y").to_string()
    )
}

/// What templates see of a campaign.
pub(crate) fn campaign_view(c: &crate::config::Campaign, tz: chrono_tz::Tz) -> serde_json::Value {
    serde_json::json!({
        "id": c.id,
        "number": c.number,
        "title": c.title,
        "issuer": c.issuer,
        "issued": c.issued.format("%d/%m/%Y").to_string(),
        "deadline": local_text(c.deadline, tz),
        "consolidation_deadline": local_text(c.consolidation_deadline, tz),
    })
}

/// The kinds of SMTP trouble staff need told apart, because each has a different fix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Problem {
    /// The server refused the login (wrong user or password), wants one, or offers none here.
    Login,
    /// The TLS handshake failed: certificate name or issuer, or TLS spoken to a plain port.
    Tls,
    /// Nothing listens on that port.
    Refused,
    /// The host cannot be reached or its name not resolved.
    Unreachable,
    /// The server did not answer in time.
    Timeout,
    /// The server refused this mail (sender, recipient or content); other mails may pass.
    Rejected,
    /// Anything else.
    Other,
}

impl Problem {
    /// True when the trouble lies with the server or the settings rather than the mail:
    /// every other mail of the round would fail the same way, and the mail itself is fine.
    pub fn is_server_side(self) -> bool {
        matches!(
            self,
            Problem::Login
                | Problem::Tls
                | Problem::Refused
                | Problem::Unreachable
                | Problem::Timeout
        )
    }
}

/// Result of the notifier.
pub type Result<T> = std::result::Result<T, Error>;

/// A file to attach.
#[derive(Debug, Clone)]
pub struct File {
    /// Name shown to the recipient (any Unicode; encoded per RFC 2231).
    pub name: String,
    /// MIME type.
    pub content_type: String,
    /// Content.
    pub bytes: Vec<u8>,
}

/// Builds a mail with a plain-text body (and HTML when given) and attachments.
pub fn compose(
    from: &str,
    to: &[String],
    subject: &str,
    text: &str,
    html: Option<&str>,
    files: &[File],
    in_reply_to: Option<&str>,
) -> Result<Message> {
    let from_addr = from.parse::<Addr>().map_err(|e| {
        Error::Compose(t!(
            "smtp-bad-from",
            address = format!("{from:?}"),
            error = e.to_string()
        ))
    })?;
    // Our Message-IDs name the office's domain, not this machine's host name.
    let domain = from_addr.email.domain().to_string();
    let mut b = Message::builder()
        .from(from_addr)
        .subject(subject)
        .message_id(Some(message_id(&domain, subject, to)))
        .header(AutoSubmitted);
    for t in to {
        b = b.to(t.parse::<Addr>().map_err(|e| {
            Error::Compose(t!(
                "smtp-bad-to",
                address = format!("{t:?}"),
                error = e.to_string()
            ))
        })?);
    }
    if let Some(id) = in_reply_to {
        let id = format!("<{}>", id.trim_matches(['<', '>']));
        b = b.in_reply_to(id.clone()).references(id);
    }
    let body = match html {
        Some(h) => MultiPart::alternative_plain_html(text.to_string(), h.to_string()),
        None => MultiPart::mixed().singlepart(SinglePart::plain(text.to_string())),
    };
    let mut mixed = MultiPart::mixed().multipart(body);
    for f in files {
        let ct = ContentType::parse(&f.content_type).map_err(|e| {
            Error::Compose(t!(
                "smtp-bad-content-type",
                value = format!("{:?}", f.content_type),
                error = e.to_string()
            ))
        })?;
        mixed = mixed.singlepart(Attachment::new(f.name.clone()).body(f.bytes.clone(), ct));
    }
    b.multipart(mixed)
        .map_err(|e| Error::Compose(e.to_string()))
}

/// `Auto-Submitted: auto-generated` (RFC 3834): every mail baocao writes is machine-made, so
/// the units' auto-replies and out-of-office robots do not answer it.
#[derive(Debug, Clone)]
struct AutoSubmitted;

impl lettre::message::header::Header for AutoSubmitted {
    fn name() -> lettre::message::header::HeaderName {
        lettre::message::header::HeaderName::new_from_ascii_str("Auto-Submitted")
    }

    fn parse(_: &str) -> std::result::Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(AutoSubmitted)
    }

    fn display(&self) -> lettre::message::header::HeaderValue {
        lettre::message::header::HeaderValue::new(Self::name(), "auto-generated".to_string())
    }
}

/// A unique Message-ID in the office's domain.
fn message_id(domain: &str, subject: &str, to: &[String]) -> String {
    use sha2::Digest;
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    static SEQ: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let seq = SEQ.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let mut h = sha2::Sha256::new();
    h.update(format!(
        "{nanos}|{seq}|{}|{subject}|{}",
        std::process::id(),
        to.join(",")
    ));
    let hex = crate::store::hex(&h.finalize());
    format!("<{}.baocao@{domain}>", &hex[..32])
}

/// Queues `msg` under `key`; a key already queued is not queued again. Returns true if queued.
pub fn queue(
    store: &mut Store,
    key: &OutboxKey,
    msg: &Message,
    mut meta: OutboxMeta,
    now: DateTime<FixedOffset>,
) -> Result<bool> {
    // Dated by the configured clock, in the office's time zone (the demo's mail carries the
    // demo's time, and `--now` is honoured), not the machine's clock in UTC.
    let mut msg = msg.clone();
    msg.headers_mut()
        .insert_raw(lettre::message::header::HeaderValue::new(
            lettre::message::header::HeaderName::new_from_ascii_str("Date"),
            now.to_rfc2822(),
        ));
    let env = msg.envelope();
    meta.mail_id = msg
        .headers()
        .get_raw("Message-ID")
        .map(|v| v.trim().trim_matches(['<', '>']).to_string());
    let mail = OutboxMail {
        id: 0,
        key: key.clone(),
        env_from: env.from().map(|a| a.to_string()).unwrap_or_default(),
        env_to: env.to().iter().map(|a| a.to_string()).collect(),
        subject: msg
            .headers()
            .get_raw("Subject")
            .unwrap_or_default()
            .to_string(),
        raw: msg.formatted(),
        attempts: 0,
        meta,
    };
    Ok(store.outbox_queue(&mail, &now.to_rfc3339())?)
}

fn transport(smtp: &Smtp) -> Result<AsyncSmtpTransport<Tokio1Executor>> {
    let terr = |detail: String| Error::Transport {
        host: smtp.host.clone(),
        detail,
    };
    let mut params = TlsParameters::builder(smtp.host.clone());
    if let Some(ca) = &smtp.ca_file {
        let pem = std::fs::read(ca).map_err(|e| {
            terr(t!(
                "smtp-ca-file",
                path = ca.display().to_string(),
                error = e.to_string()
            ))
        })?;
        params = params
            .add_root_certificate(Certificate::from_pem(&pem).map_err(|e| terr(e.to_string()))?);
    }
    let tls = match smtp.security {
        Security::Plain => Tls::None,
        Security::StartTls => Tls::Required(params.build().map_err(|e| terr(e.to_string()))?),
        Security::Tls => Tls::Wrapper(params.build().map_err(|e| terr(e.to_string()))?),
    };
    let mut b = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(smtp.host.clone())
        .port(smtp.port)
        .tls(tls)
        .timeout(Some(smtp.timeout));
    if let Some((user, secret)) = &smtp.login {
        let pw = secret.resolve().map_err(|e| terr(e.to_string()))?;
        b = b.credentials(Credentials::new(user.clone(), pw));
    }
    Ok(b.build())
}

/// The words a TLS failure is reported in when rustls' own error is not reachable.
fn tls_words(text: &str) -> Option<bool> {
    let t = text.to_ascii_lowercase();
    if t.contains("certificate") || t.contains("unknownissuer") || t.contains("notvalidforname") {
        Some(true)
    } else if t.contains("corrupt message")
        || t.contains("invalidcontenttype")
        || t.contains("invalid content type")
        || t.contains("invalidmessage")
        || t.contains("handshake")
    {
        Some(false)
    } else {
        None
    }
}

/// A server that says nothing: a firewall, or STARTTLS against an implicit-TLS port (each side
/// waits for the other to speak first).
fn timeout_words(smtp: &Smtp) -> String {
    t!(
        "smtp-timeout",
        at = format!("{}:{}", smtp.host, smtp.port),
        seconds = smtp.timeout.as_secs().to_string()
    )
}

/// Sorts a lettre error into a [`Problem`] and words staff can act on. lettre reports TCP and
/// TLS failures alike as "Connection error", so the cause is dug out of the source chain.
fn explain(smtp: &Smtp, e: &lettre::transport::smtp::Error) -> (Problem, String) {
    use std::error::Error as _;
    let at = format!("{}:{}", smtp.host, smtp.port);
    let user = smtp.login.as_ref().map(|(u, _)| u.as_str());
    let code = e.status().map(u16::from);
    let reply = match (code, e.source()) {
        (Some(c), Some(s)) => format!("{c} {s}"),
        (None, Some(s)) => s.to_string(),
        (_, None) => e.to_string(),
    };
    let mut io_kind = None;
    // Some(true): the certificate was refused; Some(false): no TLS spoken on the other side.
    let mut tls_cert = None;
    let mut src: Option<&(dyn std::error::Error + 'static)> = e.source();
    while let Some(s) = src {
        if let Some(io) = s.downcast_ref::<std::io::Error>() {
            io_kind.get_or_insert(io.kind());
            if let Some(inner) = io.get_ref() {
                if let Some(r) = inner.downcast_ref::<tokio_rustls::rustls::Error>() {
                    tls_cert = Some(matches!(
                        r,
                        tokio_rustls::rustls::Error::InvalidCertificate(_)
                            | tokio_rustls::rustls::Error::AlertReceived(
                                tokio_rustls::rustls::AlertDescription::BadCertificate
                                    | tokio_rustls::rustls::AlertDescription::UnknownCA
                            )
                    ));
                } else if tls_cert.is_none() {
                    tls_cert = tls_words(&inner.to_string());
                }
            }
        } else if tls_cert.is_none() {
            tls_cert = tls_words(&s.to_string());
        }
        src = s.source();
    }
    if e.is_tls() && tls_cert.is_none() {
        tls_cert = Some(false);
    }
    match (code, io_kind, tls_cert) {
        (Some(454), _, _) => (
            Problem::Login,
            t!("smtp-login-later", at = at.as_str(), reply = reply.as_str()),
        ),
        (Some(535 | 534), _, _) => (
            Problem::Login,
            t!(
                "smtp-login-refused",
                at = at.as_str(),
                reply = reply.as_str(),
                user = user.map_or_else(|| t!("smtp-no-user"), str::to_string)
            ),
        ),
        (Some(530), _, _) => (
            Problem::Login,
            t!(
                "smtp-login-needed",
                at = at.as_str(),
                reply = reply.as_str()
            ),
        ),
        (Some(c), _, _) if c >= 500 => (
            Problem::Rejected,
            t!("smtp-rejected", at = at.as_str(), reply = reply.as_str()),
        ),
        (_, _, _) if e.is_timeout() => (Problem::Timeout, timeout_words(smtp)),
        (_, _, Some(true)) => (
            Problem::Tls,
            t!(
                "smtp-certificate",
                host = smtp.host.as_str(),
                reply = reply.as_str()
            ),
        ),
        (_, _, Some(false)) => (
            Problem::Tls,
            t!("smtp-tls", at = at.as_str(), reply = reply.as_str()),
        ),
        (_, Some(std::io::ErrorKind::ConnectionRefused), _) => {
            (Problem::Refused, t!("smtp-refused", at = at.as_str()))
        }
        (_, Some(_), _) => (
            Problem::Unreachable,
            t!("smtp-unreachable", at = at.as_str(), reply = reply.as_str()),
        ),
        _ if reply.contains("STARTTLS") => (
            Problem::Tls,
            t!("smtp-no-starttls", at = at.as_str(), reply = reply.as_str()),
        ),
        _ if reply.contains("authentication mechanism") => (
            Problem::Login,
            t!("smtp-no-auth", at = at.as_str(), reply = reply.as_str()),
        ),
        (Some(_), _, _) => (
            Problem::Other,
            t!("smtp-busy", at = at.as_str(), reply = reply.as_str()),
        ),
        _ => (
            Problem::Other,
            technical(t!("smtp-other", at = at.as_str()), e),
        ),
    }
}

/// Connects to the `[smtp]` server the way sending does (TLS, login when configured) and says
/// with whom, so a bad password or certificate shows up in `check-config` and not at the first
/// receipt. Returns `user@host:port`, or `host:port` without a login.
pub async fn check(smtp: &Smtp) -> Result<String> {
    let t = transport(smtp)?;
    // lettre's own timeout covers only the TCP connect; a silent server would hang here.
    let Ok(tested) = tokio::time::timeout(smtp.timeout, t.test_connection()).await else {
        return Err(Error::Smtp {
            problem: Problem::Timeout,
            message: timeout_words(smtp),
        });
    };
    match tested {
        Ok(true) => Ok(match &smtp.login {
            Some((user, _)) => format!("{user}@{}:{}", smtp.host, smtp.port),
            None => format!("{}:{}", smtp.host, smtp.port),
        }),
        Ok(false) => Err(Error::Smtp {
            problem: Problem::Other,
            message: t!("smtp-no-noop", at = format!("{}:{}", smtp.host, smtp.port)),
        }),
        Err(e) => {
            let (problem, message) = explain(smtp, &e);
            Err(Error::Smtp { problem, message })
        }
    }
}

/// What one delivery round did.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Delivery {
    /// Sent now.
    pub sent: usize,
    /// Failed now, to be retried.
    pub retry: usize,
    /// Given up after too many attempts.
    pub failed: usize,
    /// What went wrong, in plain words, one line per failed attempt.
    pub problems: Vec<String>,
    /// Not sent because no longer needed (e.g. the unit completed after the reminder was planned).
    pub cancelled: usize,
}

/// The file transport: each mail becomes `<row>-<kind>[-<unit>].eml` in `dir`.
fn to_files(
    store: &mut Store,
    dir: &std::path::Path,
    due: Vec<OutboxMail>,
    now: DateTime<FixedOffset>,
    d: &mut Delivery,
) -> Result<()> {
    use lettre::Transport as _;
    let terr = |detail: String| Error::Transport {
        host: dir.display().to_string(),
        detail,
    };
    std::fs::create_dir_all(dir).map_err(|e| terr(e.to_string()))?;
    let t = lettre::FileTransport::new(dir);
    for m in due {
        let from = m.env_from.parse().ok();
        let to: Vec<lettre::Address> = m.env_to.iter().filter_map(|a| a.parse().ok()).collect();
        let env =
            lettre::address::Envelope::new(from, to).map_err(|e| Error::Compose(e.to_string()))?;
        store.outbox_sending(m.id)?;
        let id = t.send_raw(&env, &m.raw).map_err(|e| terr(e.to_string()))?;
        let name = format!(
            "{:04}-{}{}.eml",
            m.id,
            m.meta.kind,
            m.meta
                .unit_id
                .as_deref()
                .map(|u| format!("-{u}"))
                .unwrap_or_default()
        );
        std::fs::rename(dir.join(format!("{id}.eml")), dir.join(&name))
            .map_err(|e| terr(e.to_string()))?;
        store.outbox_written(
            m.id,
            &dir.join(name).display().to_string(),
            &now.to_rfc3339(),
        )?;
        d.sent += 1;
    }
    Ok(())
}

/// Most attempts before a mail is given up (staff see it as failed).
const MAX_ATTEMPTS: i64 = 8;

/// Where outgoing mail goes.
#[derive(Debug, Clone)]
pub enum Sender {
    /// An SMTP server.
    Smtp(Smtp),
    /// `.eml` files in a folder (the demo; no server), through lettre's file transport.
    Files(std::path::PathBuf),
}

/// Why a queued mail should no longer go out (a reminder whose unit has completed since it was
/// planned), or None to send it.
pub type Recheck<'a> = &'a mut (dyn FnMut(&Store, &OutboxMail) -> Option<String> + Send);

/// Sends every due mail of the outbox.
pub async fn deliver(
    store: &mut Store,
    smtp: &Smtp,
    now: DateTime<FixedOffset>,
) -> Result<Delivery> {
    deliver_via(store, &Sender::Smtp(smtp.clone()), now, &mut |_, _| None).await
}

/// Sends every due mail of the outbox through `sender`, first asking `recheck` whether each
/// is still wanted (a mail that is not is cancelled, never sent).
pub async fn deliver_via(
    store: &mut Store,
    sender: &Sender,
    now: DateTime<FixedOffset>,
    recheck: Recheck<'_>,
) -> Result<Delivery> {
    let due = store.outbox_due(now.timestamp())?;
    let mut d = Delivery::default();
    let mut wanted = Vec::with_capacity(due.len());
    for m in due {
        match recheck(store, &m) {
            Some(why) => {
                store.outbox_cancel(m.id, &why, &now.to_rfc3339())?;
                d.cancelled += 1;
            }
            None => wanted.push(m),
        }
    }
    if wanted.is_empty() {
        return Ok(d);
    }
    let smtp = match sender {
        Sender::Smtp(s) => s,
        Sender::Files(dir) => {
            to_files(store, dir, wanted, now, &mut d)?;
            return Ok(d);
        }
    };
    let t = transport(smtp)?;
    for m in wanted {
        let from = m.env_from.parse().ok();
        let to: Vec<lettre::Address> = m.env_to.iter().filter_map(|a| a.parse().ok()).collect();
        let env =
            lettre::address::Envelope::new(from, to).map_err(|e| Error::Compose(e.to_string()))?;
        store.outbox_sending(m.id)?;
        // lettre's own timeout covers only the TCP connect; a silent server would hang here.
        let attempt = tokio::time::timeout(smtp.timeout, t.send_raw(&env, &m.raw)).await;
        let failure = match attempt {
            Ok(Ok(reply)) => {
                d.sent += 1;
                Ok(format!(
                    "{} {}",
                    reply.code(),
                    reply.message().collect::<Vec<_>>().join(" ")
                ))
            }
            Ok(Err(e)) => {
                let (problem, why) = explain(smtp, &e);
                Err((problem, why, e.to_string(), e.is_permanent()))
            }
            Err(_) => Err((
                Problem::Timeout,
                timeout_words(smtp),
                t!(
                    "smtp-no-answer",
                    seconds = smtp.timeout.as_secs().to_string()
                ),
                false,
            )),
        };
        let server_side = matches!(&failure, Err((p, ..)) if p.is_server_side());
        let outcome = failure.map_err(|(problem, why, raw_error, permanent)| {
            d.problems.push(why);
            // A wrong password is a permanent SMTP reply but no fault of the mail: it is
            // retried, so fixing the settings lets it go out.
            if (permanent && !problem.is_server_side()) || m.attempts + 1 >= MAX_ATTEMPTS {
                d.failed += 1;
                (raw_error, None)
            } else {
                d.retry += 1;
                // 1, 2, 4 … minutes, at most an hour.
                let wait = 60i64 << m.attempts.clamp(0, 6);
                (raw_error, Some(now.timestamp() + wait.min(3600)))
            }
        });
        store.outbox_result(m.id, outcome, &now.to_rfc3339())?;
        if server_side {
            // Every other mail would fail the same way (and a wrong password tried over and
            // over may get the account locked): leave them queued for the next round.
            break;
        }
    }
    Ok(d)
}

#[cfg(test)]
mod tests {
    use super::Error;
    use crate::i18n::{Catalogue, Lang, arg};

    #[test]
    fn setup_errors_say_the_catalogues_words_then_the_raw_text() {
        let vi = Catalogue::of(Lang::Vi);
        let e = Error::Compose("to \"x\": Missing domain or user".into());
        assert_eq!(
            e.to_string(),
            format!(
                "{} (chi tiết kỹ thuật: to \"x\": Missing domain or user)",
                vi.text("err-compose", &[])
            )
        );
        let e = Error::Transport {
            host: "smtp.test".into(),
            detail: "cannot read ca-file /x: No such file".into(),
        };
        assert_eq!(
            e.to_string(),
            format!(
                "{} (chi tiết kỹ thuật: cannot read ca-file /x: No such file)",
                vi.text("err-transport", &[("host", arg("smtp.test"))])
            )
        );
        assert!(
            e.to_string()
                .starts_with("không thiết lập được việc gửi thư qua smtp.test")
        );
    }
    #[test]
    fn a_missing_ca_file_and_a_bad_address_are_told_in_the_catalogues_words() {
        let smtp = crate::config::Smtp {
            host: "smtp.test".into(),
            port: 465,
            security: crate::config::Security::Tls,
            login: None,
            from: "vp@test.vn".into(),
            ca_file: Some("/nonexistent/ca.pem".into()),
            timeout: std::time::Duration::from_secs(5),
        };
        let Err(Error::Transport { detail, .. }) = super::transport(&smtp) else {
            panic!("a missing ca-file must fail the transport");
        };
        assert!(
            detail.starts_with("không đọc được ca-file /nonexistent/ca.pem: "),
            "{detail}"
        );
        let Err(Error::Compose(detail)) =
            super::compose("vp@test.vn", &["x".into()], "s", "b", None, &[], None)
        else {
            panic!("an address without a domain must fail");
        };
        assert!(detail.starts_with("địa chỉ nhận \"x\": "), "{detail}");
    }
}
