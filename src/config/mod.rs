//! Configuration: `config/baocao.toml`, one TOML file per campaign, and the units CSV.
//!
//! Loading happens in two stages (raw serde mirror → validated [`Config`]); only `Config`
//! travels past startup. Every error names the file, the line when known, and the fix.

mod campaign;
mod error;
mod figures;
mod forms;
mod raw;
mod units;

use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset, NaiveDate};
use chrono_tz::Tz;

pub use campaign::{Campaign, DraftSpec, Item, ItemKind, ReminderPlan, Section, UnitScope};
pub use error::{Error, Result};
pub use figures::{FigureConfig, FigureSpec, LevelSpec, RuleSpec};
pub use forms::{Checklist, FormKind, FormSpec, Grid, GroupSpec, RowSpec};
pub use units::{Unit, parse_units_csv};

use crate::i18n::t;
use error::{line_at, line_of};
use raw::{RawCampaign, RawConfig};

/// Limits that keep hostile or huge input from exhausting the machine.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Largest raw message parsed (bigger ones are archived and flagged).
    pub max_message_bytes: u64,
    /// Zip nesting depth.
    pub zip_max_depth: u32,
    /// Entries per zip.
    pub zip_max_entries: u32,
    /// Total unpacked bytes per zip.
    pub zip_max_unpacked_bytes: u64,
    /// Largest unpacked/packed ratio of one entry.
    pub zip_max_ratio: u64,
    /// Nesting of forwarded messages.
    pub max_nesting: u32,
    /// Attachments read from one message (zip contents included); the rest are listed as a
    /// problem.
    pub max_parts: usize,
    /// Nesting of MIME parts before the message is flagged for staff.
    pub max_mime_depth: usize,
    /// Size of a message's header before it is flagged, in KiB.
    pub max_header_kb: usize,
    /// Address space of a document-reading worker process, in MiB.
    pub reader_memory_mb: u64,
    /// CPU seconds one file may take in a worker.
    pub reader_cpu_seconds: u64,
    /// Wall-clock seconds one message's documents may take, every tool included.
    pub reader_message_seconds: u64,
    /// Further tries of a message whose reading crashed or ran out of memory or time, before it
    /// is quarantined for staff.
    pub reader_retries: u32,
    /// Documents read at once by the slow tools (OCR, LibreOffice).
    pub slow_readers: u32,
    /// How long a receipt waits for the slow reading of its message before it goes out saying
    /// what is still being read, in minutes.
    pub receipt_wait_minutes: u32,
}

/// Budgets of one document-reading worker (`reader`).
#[derive(Debug, Clone)]
pub struct ReaderLimits {
    /// Address space of the worker, in MiB.
    pub memory_mb: u64,
    /// CPU time one file may take in the worker, in seconds.
    pub cpu_seconds: u64,
    /// Wall-clock time one message may take, every file and tool included, in seconds.
    pub message_seconds: u64,
    /// How many times a message whose reading failed is tried again before it is quarantined.
    pub retries: u32,
}

impl Default for ReaderLimits {
    fn default() -> Self {
        ReaderLimits {
            memory_mb: 1024,
            cpu_seconds: 60,
            message_seconds: 180,
            retries: 1,
        }
    }
}

impl Limits {
    /// The budgets of a document-reading worker.
    pub fn reader(&self) -> ReaderLimits {
        ReaderLimits {
            memory_mb: self.reader_memory_mb,
            cpu_seconds: self.reader_cpu_seconds,
            message_seconds: self.reader_message_seconds,
            retries: self.reader_retries,
        }
    }
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_message_bytes: 50 << 20,
            zip_max_depth: 3,
            zip_max_entries: 500,
            zip_max_unpacked_bytes: 100 << 20,
            zip_max_ratio: 200,
            max_nesting: 8,
            max_parts: 1000,
            max_mime_depth: 20,
            max_header_kb: 64,
            reader_memory_mb: 1024,
            reader_cpu_seconds: 60,
            reader_message_seconds: 180,
            reader_retries: 1,
            slow_readers: 1,
            receipt_wait_minutes: 30,
        }
    }
}

/// How to talk to a mail server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Security {
    /// TLS from the first byte (IMAPS 993, SMTPS 465).
    Tls,
    /// Plain connection upgraded with STARTTLS.
    StartTls,
    /// No encryption: only allowed to 127.0.0.1/localhost (tests).
    Plain,
}

/// Where the secret comes from; it is read only when needed and never logged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Secret {
    /// An environment variable.
    Env(String),
    /// A file readable only by its owner (mode 0600).
    File(PathBuf),
}

/// Why a secret could not be had; the text says which variable or file, never the value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct SecretError(String);

impl Secret {
    /// Reads the secret from its environment variable or owner-only file: the one place
    /// passwords are resolved, for the mailbox and for sending alike.
    pub fn resolve(&self) -> std::result::Result<String, SecretError> {
        match self {
            Secret::Env(name) => std::env::var(name)
                .map_err(|_| SecretError(t!("cfg-secret-env", name = name.as_str()))),
            Secret::File(p) => {
                #[cfg(unix)]
                {
                    use std::os::unix::fs::PermissionsExt;
                    let meta = std::fs::metadata(p).map_err(|e| {
                        SecretError(crate::i18n::technical(
                            t!("cfg-secret-read", file = p.display().to_string()),
                            e,
                        ))
                    })?;
                    if meta.permissions().mode() & 0o077 != 0 {
                        return Err(SecretError(t!(
                            "cfg-secret-mode",
                            file = p.display().to_string()
                        )));
                    }
                }
                std::fs::read_to_string(p)
                    .map(|s| s.trim_end_matches(['\n', '\r']).to_string())
                    .map_err(|e| {
                        SecretError(crate::i18n::technical(
                            t!("cfg-secret-read", file = p.display().to_string()),
                            e,
                        ))
                    })
            }
        }
    }
}

/// The validated `[mailbox]` settings.
#[derive(Debug, Clone)]
pub struct Mailbox {
    /// Server name (checked against its certificate).
    pub host: String,
    /// Port.
    pub port: u16,
    /// TLS mode.
    pub security: Security,
    /// Login name.
    pub username: String,
    /// Password source.
    pub password: Secret,
    /// Folders to read.
    pub folders: Vec<String>,
    /// IMAP keyword set on each stored message.
    pub keyword: String,
    /// Folder to move stored messages to, if any.
    pub move_to: Option<String>,
    /// Extra CA certificate (PEM) to trust, e.g. a test CA.
    pub ca_file: Option<PathBuf>,
    /// Messages fetched per batch.
    pub batch_size: usize,
    /// Time limit for each network step.
    pub timeout: std::time::Duration,
    /// How often the daemon makes a full pass (every message without the keyword, not only
    /// new UIDs), to catch anything a crash or a missed notification left behind.
    pub reconcile: std::time::Duration,
}

/// The `security` key of a server section; plain is refused unless the server is this machine.
fn security(
    value: Option<&str>,
    host: &str,
    what: &str,
) -> std::result::Result<Security, (String, String)> {
    let s = match value.unwrap_or("tls") {
        "tls" => Security::Tls,
        "starttls" => Security::StartTls,
        "plain" => Security::Plain,
        other => {
            return Err((t!("cfg-security", value = other), t!("cfg-security-fix")));
        }
    };
    if s == Security::Plain && !matches!(host, "127.0.0.1" | "localhost" | "::1") {
        return Err((
            t!("cfg-security-plain", what = what, host = host),
            t!("cfg-security-plain-fix"),
        ));
    }
    Ok(s)
}

fn mailbox_from_raw(r: raw::RawMailbox, src: &str, path: &Path, dir: &Path) -> Result<Mailbox> {
    let bad =
        |key: &str, msg: String, fix: String| Error::invalid(path, line_of(src, key), msg, fix);
    let security = security(r.security.as_deref(), &r.host, &t!("cfg-what-password"))
        .map_err(|(m, f)| bad("security", m, f))?;
    let password = match (r.password_env, r.password_file) {
        (Some(e), None) => Secret::Env(e),
        (None, Some(f)) => Secret::File(dir.join(f)),
        _ => {
            return Err(bad(
                "[mailbox]",
                t!("cfg-mailbox-password"),
                t!("cfg-mailbox-password-fix"),
            ));
        }
    };
    let keyword = r.keyword.unwrap_or_else(|| "$BaoCao".into());
    if keyword.is_empty()
        || !keyword
            .chars()
            .all(|c| c.is_ascii_graphic() && !"(){%*\"\\]".contains(c))
    {
        return Err(bad(
            "keyword",
            t!("cfg-keyword", value = keyword.as_str()),
            t!("cfg-keyword-fix"),
        ));
    }
    let folders = r
        .folders
        .filter(|f| !f.is_empty())
        .unwrap_or_else(|| vec!["INBOX".into()]);
    // Moving a message into a folder that is read again gives it a new UID there, so every
    // poll would fetch it once more and move it onto itself, for ever. INBOX is the one name
    // IMAP compares without case.
    let same = |a: &str, b: &str| {
        a == b || (a.eq_ignore_ascii_case("INBOX") && b.eq_ignore_ascii_case("INBOX"))
    };
    if let Some(dest) = &r.move_to
        && folders.iter().any(|f| same(f, dest))
    {
        return Err(bad(
            "move-to",
            t!("cfg-move-to", folder = dest.as_str()),
            t!("cfg-move-to-fix"),
        ));
    }
    Ok(Mailbox {
        port: r
            .port
            .unwrap_or(if security == Security::Tls { 993 } else { 143 }),
        host: r.host,
        security,
        username: r.username,
        password,
        folders,
        keyword,
        move_to: r.move_to,
        ca_file: r.ca_file.map(|f| dir.join(f)),
        batch_size: r.batch_size.unwrap_or(200).clamp(1, 5000),
        timeout: std::time::Duration::from_secs(r.timeout_seconds.unwrap_or(60).clamp(5, 3600)),
        reconcile: std::time::Duration::from_secs(
            r.reconcile_minutes.unwrap_or(60).clamp(1, 7 * 24 * 60) * 60,
        ),
    })
}

/// The validated `[smtp]` settings.
#[derive(Debug, Clone)]
pub struct Smtp {
    /// Server name.
    pub host: String,
    /// Port.
    pub port: u16,
    /// TLS mode.
    pub security: Security,
    /// Login, when the server wants one.
    pub login: Option<(String, Secret)>,
    /// The From of every mail ("Văn phòng Huyện ủy <vanphong@…>").
    pub from: String,
    /// Extra CA certificate (PEM) to trust.
    pub ca_file: Option<PathBuf>,
    /// Time limit for a send.
    pub timeout: std::time::Duration,
}

fn smtp_from_raw(r: raw::RawSmtp, src: &str, path: &Path, dir: &Path) -> Result<Smtp> {
    let bad =
        |key: &str, msg: String, fix: String| Error::invalid(path, line_of(src, key), msg, fix);
    let security = security(r.security.as_deref(), &r.host, &t!("cfg-what-mail"))
        .map_err(|(m, f)| bad("security", m, f))?;
    if r.from.parse::<lettre::message::Mailbox>().is_err() {
        return Err(bad(
            "from",
            t!("cfg-from", value = r.from.as_str()),
            t!("cfg-from-fix"),
        ));
    }
    let login = match (r.username, r.password_env, r.password_file) {
        (None, None, None) => None,
        (Some(u), Some(e), None) => Some((u, Secret::Env(e))),
        (Some(u), None, Some(f)) => Some((u, Secret::File(dir.join(f)))),
        _ => {
            return Err(bad(
                "[smtp]",
                t!("cfg-smtp-login"),
                t!("cfg-smtp-login-fix"),
            ));
        }
    };
    Ok(Smtp {
        port: r.port.unwrap_or(match security {
            Security::Tls => 465,
            Security::StartTls => 587,
            Security::Plain => 25,
        }),
        host: r.host,
        security,
        login,
        from: r.from,
        ca_file: r.ca_file.map(|f| dir.join(f)),
        timeout: std::time::Duration::from_secs(r.timeout_seconds.unwrap_or(60).clamp(5, 3600)),
    })
}

/// The validated configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// The file it was loaded from (or a description for the built-in demo config).
    pub source: PathBuf,
    /// Register, archive and extracted files.
    pub data_dir: PathBuf,
    /// Office time zone.
    pub timezone: Tz,
    /// Units CSV to seed an empty store from.
    pub units_file: Option<PathBuf>,
    /// Public holidays.
    pub holidays: Vec<NaiveDate>,
    /// Office name.
    pub office_name: String,
    /// The office mailbox addresses (lowercase).
    pub office_addresses: Vec<String>,
    /// Digest and draft recipients.
    pub staff_recipients: Vec<String>,
    /// Staff sender addresses whose forwards count as the unit's own mail (lowercase).
    pub staff_addresses: Vec<String>,
    /// Input limits.
    pub limits: Limits,
    /// Campaigns, sorted by id.
    pub campaigns: Vec<Campaign>,
    /// The office mailbox (IMAP), if configured.
    pub mailbox: Option<Mailbox>,
    /// Outgoing mail (SMTP), if configured.
    pub smtp: Option<Smtp>,
    /// When staff get the digest: a 5-field cron expression with POSIX weekdays (1 = Monday),
    /// in the office time zone; None = no digest.
    pub digest_cron: Option<String>,
    /// Who gets the digest (default: the staff recipients).
    pub digest_recipients: Vec<String>,
    /// Folder of templates overriding the built-in texts (`receipt.txt.j2`, …).
    pub templates_dir: PathBuf,
    /// The web console (`[web]`).
    pub web: Web,
    /// The files this configuration was read from (the main file, then each campaign file):
    /// a running daemon notices when one changes.
    pub files: Vec<PathBuf>,
}

/// `[web]`: where the console listens and how mail links to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Web {
    /// The config has a `[web]` section: `baocao run` serves the console too.
    pub enabled: bool,
    /// Address and port to listen on (default loopback "127.0.0.1:8080").
    pub listen: String,
    /// Base URL staff open, for links in mail (default `http://` + `listen`).
    pub public_url: String,
    /// TLS certificate chain (PEM); with `tls_key`, the console speaks HTTPS.
    pub tls_cert: Option<PathBuf>,
    /// TLS private key (PEM).
    pub tls_key: Option<PathBuf>,
}

impl Config {
    /// Puts extensions granted in the console (campaign id, unit id, new deadline) over the
    /// campaign files' `[extensions]`: a later grant wins over the file.
    pub fn merge_extensions<I>(&mut self, grants: I)
    where
        I: IntoIterator<Item = (String, String, DateTime<FixedOffset>)>,
    {
        for (campaign, unit, until) in grants {
            if let Some(c) = self.campaigns.iter_mut().find(|c| c.id == campaign) {
                c.extensions.insert(unit, until);
            }
        }
    }
}

/// Parses a 5-field cron expression with POSIX weekdays (0/7 = Sunday, 1 = Monday).
pub fn parse_cron(expr: &str) -> std::result::Result<croner::Cron, String> {
    if expr.split_whitespace().count() != 5 {
        return Err(t!("cfg-cron-fields", value = expr));
    }
    croner::parser::CronParser::builder()
        .build()
        .parse(expr)
        .map_err(|e| crate::i18n::technical(t!("cfg-cron", value = expr), e))
}

impl Config {
    /// The campaign with this id.
    pub fn campaign(&self, id: &str) -> Option<&Campaign> {
        self.campaigns.iter().find(|c| c.id == id)
    }

    /// True if `addr` (any case) is the office's own or a staff address.
    pub fn is_office_or_staff(&self, addr: &str) -> bool {
        let a = addr.to_lowercase();
        self.office_addresses.contains(&a) || self.staff_addresses.contains(&a)
    }
}

/// Loads `path` and every campaign it points to.
pub fn load(path: &Path) -> Result<Config> {
    let src = std::fs::read_to_string(path).map_err(|source| Error::Read {
        file: path.to_path_buf(),
        source,
    })?;
    let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let campaigns_dir = {
        let raw = parse_raw_config(&src, path)?;
        dir.join(raw.campaigns_dir.as_deref().unwrap_or("campaigns"))
    };
    let mut files: Vec<(PathBuf, String)> = Vec::new();
    match std::fs::read_dir(&campaigns_dir) {
        Ok(rd) => {
            for e in rd.flatten() {
                let p = e.path();
                if p.extension().is_some_and(|x| x == "toml") {
                    let s = std::fs::read_to_string(&p).map_err(|source| Error::Read {
                        file: p.clone(),
                        source,
                    })?;
                    files.push((p, s));
                }
            }
        }
        Err(source) => {
            return Err(Error::invalid(
                path,
                line_of(&src, "campaigns-dir"),
                crate::i18n::technical(
                    t!(
                        "cfg-campaigns-dir",
                        dir = campaigns_dir.display().to_string()
                    ),
                    source,
                ),
                t!("cfg-campaigns-dir-fix"),
            ));
        }
    }
    from_sources(path, &src, &dir, &files)
}

/// Builds a config from already-read text: the main file and `(path, text)` per campaign.
/// Used by [`load`] and by the demo, whose config is compiled into the binary.
pub fn from_sources(
    path: &Path,
    src: &str,
    dir: &Path,
    campaign_files: &[(PathBuf, String)],
) -> Result<Config> {
    let raw = parse_raw_config(src, path)?;
    let tz_name = raw.timezone.as_deref().unwrap_or("Asia/Ho_Chi_Minh");
    let timezone: Tz = tz_name.parse().map_err(|_| {
        Error::invalid(
            path,
            line_of(src, "timezone"),
            t!("cfg-timezone", value = tz_name),
            t!("cfg-timezone-fix"),
        )
    })?;
    let mut holidays = Vec::new();
    for h in &raw.holidays {
        let d = match h {
            toml::Value::Datetime(d) => campaign::to_date(d),
            toml::Value::String(s) => NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok(),
            _ => None,
        };
        holidays.push(d.ok_or_else(|| {
            Error::invalid(
                path,
                line_of(src, "holidays"),
                t!("cfg-holiday", value = h.to_string()),
                t!("cfg-holiday-fix"),
            )
        })?);
    }
    let lower = |v: &[String]| {
        v.iter()
            .map(|s| s.trim().to_lowercase())
            .collect::<Vec<_>>()
    };
    let l = &raw.limits;
    let d = Limits::default();
    let limits = Limits {
        max_message_bytes: l.max_message_bytes.unwrap_or(d.max_message_bytes),
        zip_max_depth: l.zip_max_depth.unwrap_or(d.zip_max_depth),
        zip_max_entries: l.zip_max_entries.unwrap_or(d.zip_max_entries),
        zip_max_unpacked_bytes: l.zip_max_unpacked_bytes.unwrap_or(d.zip_max_unpacked_bytes),
        zip_max_ratio: l.zip_max_ratio.unwrap_or(d.zip_max_ratio),
        max_nesting: l.max_nesting.unwrap_or(d.max_nesting),
        max_parts: l.max_parts.unwrap_or(d.max_parts).max(1),
        max_mime_depth: l.max_mime_depth.unwrap_or(d.max_mime_depth),
        max_header_kb: l.max_header_kb.unwrap_or(d.max_header_kb),
        reader_memory_mb: l.reader_memory_mb.unwrap_or(d.reader_memory_mb).max(64),
        reader_cpu_seconds: l.reader_cpu_seconds.unwrap_or(d.reader_cpu_seconds).max(1),
        reader_message_seconds: l
            .reader_message_seconds
            .unwrap_or(d.reader_message_seconds)
            .max(1),
        reader_retries: l.reader_retries.unwrap_or(d.reader_retries),
        slow_readers: l.slow_readers.unwrap_or(d.slow_readers).max(1),
        receipt_wait_minutes: l.receipt_wait_minutes.unwrap_or(d.receipt_wait_minutes),
    };
    let mut campaigns: Vec<Campaign> = Vec::new();
    for (file, text) in campaign_files {
        let rc: RawCampaign = toml::from_str(text).map_err(|e| toml_error(file, text, &e))?;
        let c = Campaign::from_raw(rc, text, file, timezone)?;
        if let Some(other) = campaigns.iter().find(|o| o.id == c.id) {
            return Err(Error::invalid(
                file,
                line_of(text, "id"),
                t!(
                    "cfg-campaign-twice",
                    id = c.id.as_str(),
                    number = other.number.as_str()
                ),
                t!("cfg-campaign-twice-fix"),
            ));
        }
        campaigns.push(c);
    }
    campaigns.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(Config {
        files: std::iter::once(path.to_path_buf())
            .chain(campaign_files.iter().map(|(p, _)| p.clone()))
            .collect(),
        source: path.to_path_buf(),
        data_dir: dir.join(raw.data_dir.as_deref().unwrap_or("../data")),
        timezone,
        units_file: Some(dir.join(raw.units_file.as_deref().unwrap_or("units.csv"))),
        holidays,
        office_name: raw.office.name.unwrap_or_else(|| "Văn phòng".into()),
        office_addresses: lower(&raw.office.addresses),
        staff_recipients: raw.staff.recipients.clone(),
        staff_addresses: lower(&raw.staff.addresses),
        limits,
        campaigns,
        mailbox: match raw.mailbox {
            Some(m) => Some(mailbox_from_raw(m, src, path, dir)?),
            None => None,
        },
        smtp: match raw.smtp {
            Some(m) => Some(smtp_from_raw(m, src, path, dir)?),
            None => None,
        },
        digest_cron: match raw.digest.cron.as_deref().map(str::trim) {
            None => Some("30 7 * * 1-5".into()),
            Some("") => None,
            Some(c) => {
                parse_cron(c).map_err(|m| {
                    Error::invalid(path, line_of(src, "cron"), m, t!("cfg-cron-fix"))
                })?;
                Some(c.to_string())
            }
        },
        digest_recipients: raw
            .digest
            .recipients
            .unwrap_or_else(|| raw.staff.recipients.clone()),
        templates_dir: dir.join(raw.templates_dir.as_deref().unwrap_or("templates")),
        web: web_from_raw(raw.web.as_ref(), src, path, dir)?,
    })
}

fn web_from_raw(w: Option<&raw::RawWeb>, src: &str, path: &Path, dir: &Path) -> Result<Web> {
    let default = raw::RawWeb::default();
    let enabled = w.is_some();
    let w = w.unwrap_or(&default);
    let listen = w.listen.clone().unwrap_or_else(|| "127.0.0.1:8080".into());
    if listen.parse::<std::net::SocketAddr>().is_err() {
        return Err(Error::invalid(
            path,
            line_of(src, "listen"),
            t!("cfg-listen", value = listen.as_str()),
            t!("cfg-listen-fix"),
        ));
    }
    if w.tls_cert.is_some() != w.tls_key.is_some() {
        return Err(Error::invalid(
            path,
            line_of(src, "tls-"),
            t!("cfg-tls"),
            t!("cfg-tls-fix"),
        ));
    }
    let scheme = if w.tls_cert.is_some() {
        "https"
    } else {
        "http"
    };
    let public_url = w
        .public_url
        .clone()
        .unwrap_or_else(|| format!("{scheme}://{listen}"))
        .trim_end_matches('/')
        .to_string();
    Ok(Web {
        enabled,
        listen,
        public_url,
        tls_cert: w.tls_cert.as_deref().map(|p| dir.join(p)),
        tls_key: w.tls_key.as_deref().map(|p| dir.join(p)),
    })
}

fn parse_raw_config(src: &str, path: &Path) -> Result<RawConfig> {
    toml::from_str(src).map_err(|e| toml_error(path, src, &e))
}

fn toml_error(file: &Path, src: &str, e: &toml::de::Error) -> Error {
    let line = e.span().map(|s| line_at(src, s.start));
    let raw = e.message().trim().to_string();
    // toml names the key between backquotes: "unknown field `deadlin`, expected one of …".
    let key = raw.split('`').nth(1).unwrap_or_default();
    let (msg, fix) = if raw.starts_with("unknown field") {
        (
            t!("cfg-toml-unknown", key = key),
            t!("cfg-toml-unknown-fix"),
        )
    } else if raw.starts_with("missing field") {
        (
            t!("cfg-toml-missing", key = key),
            t!("cfg-toml-missing-fix"),
        )
    } else {
        (
            crate::i18n::technical(t!("cfg-toml"), &raw),
            t!("cfg-toml-fix"),
        )
    };
    Error::invalid(file, line, msg, fix)
}

#[cfg(test)]
mod tests {
    use super::*;

    const MAIN: &str = "timezone = \"Asia/Ho_Chi_Minh\"\n[office]\naddresses = [\"VP@x.vn\"]\n";
    const CAMP: &str = r#"
id = "t-1"
number = "1-CV/HU"
title = "Thử"
issued = 2023-01-12
deadline = 2023-01-30
consolidation-deadline = 2023-02-01
keywords = ["1-CV/HU"]
[[items]]
id = "report"
name = "Báo cáo"
"#;

    fn build(main: &str, camp: &str) -> Result<Config> {
        from_sources(
            Path::new("baocao.toml"),
            main,
            Path::new("."),
            &[(PathBuf::from("c.toml"), camp.to_string())],
        )
    }

    #[test]
    fn loads_minimal_config() {
        let c = build(MAIN, CAMP).unwrap();
        let camp = c.campaign("t-1").unwrap();
        assert_eq!(camp.deadline.to_rfc3339(), "2023-01-30T23:59:59+07:00");
        assert!(c.is_office_or_staff("vp@X.vn"));
        assert_eq!(camp.items[0].kind, ItemKind::Report);
    }

    #[test]
    fn unknown_key_names_file_and_line() {
        let e = build("timezone = \"Asia/Ho_Chi_Minh\"\ndata-dri = \"x\"\n", CAMP)
            .unwrap_err()
            .to_string();
        assert!(e.contains("baocao.toml dòng 2:"), "{e}");
        assert!(e.contains("data-dri"), "{e}");
    }

    const FIGS: &str = r#"
[figure-reading]
years = [2021, 2022]
ignore = ["Khen thưởng"]
[[figure-levels]]
id = "htxs"
name = "Hoàn thành xuất sắc nhiệm vụ"
short = "HTXSNV"
words = ["HTXS"]
[[figure-levels]]
id = "htt"
name = "Hoàn thành tốt nhiệm vụ"
[[figures]]
id = "dang-vien"
name = "Đảng viên"
[[rules]]
id = "r20"
name = "20%"
figures = ["dang-vien"]
level = "htxs"
at-most-percent = 20
of-level = "htt"
"#;

    #[test]
    fn figures_levels_and_rules_are_read_folded_longest_first() {
        let c = build(MAIN, &format!("{CAMP}{FIGS}")).unwrap();
        let f = &c.campaign("t-1").unwrap().figures;
        assert_eq!(f.years, vec![2021, 2022]);
        assert_eq!(f.ignore, vec!["khen thuong".to_string()]);
        assert_eq!(
            f.levels[0].words,
            vec!["hoan thanh xuat sac nhiem vu", "htxsnv", "htxs"]
        );
        assert_eq!(f.levels[1].short, "Hoàn thành tốt nhiệm vụ");
        assert_eq!(f.figures[0].words, vec!["dang vien"]);
        assert_eq!(f.rules[0].at_most_percent, 20.0);
        // A campaign without figures has none.
        assert!(
            build(MAIN, CAMP)
                .unwrap()
                .campaign("t-1")
                .unwrap()
                .figures
                .is_empty()
        );
    }

    #[test]
    fn a_rule_naming_an_unknown_level_or_figure_names_file_and_line() {
        let bad = format!("{CAMP}{FIGS}").replace("of-level = \"htt\"", "of-level = \"tot\"");
        let e = build(MAIN, &bad).unwrap_err().to_string();
        assert!(e.contains("c.toml dòng 33:"), "{e}");
        assert!(e.contains("\"tot\""), "{e}");
        let bad =
            format!("{CAMP}{FIGS}").replace("figures = [\"dang-vien\"]", "figures = [\"dv\"]");
        let e = build(MAIN, &bad).unwrap_err().to_string();
        assert!(e.contains("c.toml dòng 30:"), "{e}");
        let bad = format!("{CAMP}{FIGS}").replace("at-most-percent = 20", "at-most-percent = 120");
        let e = build(MAIN, &bad).unwrap_err().to_string();
        assert!(e.contains("c.toml dòng 32:") && e.contains("120"), "{e}");
        let bad = format!("{CAMP}{FIGS}").replace("years = [2021, 2022]", "years = [21]");
        let e = build(MAIN, &bad).unwrap_err().to_string();
        assert!(e.contains("c.toml dòng 14:"), "{e}");
    }

    #[test]
    fn bad_deadline_order_is_rejected() {
        let camp = CAMP.replace(
            "consolidation-deadline = 2023-02-01",
            "consolidation-deadline = 2023-01-01",
        );
        let e = build(MAIN, &camp).unwrap_err().to_string();
        assert!(e.contains("c.toml dòng 7"), "{e}");
    }

    #[test]
    fn plain_mail_servers_only_on_this_machine() {
        let main = format!(
            "{MAIN}[mailbox]\nhost = \"imap.example.vn\"\nsecurity = \"plain\"\nusername = \"u\"\npassword-env = \"P\"\n"
        );
        let e = build(&main, CAMP).unwrap_err().to_string();
        assert!(e.contains("mà không mã hóa"), "{e}");
        let main = format!(
            "{MAIN}[mailbox]\nhost = \"127.0.0.1\"\nsecurity = \"plain\"\nusername = \"u\"\npassword-env = \"P\"\n"
        );
        let c = build(&main, CAMP).unwrap();
        let mb = c.mailbox.unwrap();
        assert_eq!(
            (mb.port, mb.keyword.as_str(), mb.folders.len()),
            (143, "$BaoCao", 1)
        );
        let main = format!("{MAIN}[smtp]\nhost = \"smtp.example.vn\"\nfrom = \"not an address\"\n");
        assert!(
            build(&main, CAMP)
                .unwrap_err()
                .to_string()
                .contains("không phải địa chỉ thư")
        );
    }

    #[test]
    fn move_to_a_folder_that_is_read_is_refused() {
        let mailbox = |extra: &str| {
            format!(
                "{MAIN}[mailbox]\nhost = \"127.0.0.1\"\nsecurity = \"plain\"\nusername = \"u\"\npassword-env = \"P\"\n{extra}"
            )
        };
        for extra in [
            "folders = [\"INBOX\", \"Đã xử lý\"]\nmove-to = \"Đã xử lý\"\n",
            "move-to = \"inbox\"\n",
        ] {
            let e = build(&mailbox(extra), CAMP).unwrap_err().to_string();
            assert!(e.contains("cũng là một thư mục được đọc"), "{e}");
            assert!(e.contains("baocao.toml dòng"), "{e}");
        }
        let c = build(
            &mailbox("folders = [\"INBOX\", \"Archive\"]\nmove-to = \"Đã xử lý\"\n"),
            CAMP,
        )
        .unwrap();
        assert_eq!(c.mailbox.unwrap().move_to.as_deref(), Some("Đã xử lý"));
    }

    #[test]
    fn shipped_config_loads() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("config/baocao.toml");
        let c = load(&root).unwrap();
        let camp = c.campaign("809-CV-HU").unwrap();
        let ids: Vec<_> = camp.items.iter().map(|i| i.id.as_str()).collect();
        assert_eq!(ids, ["report", "bieu1", "bieu2", "bieu3", "bieu4"]);
        assert_eq!(
            camp.consolidation_deadline.to_rfc3339(),
            "2023-02-01T23:59:59+07:00"
        );
        assert_eq!(camp.outline.len(), 4);
    }
}
