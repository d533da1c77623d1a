//! Outgoing mail: every mail is written to the outbox (with an idempotency key) before it is
//! sent, marked sending, then sent or failed with the server's reply; failures are retried with
//! capped backoff. A crash while sending leaves the row "uncertain" rather than sending twice.
//! Transport: lettre over SMTP (implicit TLS, STARTTLS, or plain to this machine), rustls with
//! the ring provider.

use chrono::{DateTime, FixedOffset};
use lettre::message::header::ContentType;
use lettre::message::{Attachment, Mailbox as Addr, MultiPart, SinglePart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::config::{Security, Smtp};
use crate::source::imap::password;
use crate::store::{self, OutboxMail, Store};

/// Why a mail could not be composed or the transport set up.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A bad address or header.
    #[error("cannot compose the mail: {0}")]
    Compose(String),
    /// The SMTP settings cannot be used.
    #[error("cannot set up sending through {host}: {detail}")]
    Transport {
        /// Server.
        host: String,
        /// What is wrong.
        detail: String,
    },
    /// The outbox failed.
    #[error(transparent)]
    Store(#[from] store::Error),
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
    let mut b = Message::builder()
        .from(
            from.parse::<Addr>()
                .map_err(|e| Error::Compose(format!("from {from:?}: {e}")))?,
        )
        .subject(subject)
        .message_id(None);
    for t in to {
        b = b.to(t
            .parse::<Addr>()
            .map_err(|e| Error::Compose(format!("to {t:?}: {e}")))?);
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
        let ct = ContentType::parse(&f.content_type)
            .map_err(|e| Error::Compose(format!("content type {:?}: {e}", f.content_type)))?;
        mixed = mixed.singlepart(Attachment::new(f.name.clone()).body(f.bytes.clone(), ct));
    }
    b.multipart(mixed)
        .map_err(|e| Error::Compose(e.to_string()))
}

/// Queues `msg` under `key`; a key already queued is not queued again. Returns true if queued.
pub fn queue(
    store: &mut Store,
    key: &str,
    msg: &Message,
    now: DateTime<FixedOffset>,
) -> Result<bool> {
    let env = msg.envelope();
    let mail = OutboxMail {
        id: 0,
        key: key.to_string(),
        env_from: env.from().map(|a| a.to_string()).unwrap_or_default(),
        env_to: env.to().iter().map(|a| a.to_string()).collect(),
        subject: msg
            .headers()
            .get_raw("Subject")
            .unwrap_or_default()
            .to_string(),
        raw: msg.formatted(),
        attempts: 0,
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
        let pem = std::fs::read(ca)
            .map_err(|e| terr(format!("cannot read ca-file {}: {e}", ca.display())))?;
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
        let pw = password(secret).map_err(|e| terr(e.to_string()))?;
        b = b.credentials(Credentials::new(user.clone(), pw));
    }
    Ok(b.build())
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
}

/// Most attempts before a mail is given up (staff see it as failed).
const MAX_ATTEMPTS: i64 = 8;

/// Sends every due mail of the outbox.
pub async fn deliver(
    store: &mut Store,
    smtp: &Smtp,
    now: DateTime<FixedOffset>,
) -> Result<Delivery> {
    let due = store.outbox_due(now.timestamp())?;
    let mut d = Delivery::default();
    if due.is_empty() {
        return Ok(d);
    }
    let t = transport(smtp)?;
    for m in due {
        let from = m.env_from.parse().ok();
        let to: Vec<lettre::Address> = m.env_to.iter().filter_map(|a| a.parse().ok()).collect();
        let env =
            lettre::address::Envelope::new(from, to).map_err(|e| Error::Compose(e.to_string()))?;
        store.outbox_sending(m.id)?;
        let outcome = match t.send_raw(&env, &m.raw).await {
            Ok(reply) => {
                d.sent += 1;
                Ok(format!(
                    "{} {}",
                    reply.code(),
                    reply.message().collect::<Vec<_>>().join(" ")
                ))
            }
            Err(e) => {
                let permanent = e.is_permanent();
                if permanent || m.attempts + 1 >= MAX_ATTEMPTS {
                    d.failed += 1;
                    Err((e.to_string(), None))
                } else {
                    d.retry += 1;
                    // 1, 2, 4 … minutes, at most an hour.
                    let wait = 60i64 << m.attempts.clamp(0, 6);
                    Err((e.to_string(), Some(now.timestamp() + wait.min(3600))))
                }
            }
        };
        store.outbox_result(m.id, outcome, &now.to_rfc3339())?;
    }
    Ok(d)
}
