//! The office mailbox over IMAP (async-imap + rustls with the ring provider): implicit TLS,
//! STARTTLS, or plain for a server on this machine.
//!
//! One poll reads each configured folder from the last UID it stored, in batches: a batch is
//! fetched with `BODY.PEEK[]` (so staff still see the mail as unread), handed to the ingest
//! pipeline, which archives and commits it, and only then flagged with the keyword (and moved,
//! if configured). The folder's UIDVALIDITY and last UID are recorded after the flag. A crash
//! anywhere refetches at most one batch, which dedupe stores once. Only ASCII criteria (UID
//! ranges) are sent to the server; all matching is done on our side.

use std::io;
use std::path::Path;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use async_imap::Session;
use futures::{StreamExt, TryStreamExt};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;
use tokio_rustls::client::TlsStream;
use tokio_rustls::rustls::{self, ClientConfig, RootCertStore};

use super::Fetched;
use crate::config::{Mailbox, Secret, Security};
use crate::i18n::{t, technical};

/// Why talking to the mailbox failed, in words an administrator can act on: the sentence
/// comes from the catalogue, the server's or library's own text follows as technical detail.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// TCP connection failed.
    Connect {
        /// Server.
        host: String,
        /// Port.
        port: u16,
        /// Cause.
        source: io::Error,
    },
    /// TLS failed (certificate name, unknown CA…).
    Tls {
        /// Server.
        host: String,
        /// What rustls said.
        detail: String,
    },
    /// The server refused the login.
    Login {
        /// Login name.
        user: String,
        /// Server's words.
        detail: String,
    },
    /// The password could not be read (the config's words).
    Password(String),
    /// A folder does not exist or cannot be opened.
    Folder {
        /// Folder name.
        folder: String,
        /// Server's words.
        detail: String,
    },
    /// A network step took too long.
    Timeout {
        /// What we were doing.
        step: &'static str,
        /// The limit.
        seconds: u64,
    },
    /// Any other protocol error.
    Protocol {
        /// What we were doing.
        step: &'static str,
        /// Details.
        detail: String,
    },
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let text = match self {
            Error::Connect { host, port, source } => technical(
                t!(
                    "imap-connect",
                    host = host.as_str(),
                    port = port.to_string()
                ),
                source,
            ),
            Error::Tls { host, detail } => technical(t!("imap-tls", host = host.as_str()), detail),
            Error::Login { user, detail } => {
                technical(t!("imap-login", user = user.as_str()), detail)
            }
            Error::Password(words) => words.clone(),
            Error::Folder { folder, detail } => {
                technical(t!("imap-folder", folder = folder.as_str()), detail)
            }
            Error::Timeout { step, seconds } => {
                t!("imap-timeout", seconds = *seconds, step = step_words(step))
            }
            Error::Protocol { step, detail } => {
                technical(t!("imap-protocol", step = step_words(step)), detail)
            }
        };
        f.write_str(&text)
    }
}

impl std::error::Error for Error {}

/// A step of the IMAP conversation in the catalogue's words (the step itself if unknown).
fn step_words(step: &str) -> String {
    match step {
        "connecting" => t!("imap-step-connecting"),
        "reading the greeting" => t!("imap-step-greeting"),
        "starting TLS" => t!("imap-step-starttls"),
        "logging in" => t!("imap-step-login"),
        "opening a folder" => t!("imap-step-folder"),
        "searching for unflagged mail" => t!("imap-step-search-unflagged"),
        "searching for new mail" => t!("imap-step-search-new"),
        "fetching mail" => t!("imap-step-fetch"),
        "flagging stored mail" => t!("imap-step-flag"),
        "moving stored mail" => t!("imap-step-move"),
        "starting IDLE" => t!("imap-step-idle"),
        other => other.to_string(),
    }
}

/// Result of the IMAP source.
pub type Result<T> = std::result::Result<T, Error>;

/// A plain or TLS connection, so one session type serves every security mode.
#[derive(Debug)]
pub enum Stream {
    /// Unencrypted.
    Plain(TcpStream),
    /// TLS.
    Tls(Box<TlsStream<TcpStream>>),
}

impl AsyncRead for Stream {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Stream::Plain(s) => Pin::new(s).poll_read(cx, buf),
            Stream::Tls(s) => Pin::new(s.as_mut()).poll_read(cx, buf),
        }
    }
}

impl AsyncWrite for Stream {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        match self.get_mut() {
            Stream::Plain(s) => Pin::new(s).poll_write(cx, buf),
            Stream::Tls(s) => Pin::new(s.as_mut()).poll_write(cx, buf),
        }
    }
    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Stream::Plain(s) => Pin::new(s).poll_flush(cx),
            Stream::Tls(s) => Pin::new(s.as_mut()).poll_flush(cx),
        }
    }
    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Stream::Plain(s) => Pin::new(s).poll_shutdown(cx),
            Stream::Tls(s) => Pin::new(s.as_mut()).poll_shutdown(cx),
        }
    }
}

/// Runs `fut` with the mailbox's time limit.
async fn timed<T>(
    limit: Duration,
    step: &'static str,
    fut: impl std::future::Future<Output = T>,
) -> Result<T> {
    tokio::time::timeout(limit, fut)
        .await
        .map_err(|_| Error::Timeout {
            step,
            seconds: limit.as_secs(),
        })
}

fn protocol(step: &'static str) -> impl Fn(async_imap::error::Error) -> Error {
    move |e| Error::Protocol {
        step,
        detail: server_says(&e),
    }
}

/// The server's own words from a NO/BAD reply ("[AUTHENTICATIONFAILED] Authentication
/// failed."), which async-imap wraps in debug text ("code: None, info: Some(…)").
fn server_says(e: &async_imap::error::Error) -> String {
    use async_imap::error::Error as E;
    match e {
        E::No(t) | E::Bad(t) => t
            .split_once("info: Some(\"")
            .and_then(|(_, rest)| rest.rsplit_once("\")"))
            .map(|(info, _)| info.replace("\\\"", "\""))
            .unwrap_or_else(|| e.to_string()),
        _ => e.to_string(),
    }
}

/// A TLS client config trusting the public roots and, if given, an extra CA (PEM).
pub fn tls_config(ca_file: Option<&Path>) -> std::result::Result<Arc<ClientConfig>, String> {
    let mut roots = RootCertStore::empty();
    roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    if let Some(f) = ca_file {
        use rustls_pki_types::pem::PemObject;
        let certs = rustls_pki_types::CertificateDer::pem_file_iter(f).map_err(|e| {
            crate::i18n::t!(
                "smtp-ca-file",
                path = f.display().to_string(),
                error = e.to_string()
            )
        })?;
        let bad = |e: String| {
            crate::i18n::t!(
                "tls-bad-certificate",
                path = f.display().to_string(),
                error = e
            )
        };
        for c in certs {
            let c = c.map_err(|e| bad(e.to_string()))?;
            roots.add(c).map_err(|e| bad(e.to_string()))?;
        }
    }
    let config =
        ClientConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
            .with_safe_default_protocol_versions()
            .map_err(|e| e.to_string())?
            .with_root_certificates(roots)
            .with_no_client_auth();
    Ok(Arc::new(config))
}

/// Reads the password from its environment variable or 0600 file.
pub fn password(s: &Secret) -> Result<String> {
    s.resolve().map_err(|e| Error::Password(e.to_string()))
}

async fn tls_wrap(tcp: TcpStream, mb: &Mailbox) -> Result<Stream> {
    let config = tls_config(mb.ca_file.as_deref()).map_err(|detail| Error::Tls {
        host: mb.host.clone(),
        detail,
    })?;
    let name = rustls_pki_types::ServerName::try_from(mb.host.clone()).map_err(|e| Error::Tls {
        host: mb.host.clone(),
        detail: e.to_string(),
    })?;
    let tls = timed(
        mb.timeout,
        "starting TLS",
        TlsConnector::from(config).connect(name, tcp),
    )
    .await?
    .map_err(|e| Error::Tls {
        host: mb.host.clone(),
        detail: e.to_string(),
    })?;
    Ok(Stream::Tls(Box::new(tls)))
}

/// Connects and logs in.
pub async fn connect(mb: &Mailbox) -> Result<Session<Stream>> {
    let tcp = timed(
        mb.timeout,
        "connecting",
        TcpStream::connect((mb.host.as_str(), mb.port)),
    )
    .await?
    .map_err(|source| Error::Connect {
        host: mb.host.clone(),
        port: mb.port,
        source,
    })?;
    let stream = match mb.security {
        Security::Tls => tls_wrap(tcp, mb).await?,
        Security::Plain | Security::StartTls => Stream::Plain(tcp),
    };
    let mut client = async_imap::Client::new(stream);
    timed(mb.timeout, "reading the greeting", client.read_response())
        .await?
        .map_err(|e| Error::Protocol {
            step: "reading the greeting",
            detail: e.to_string(),
        })?;
    if mb.security == Security::StartTls {
        timed(
            mb.timeout,
            "asking for STARTTLS",
            client.run_command_and_check_ok("STARTTLS", None),
        )
        .await?
        .map_err(protocol("asking for STARTTLS"))?;
        let Stream::Plain(tcp) = client.into_inner() else {
            return Err(Error::Protocol {
                step: "starting TLS",
                detail: "connection already encrypted".into(),
            });
        };
        client = async_imap::Client::new(tls_wrap(tcp, mb).await?);
    }
    let pw = password(&mb.password)?;
    let session = timed(mb.timeout, "logging in", client.login(&mb.username, &pw))
        .await?
        .map_err(|(e, _)| Error::Login {
            user: mb.username.clone(),
            detail: server_says(&e),
        })?;
    Ok(session)
}

/// Drains responses the server sent on its own (EXISTS, EXPUNGE…): the channel is bounded and
/// would otherwise drop them silently.
fn drain(session: &mut Session<Stream>) {
    while session.unsolicited_responses.try_recv().is_ok() {}
}

/// One folder opened for reading.
#[derive(Debug, Clone, Copy)]
pub struct Opened {
    /// Its UIDVALIDITY.
    pub uidvalidity: u32,
    /// Whether the server keeps new keywords on messages (PERMANENTFLAGS has `\*`): without
    /// that, "not yet flagged" cannot be searched for.
    pub keywords: bool,
}

/// Selects `folder` (names are sent in modified UTF-7: "Đã xử lý" → "&ARAA4w- x&Hu0- l&AP0-").
pub async fn select(session: &mut Session<Stream>, mb: &Mailbox, folder: &str) -> Result<Opened> {
    let name = utf7_imap::encode_utf7_imap(folder.to_string());
    let m = timed(mb.timeout, "opening a folder", session.select(&name))
        .await?
        .map_err(|e| Error::Folder {
            folder: folder.to_string(),
            detail: e.to_string(),
        })?;
    drain(session);
    Ok(Opened {
        uidvalidity: m.uid_validity.unwrap_or(0),
        keywords: m
            .permanent_flags
            .iter()
            .any(|f| matches!(f, async_imap::types::Flag::MayCreate)),
    })
}

/// UIDs up to `upto` that do not carry our keyword yet: stored but never flagged (a crash
/// between the two), or never stored. Only an ASCII criterion goes to the server.
pub async fn unflagged_uids(
    session: &mut Session<Stream>,
    mb: &Mailbox,
    upto: u32,
) -> Result<Vec<u32>> {
    if upto == 0 {
        return Ok(Vec::new());
    }
    let set = timed(
        mb.timeout,
        "searching for unflagged mail",
        session.uid_search(format!("UID 1:{upto} UNKEYWORD {}", mb.keyword)),
    )
    .await?
    .map_err(protocol("searching for unflagged mail"))?;
    drain(session);
    let mut v: Vec<u32> = set.into_iter().filter(|u| *u <= upto).collect();
    v.sort_unstable();
    Ok(v)
}

/// UIDs above `last`, ascending.
pub async fn new_uids(session: &mut Session<Stream>, mb: &Mailbox, last: u32) -> Result<Vec<u32>> {
    let set = timed(
        mb.timeout,
        "searching for new mail",
        session.uid_search(format!("UID {}:*", last.saturating_add(1))),
    )
    .await?
    .map_err(protocol("searching for new mail"))?;
    drain(session);
    // "n:*" always matches the last message, even when its UID is below n.
    let mut v: Vec<u32> = set.into_iter().filter(|u| *u > last).collect();
    v.sort_unstable();
    Ok(v)
}

/// A UID set for commands, runs written as ranges: "1:3,5,9:12". A backfill's UIDs are mostly
/// one run, so a whole batch is one short command.
pub fn uid_set(uids: &[u32]) -> String {
    let mut sorted = uids.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while let Some(&first) = sorted.get(i) {
        let mut last = first;
        while let Some(next) = last.checked_add(1)
            && sorted.get(i + 1) == Some(&next)
        {
            i += 1;
            last = next;
        }
        parts.push(if last == first {
            first.to_string()
        } else {
            format!("{first}:{last}")
        });
        i += 1;
    }
    parts.join(",")
}

/// Fetches whole messages without setting \Seen (each one's origin is `origin` — "imap:"
/// account/folder/UIDVALIDITY — then "/" and its UID), sending each into `to` as it arrives (after
/// showing it to `note`), so a chunk's bytes are never all held at once and a backfill's
/// memory stays flat. Once `to` is closed nothing more is sent, but the server's answer is
/// still read to its end so the session stays usable. Returns how many messages were sent,
/// and whether `to` was found closed.
pub async fn fetch(
    session: &mut Session<Stream>,
    mb: &Mailbox,
    origin: &str,
    uids: &[u32],
    to: &tokio::sync::mpsc::Sender<Fetched>,
    mut note: impl FnMut(&Fetched),
) -> Result<(usize, bool)> {
    let set = uid_set(uids);
    let mut stream = timed(
        mb.timeout,
        "fetching mail",
        session.uid_fetch(&set, "(UID INTERNALDATE BODY.PEEK[])"),
    )
    .await?
    .map_err(protocol("fetching mail"))?;
    let mut handed = 0;
    let mut open = true;
    // The limit is per message: while `to` is full (a busy pipeline) the server is held
    // back by the socket, and that is no fault of the server's.
    while let Some(item) = timed(mb.timeout, "fetching mail", stream.next()).await? {
        let f = item.map_err(protocol("fetching mail"))?;
        let (Some(uid), Some(body), true) = (f.uid, f.body(), open) else {
            continue;
        };
        let m = Fetched {
            raw: body.to_vec(),
            origin: format!("{origin}/{uid}"),
            internal_date: f.internal_date(),
        };
        note(&m);
        open = to.send(m).await.is_ok();
        handed += usize::from(open);
    }
    drop(stream);
    drain(session);
    Ok((handed, !open))
}

/// Sets the keyword on stored messages (and moves them, if configured).
pub async fn mark_stored(session: &mut Session<Stream>, mb: &Mailbox, uids: &[u32]) -> Result<()> {
    if uids.is_empty() {
        return Ok(());
    }
    let set = uid_set(uids);
    timed(mb.timeout, "flagging stored mail", async {
        let s = session
            .uid_store(&set, format!("+FLAGS ({})", mb.keyword))
            .await?;
        s.try_collect::<Vec<_>>().await
    })
    .await?
    .map_err(protocol("flagging stored mail"))?;
    drain(session);
    if let Some(dest) = &mb.move_to {
        let name = utf7_imap::encode_utf7_imap(dest.clone());
        timed(
            mb.timeout,
            "moving stored mail",
            session.uid_mv(&set, &name),
        )
        .await?
        .map_err(protocol("moving stored mail"))?;
        drain(session);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::Error;
    use crate::i18n::{Catalogue, Lang, arg};

    #[test]
    fn every_kind_speaks_the_catalogue_with_the_raw_text_after() {
        let vi = Catalogue::of(Lang::Vi);
        let detail = |words: String, raw: &str| {
            vi.text(
                "fault-detail",
                &[("text", arg(words)), ("detail", arg(raw))],
            )
        };
        let cases = [
            (
                Error::Connect {
                    host: "mail.test".into(),
                    port: 993,
                    source: std::io::Error::other("Connection refused (os error 111)"),
                },
                detail(
                    vi.text(
                        "imap-connect",
                        &[("host", arg("mail.test")), ("port", arg(993))],
                    ),
                    "Connection refused (os error 111)",
                ),
            ),
            (
                Error::Tls {
                    host: "mail.test".into(),
                    detail: "invalid peer certificate: UnknownIssuer".into(),
                },
                detail(
                    vi.text("imap-tls", &[("host", arg("mail.test"))]),
                    "invalid peer certificate: UnknownIssuer",
                ),
            ),
            (
                Error::Login {
                    user: "vp@x.test".into(),
                    detail: "Authentication failed.".into(),
                },
                detail(
                    vi.text("imap-login", &[("user", arg("vp@x.test"))]),
                    "Authentication failed.",
                ),
            ),
            (
                Error::Folder {
                    folder: "Báo cáo".into(),
                    detail: "Mailbox doesn't exist".into(),
                },
                detail(
                    vi.text("imap-folder", &[("folder", arg("Báo cáo"))]),
                    "Mailbox doesn't exist",
                ),
            ),
            (
                Error::Timeout {
                    step: "logging in",
                    seconds: 30,
                },
                vi.text(
                    "imap-timeout",
                    &[
                        ("seconds", arg(30)),
                        ("step", arg(vi.text("imap-step-login", &[]))),
                    ],
                ),
            ),
            (
                Error::Protocol {
                    step: "fetching mail",
                    detail: "connection lost".into(),
                },
                detail(
                    vi.text(
                        "imap-protocol",
                        &[("step", arg(vi.text("imap-step-fetch", &[])))],
                    ),
                    "connection lost",
                ),
            ),
        ];
        for (e, want) in cases {
            assert_eq!(e.to_string(), want);
        }
        assert_eq!(
            Error::Login {
                user: "vp@x.test".into(),
                detail: "Authentication failed.".into()
            }
            .to_string(),
            "máy chủ thư từ chối đăng nhập của vp@x.test; kiểm tra username và mật khẩu trong \
             [mailbox] (chi tiết kỹ thuật: Authentication failed.)"
        );
    }

    #[test]
    fn server_replies_are_shown_in_the_servers_words() {
        let e = async_imap::error::Error::No(
            "code: None, info: Some(\"[AUTHENTICATIONFAILED] Authentication failed.\")".into(),
        );
        assert_eq!(
            super::server_says(&e),
            "[AUTHENTICATIONFAILED] Authentication failed."
        );
        let other = async_imap::error::Error::ConnectionLost;
        assert_eq!(super::server_says(&other), "connection lost");
    }

    #[test]
    fn folder_names_are_modified_utf7() {
        assert_eq!(
            utf7_imap::encode_utf7_imap("Đã xử lý".into()),
            "&ARAA4w- x&Hu0- l&AP0-"
        );
        assert_eq!(super::uid_set(&[1, 9]), "1,9");
        assert_eq!(super::uid_set(&[9, 1, 2, 3, 9, 11, 12]), "1:3,9,11:12");
        assert_eq!(
            super::uid_set(&[u32::MAX - 1, u32::MAX]),
            "4294967294:4294967295"
        );
        assert_eq!(super::uid_set(&[]), "");
    }
}
