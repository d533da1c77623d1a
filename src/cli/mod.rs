//! The `baocao` command line: global options, subcommands, and the one place where errors
//! become exit codes. Each subcommand family lives in its own file with an `execute` function.

mod addresses;
mod assign;
mod check;
mod consolidate;
mod demo;
mod digest;
mod export;
mod figures;
mod forms;
mod ingest;
mod inspect;
mod messages;
mod poll;
mod remind;
mod run;
mod send;
mod status;
mod table;
mod units;
mod users;
mod web;
mod words;

pub(crate) use words::Saying;
pub use words::{Said, clap_error, describe, help_ids};

use std::path::{Path, PathBuf};

use anyhow::Result;
use chrono::{DateTime, FixedOffset};
use clap::{Parser, Subcommand};

use crate::clock::Clock;
use crate::config::{self, Config};
use crate::i18n::t;
use crate::store::Store;

/// Collects units' reports from the office mailbox into a register of who sent what, when.
#[derive(Debug, Parser)]
#[command(
    name = "baocao",
    version,
    about,
    disable_help_flag = true,
    disable_version_flag = true,
    disable_help_subcommand = true
)]
pub struct Cli {
    /// Configuration file [default: config/baocao.toml; the demo uses its bundled copy].
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Data folder (register, archive, extracted files); overrides `data-dir` in the config.
    #[arg(long, global = true, value_name = "DIR")]
    pub data: Option<PathBuf>,
    /// Take this instant as "now" for every decision (RFC 3339, e.g. 2023-01-28T08:00:00+07:00).
    #[arg(long, global = true, value_name = "RFC3339", value_parser = parse_now)]
    pub now: Option<DateTime<FixedOffset>>,
    /// Print one JSON document on stdout instead of a table.
    #[arg(long, global = true)]
    pub json: bool,
    /// Log what is being done (to stderr).
    #[arg(short, long, global = true)]
    pub verbose: bool,
    /// Create the data folder if it does not exist yet (commands that only read refuse an
    /// absent one: a mistyped --data would show an empty register).
    #[arg(long, global = true)]
    pub init: bool,
    /// Language of what baocao prints: vi (default) or en; without it an English `LANG`
    /// chooses English.
    #[arg(long, global = true, value_name = "vi|en", value_parser = ["vi", "en"])]
    pub lang: Option<String>,
    /// Print the help (its text comes from the catalogue).
    #[arg(short = 'h', long, global = true, action = clap::ArgAction::Help)]
    pub help: Option<bool>,
    /// Print the version.
    #[arg(short = 'V', long, action = clap::ArgAction::Version)]
    pub version: Option<bool>,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

impl Cli {
    /// Parses the command line against the catalogue's help in the run's language (choose it
    /// first with [`crate::i18n::set_lang`]).
    pub fn parse_from_args(
        args: impl IntoIterator<Item = std::ffi::OsString>,
    ) -> std::result::Result<Cli, clap::Error> {
        use clap::{CommandFactory as _, FromArgMatches as _};
        let matches = words::localise(Cli::command()).try_get_matches_from(args)?;
        Cli::from_arg_matches(&matches)
    }
}

/// The `--lang` value written on a command line, looked for before clap parses it (the help
/// clap prints must already be in that language).
pub fn lang_flag(args: &[std::ffi::OsString]) -> Option<String> {
    let mut it = args.iter().filter_map(|a| a.to_str());
    while let Some(a) = it.next() {
        if a == "--" {
            break;
        }
        if a == "--lang" {
            return it.next().map(str::to_string);
        }
        if let Some(v) = a.strip_prefix("--lang=") {
            return Some(v.to_string());
        }
    }
    None
}

fn parse_now(s: &str) -> std::result::Result<DateTime<FixedOffset>, String> {
    DateTime::parse_from_rfc3339(s).map_err(|_| t!("err-bad-time"))
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the whole job once on bundled sample mail (no server needed) and show the result.
    Demo,
    /// Check the configuration, log in to the mail servers (IMAP, SMTP), and say which optional
    /// tools (PDF text, OCR, LibreOffice) work.
    CheckConfig,
    /// The daemon: poll the office mailbox continuously (IDLE when the server has it).
    Run {
        /// Poll at least this often (seconds), even without IDLE news.
        #[arg(long, default_value_t = 300)]
        interval: u64,
        /// One cycle, then exit: poll, receipts, whatever reminders and digest fell due by
        /// `--now`, then send the outbox.
        #[arg(long)]
        once: bool,
    },
    /// Remind now, outside the plan, every unit that still misses something.
    Remind {
        /// Campaign id (default: the only one, or the nearest deadline).
        #[arg(long)]
        campaign: Option<String>,
        /// Show who would be reminded, and of what, without sending.
        #[arg(long)]
        dry_run: bool,
    },
    /// The planned reminder slots (and digest times), and what each would send.
    Schedule {
        /// Only this campaign.
        #[arg(long)]
        campaign: Option<String>,
    },
    /// Every mail baocao sent or will send (receipts, reminders, digests): when, to whom, how it went.
    Outbox {
        /// Only mail about this unit.
        #[arg(long)]
        unit: Option<String>,
        /// Only this kind.
        #[arg(long, value_parser = outbox_kind)]
        kind: Option<crate::store::OutboxKind>,
    },
    /// Fetch new mail from the office mailbox (IMAP) once.
    Poll {
        /// One cycle, then exit (the daemon `baocao run` polls continuously).
        #[arg(long, required = true)]
        once: bool,
        /// Also fetch older mail that does not carry the keyword yet (what the daemon does
        /// at start and every reconcile-minutes).
        #[arg(long)]
        full: bool,
    },
    /// Send a test mail (Vietnamese subject and attachment name) through the outbox and SMTP.
    SendTest {
        /// Recipient.
        #[arg(long)]
        to: String,
        /// Idempotency key: a key already used is not sent again.
        #[arg(long)]
        key: Option<String>,
    },
    /// Read .eml files, Maildir folders or mbox files into the register.
    Ingest {
        /// Files or folders.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// Who has sent what for a campaign.
    Status {
        /// Campaign id (default: the only one, or the newest).
        #[arg(long)]
        campaign: Option<String>,
    },
    /// Every stored message with how it was recognised.
    Messages {
        /// Only messages needing attention (unknown unit or campaign, unreadable files).
        #[arg(long)]
        attention: bool,
        /// At most this many messages.
        #[arg(long)]
        limit: Option<usize>,
        /// Only messages with a larger number than this (the number shown in brackets): the
        /// next page.
        #[arg(long)]
        after: Option<i64>,
        /// Only this unit's messages (unit id).
        #[arg(long)]
        unit: Option<String>,
        /// Only this campaign's messages.
        #[arg(long)]
        campaign: Option<String>,
        /// Also print each message's text.
        #[arg(long)]
        body: bool,
    },
    /// What each unit's annex forms say (marks, proposals, grid cells).
    Forms {
        /// Campaign id (default: the only one, or the nearest deadline).
        #[arg(long)]
        campaign: Option<String>,
        /// Only this unit.
        #[arg(long)]
        unit: Option<String>,
    },
    /// The figures read from the units' reports (rated per year and level), the checks on
    /// them and the campaign's rules.
    Figures {
        /// Campaign id (default: the only one, or the nearest deadline).
        #[arg(long)]
        campaign: Option<String>,
        /// Only this unit.
        #[arg(long)]
        unit: Option<String>,
    },
    /// Staff correction: MESSAGE is from UNIT (optionally for CAMPAIGN, or FILE is ITEM).
    Assign {
        /// Message-ID (as listed by `baocao messages`), row number or hash prefix.
        message: String,
        /// Unit id, or "-" to keep the unit.
        unit: String,
        /// Campaign the message answers.
        #[arg(long)]
        campaign: Option<String>,
        /// With --item: the attached file to reclassify (its name as listed).
        #[arg(long, requires = "item")]
        file: Option<String>,
        /// Item id for --file (e.g. bieu2), or several separated by commas.
        #[arg(long, requires = "file")]
        item: Option<String>,
    },
    /// Write a message's attached files (read back from the archive) into a folder.
    Export {
        /// Message-ID, row number or hash prefix.
        message: String,
        /// Folder to write into (default: <data>/files/<row>-<unit>/).
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Record that UNIT handed in ITEM on paper (or otherwise outside mail).
    Mark {
        /// Unit id.
        unit: String,
        /// Item id (e.g. report, bieu1).
        item: String,
        /// Campaign id (default: the only one, or the newest).
        #[arg(long)]
        campaign: Option<String>,
        /// When it was handed in (default: now).
        #[arg(long, value_parser = parse_now)]
        at: Option<DateTime<FixedOffset>>,
        /// A note kept with the mark.
        #[arg(long, default_value = "")]
        note: String,
    },
    /// Show what baocao reads from document files (header, forms, sections) as JSON.
    Inspect {
        /// Files (.docx, .xlsx, .xls, .ods, .pdf, .doc…).
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Campaign whose forms and outline to look for.
        #[arg(long)]
        campaign: Option<String>,
    },
    /// Write the consolidated workbook (.xlsx) and Word draft report (.docx) for the Ban Tổ chức.
    Consolidate {
        /// Campaign id (default: the only one, or the nearest deadline).
        #[arg(long)]
        campaign: Option<String>,
        /// Folder to write into (default: <data>/drafts/<campaign>/, where the daemon keeps
        /// the latest).
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// The units registry.
    Units {
        /// What to do with it.
        #[command(subcommand)]
        action: UnitsAction,
    },
    /// Addresses that bounced (later mail skips them).
    Addresses {
        /// What to do with them.
        #[command(subcommand)]
        action: AddressesAction,
    },
    /// The staff digest: counts, the unit × item matrix, new mail, late and missing units, and
    /// what needs a person; sent to the digest recipients through [smtp].
    Digest {
        /// Only this campaign (default: every open one).
        #[arg(long)]
        campaign: Option<String>,
        /// Print it here (subject first) instead of sending it.
        #[arg(long)]
        dry_run: bool,
    },
    /// The web console alone over the register (no mailbox needed), until Ctrl-C.
    Web {
        /// Address and port to listen on (default: [web] listen, or 127.0.0.1:8080).
        #[arg(long)]
        listen: Option<String>,
    },
    /// The console's accounts (the password comes from BAOCAO_PASSWORD or standard input).
    Users {
        /// What to do with them.
        #[command(subcommand)]
        action: UsersAction,
    },
}

/// `baocao users …`
#[derive(Debug, Subcommand)]
pub enum UsersAction {
    /// Create an account.
    Add {
        /// Login name.
        name: String,
        /// xem (read only) or sua (read and change).
        #[arg(long, default_value = "xem", value_parser = ["xem", "sua"])]
        role: String,
    },
    /// Set a new password (the account's sessions end).
    Passwd {
        /// Login name.
        name: String,
    },
    /// Remove an account.
    Remove {
        /// Login name.
        name: String,
    },
    /// List the accounts.
    List,
}

/// `baocao addresses …`
#[derive(Debug, Subcommand)]
pub enum AddressesAction {
    /// List the addresses bounces said are undeliverable.
    Bad,
    /// Forget that ADDRESS bounced (after correcting it in the units registry).
    Ok {
        /// The address.
        address: String,
    },
}

/// `baocao units …`
#[derive(Debug, Subcommand)]
pub enum UnitsAction {
    /// Replace the registry with a CSV (id,name,short_name,emails,kind[,aliases]).
    Import {
        /// The CSV file.
        file: PathBuf,
    },
    /// List the registry.
    List,
    /// Names and addresses learnt from `assign` corrections.
    Alias {
        /// What to do with them.
        #[command(subcommand)]
        action: AliasAction,
    },
}

/// `baocao units alias …`
#[derive(Debug, Subcommand)]
pub enum AliasAction {
    /// List what was learnt.
    List,
    /// Forget a learnt name or address.
    Remove {
        /// The name (diacritics and case do not matter) or the address.
        value: String,
        /// Only if it belongs to this unit.
        #[arg(long)]
        unit: Option<String>,
    },
}

/// A bad command line or config, in the catalogue's words: exit code 2.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);

/// Maps an error to the exit code: 2 for usage and config problems, 1 otherwise.
pub fn exit_code(err: &anyhow::Error) -> u8 {
    let usage = err.chain().any(|e| {
        e.downcast_ref::<config::Error>().is_some()
            || e.downcast_ref::<UsageError>().is_some()
            || e.downcast_ref::<crate::notify::templates::Error>()
                .is_some()
    });
    if usage { 2 } else { 1 }
}

/// What every subcommand gets: the validated config, the clock and output options.
#[derive(Debug)]
pub struct Ctx {
    /// Validated config.
    pub config: Config,
    /// The clock.
    pub clock: Clock,
    /// JSON output.
    pub json: bool,
    /// Create an absent data folder for any command.
    pub init: bool,
}

impl Ctx {
    /// Now, in the office time zone.
    pub fn now(&self) -> DateTime<FixedOffset> {
        self.clock.now(self.config.timezone)
    }

    /// Opens the store; an empty units registry is seeded from the config's units file.
    /// The register, which must exist already: a command that only reads never creates an
    /// empty one (a mistyped `--data` would show every unit as "Chưa gửi").
    pub fn open_store(&self) -> Result<Store> {
        let dir = &self.config.data_dir;
        if !self.init && !dir.join("baocao.sqlite").is_file() {
            return Err(Said::new(t!("err-no-data", dir = dir.display().to_string())).into());
        }
        self.create_store()
    }

    /// The register, created (with the units CSV imported) if this is the first run.
    pub fn create_store(&self) -> Result<Store> {
        let fresh = !self.config.data_dir.join("baocao.sqlite").is_file();
        if fresh {
            eprintln!(
                "{}",
                t!(
                    "data-created",
                    dir = self.config.data_dir.display().to_string()
                )
            );
        }
        let mut store = Store::open(&self.config.data_dir).said(|| {
            t!(
                "err-open-data",
                dir = self.config.data_dir.display().to_string()
            )
        })?;
        if store.units()?.is_empty()
            && let Some(f) = &self.config.units_file
            && f.exists()
        {
            let bytes =
                std::fs::read(f).said(|| t!("err-read-file", path = f.display().to_string()))?;
            let units = config::parse_units_csv(&bytes, f)?;
            store.replace_units(&units, &self.now().to_rfc3339())?;
        }
        // Registers written by an earlier version: once, at the first start after the update.
        crate::forms::cut_stored_readings(&mut store)?;
        Ok(store)
    }

    /// The mail templates (the config's folder over the built-in texts).
    pub fn templates(&self) -> Result<crate::notify::templates::Templates> {
        Ok(crate::notify::templates::Templates::load(Some(
            &self.config.templates_dir,
        ))?)
    }

    /// Sends every due mail of the outbox through `sender`; a reminder whose unit has completed
    /// meanwhile is cancelled instead.
    pub fn deliver(
        &self,
        store: &mut Store,
        sender: &crate::notify::Sender,
    ) -> Result<crate::notify::Delivery> {
        let now = self.now();
        let rt = runtime()?;
        let config = &self.config;
        Ok(rt.block_on(crate::notify::deliver_via(
            store,
            sender,
            now,
            &mut |s, m| crate::notify::remind::still_needed(s, config, &m.meta, now),
        ))?)
    }

    /// The campaign named, or the only one, or the one whose deadline is nearest to now.
    pub fn campaign(&self, id: Option<&str>) -> Result<&config::Campaign> {
        let cs = &self.config.campaigns;
        if let Some(id) = id {
            return self.config.campaign(id).ok_or_else(|| {
                let ids: Vec<&str> = cs.iter().map(|c| c.id.as_str()).collect();
                UsageError(t!("err-no-campaign", id = id, known = ids.join(", "))).into()
            });
        }
        let now = self.now();
        cs.iter()
            .min_by_key(|c| (c.deadline - now).num_seconds().abs())
            .ok_or_else(|| {
                UsageError(t!(
                    "err-no-campaigns",
                    config = self.config.source.display().to_string()
                ))
                .into()
            })
    }
}

/// Runs the command line.
pub fn run(cli: Cli) -> Result<()> {
    let clock = cli.now.map(Clock::Fixed).unwrap_or(Clock::System);
    if let Command::Demo = cli.command {
        return demo::execute(
            cli.config.as_deref(),
            cli.data.as_deref(),
            cli.now,
            cli.json,
        );
    }
    let path = cli
        .config
        .unwrap_or_else(|| PathBuf::from("config/baocao.toml"));
    let mut config = load_config(&path)?;
    if let Some(d) = &cli.data {
        config.data_dir = d.clone();
    }
    // Extensions granted in the console count for every command, as they do in the daemon.
    if config.data_dir.join("baocao.sqlite").is_file()
        && let Ok(store) = Store::open(&config.data_dir)
    {
        config = store.with_extensions(&config)?;
    }
    let ctx = Ctx {
        config,
        clock,
        json: cli.json,
        init: cli.init,
    };
    match cli.command {
        Command::Demo => Ok(()),
        Command::CheckConfig => check::execute(&ctx),
        Command::Poll { full, .. } => poll::execute(&ctx, full),
        Command::Run { interval, once } => {
            if once {
                run::once(&ctx)
            } else {
                run::execute(&ctx, interval)
            }
        }
        Command::Remind { campaign, dry_run } => remind::remind(&ctx, campaign.as_deref(), dry_run),
        Command::Schedule { campaign } => remind::schedule(&ctx, campaign.as_deref()),
        Command::Outbox { unit, kind } => remind::outbox(&ctx, unit.as_deref(), kind),
        Command::SendTest { to, key } => send::execute(&ctx, &to, key.as_deref()),
        Command::Ingest { paths } => ingest::execute(&ctx, &paths),
        Command::Status { campaign } => status::execute(&ctx, campaign.as_deref()),
        Command::Forms { campaign, unit } => {
            forms::execute(&ctx, campaign.as_deref(), unit.as_deref())
        }
        Command::Figures { campaign, unit } => {
            figures::execute(&ctx, campaign.as_deref(), unit.as_deref())
        }
        Command::Messages {
            attention,
            limit,
            after,
            unit,
            campaign,
            body,
        } => messages::execute(
            &ctx,
            &messages::Listing {
                attention,
                limit,
                after,
                unit,
                campaign,
                body,
            },
        ),
        Command::Assign {
            message,
            unit,
            campaign,
            file,
            item,
        } => assign::execute(
            &ctx,
            &message,
            &unit,
            campaign.as_deref(),
            file.as_deref(),
            item.as_deref(),
        ),
        Command::Export { message, out } => export::execute(&ctx, &message, out.as_deref()),
        Command::Mark {
            unit,
            item,
            campaign,
            at,
            note,
        } => assign::mark(&ctx, &unit, &item, campaign.as_deref(), at, &note),
        Command::Inspect { files, campaign } => inspect::execute(&ctx, &files, campaign.as_deref()),
        Command::Consolidate { campaign, out } => {
            consolidate::execute(&ctx, campaign.as_deref(), out.as_deref())
        }
        Command::Units { action } => match action {
            UnitsAction::Import { file } => units::import(&ctx, &file),
            UnitsAction::List => units::list(&ctx),
            UnitsAction::Alias { action } => match action {
                AliasAction::List => units::aliases(&ctx),
                AliasAction::Remove { value, unit } => {
                    units::remove_alias(&ctx, &value, unit.as_deref())
                }
            },
        },
        Command::Addresses { action } => match action {
            AddressesAction::Bad => addresses::bad(&ctx),
            AddressesAction::Ok { address } => addresses::ok(&ctx, &address),
        },
        Command::Digest { campaign, dry_run } => {
            digest::execute(&ctx, campaign.as_deref(), dry_run)
        }
        Command::Web { listen } => web::execute(&ctx, listen.as_deref()),
        Command::Users { action } => match action {
            UsersAction::Add { name, role } => users::add(&ctx, &name, &role),
            UsersAction::Passwd { name } => users::passwd(&ctx, &name),
            UsersAction::Remove { name } => users::remove(&ctx, &name),
            UsersAction::List => users::list(&ctx),
        },
    }
}

fn load_config(path: &Path) -> Result<Config> {
    Ok(config::load(path)?)
}

/// Prints `v` as pretty JSON on stdout.
pub(crate) fn print_json<T: serde::Serialize>(v: &T) -> Result<()> {
    println!("{}", serde_json::to_string_pretty(v)?);
    Ok(())
}

/// The end of a command's output: a reader that stopped reading (`| head`) is not an error.
pub(crate) fn quiet_pipe(r: std::io::Result<()>) -> Result<()> {
    match r {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => Ok(other?),
    }
}

/// `--kind` of `baocao outbox`: one of the stored kinds, listed when the word is wrong.
fn outbox_kind(word: &str) -> std::result::Result<crate::store::OutboxKind, String> {
    crate::store::OutboxKind::parse(word).ok_or_else(|| {
        let known: Vec<&str> = crate::store::OutboxKind::ALL
            .iter()
            .map(|k| k.as_str())
            .collect();
        t!("err-outbox-kind", word = word, known = known.join(", "))
    })
}

/// The binary's one async runtime, started on first use: two worker threads (the daemon's
/// tasks and the console stay responsive while one of them waits), blocking work on tokio's
/// blocking pool.
pub(crate) fn runtime() -> Result<&'static tokio::runtime::Runtime> {
    static RUNTIME: std::sync::OnceLock<tokio::runtime::Runtime> = std::sync::OnceLock::new();
    if let Some(rt) = RUNTIME.get() {
        return Ok(rt);
    }
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("baocao")
        .enable_all()
        .build()
        .said(|| t!("err-runtime"))?;
    Ok(RUNTIME.get_or_init(|| rt))
}
