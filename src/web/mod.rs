//! The web console (`baocao web`, and `baocao run` beside the mailbox): server-rendered
//! pages in the catalogue's words (Vietnamese unless the process runs in English) over the register, with accounts, sessions, CSRF tokens, a login limit and
//! an audit log of every change.
//!
//! Layout: [`auth`] (passwords, sessions, the guard every request passes), [`pages`] (what
//! staff read), [`actions`] (the one-click fixes, each through the same store calls as the
//! command line), [`view`] (templates). All SQLite and file work runs on tokio's blocking
//! threads through [`Console::blocking`], so a slow page never stalls the mailbox task.

pub mod actions;
pub mod auth;
pub mod pages;
pub mod reading;
pub mod tls;
pub mod view;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};

use crate::clock::Clock;
use crate::config::Config;
use crate::i18n::t;
use crate::store::{self, Store};

/// What went wrong serving a request; shown to staff as a short page in the catalogue's words.
#[derive(Debug)]
pub enum WebError {
    /// No such page, message, unit or file.
    NotFound(String),
    /// The account may not do this (read-only role, or a form without its token).
    Forbidden(String),
    /// The form was filled in wrongly.
    BadRequest(String),
    /// The register failed.
    Store(store::Error),
    /// Queuing mail failed.
    Notify(crate::notify::Error),
    /// Something else failed (a blocking task, a template, a file).
    Internal(String),
}

impl std::fmt::Display for WebError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let text = match self {
            WebError::NotFound(what) => t!("web-err-not-found", what = what.as_str()),
            WebError::Forbidden(why) => t!("web-err-forbidden", why = why.as_str()),
            WebError::BadRequest(why) => why.clone(),
            WebError::Store(e) => t!("web-err-store", detail = e.to_string()),
            WebError::Notify(e) => t!("web-err-notify", detail = e.to_string()),
            WebError::Internal(e) => t!("web-err-internal", detail = e.as_str()),
        };
        f.write_str(&text)
    }
}

impl std::error::Error for WebError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            WebError::Store(e) => Some(e),
            WebError::Notify(e) => Some(e),
            _ => None,
        }
    }
}

impl From<store::Error> for WebError {
    fn from(e: store::Error) -> Self {
        WebError::Store(e)
    }
}

impl From<crate::notify::Error> for WebError {
    fn from(e: crate::notify::Error) -> Self {
        WebError::Notify(e)
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let status = match &self {
            WebError::NotFound(_) => StatusCode::NOT_FOUND,
            WebError::Forbidden(_) => StatusCode::FORBIDDEN,
            WebError::BadRequest(_) => StatusCode::BAD_REQUEST,
            WebError::Store(_) | WebError::Notify(_) | WebError::Internal(_) => {
                tracing::error!(error = %self, "console request failed");
                StatusCode::INTERNAL_SERVER_ERROR
            }
        };
        let body = view::error_page(&self.to_string());
        (status, Html(body)).into_response()
    }
}

/// Result of a console handler.
pub type WebResult<T> = std::result::Result<T, WebError>;

/// The console's shared state: where the register is, the config, the clock, a few open
/// store connections, the login limiter.
pub struct Console {
    data_dir: PathBuf,
    config: Arc<Config>,
    clock: Clock,
    pool: Mutex<Vec<Store>>,
    limiter: auth::Limiter,
    /// Cookies carry `Secure` (the console speaks HTTPS).
    secure: bool,
    templates: Option<crate::notify::templates::Templates>,
    /// The register rows of each campaign as last read on each pooled connection, with the
    /// stamp of when (see [`Console::register_rows`]).
    register_cache: Mutex<RegisterCache>,
}

/// Rows by (connection serial, campaign id).
type RegisterCache = HashMap<(u64, String), KeptRows>;

/// A campaign's register rows as read on one connection.
struct KeptRows {
    /// Where the connection stood when they were last found current.
    stamp: store::ChangeStamp,
    /// The register's change counter they are of.
    seq: i64,
    rows: Arc<Vec<store::MessageRow>>,
}

/// How many idle store connections are kept for requests.
const POOL_SIZE: usize = 4;

/// Page cache of each pooled connection (KiB): a campaign of 10,000 messages fits.
const CACHE_KIB: i64 = 64 * 1024;

impl Console {
    /// A console over the register in `config.data_dir`. `secure` marks cookies `Secure`
    /// (set it when serving HTTPS). `templates` are the mail texts for reminders and receipts
    /// sent from the console (None: those buttons report that mail is not set up).
    pub fn new(
        config: Config,
        clock: Clock,
        secure: bool,
        templates: Option<crate::notify::templates::Templates>,
    ) -> Arc<Console> {
        Arc::new(Console {
            data_dir: config.data_dir.clone(),
            config: Arc::new(config),
            clock,
            pool: Mutex::new(Vec::new()),
            limiter: auth::Limiter::default(),
            secure,
            templates,
            register_cache: Mutex::new(HashMap::new()),
        })
    }

    /// The rows the register's status of `campaign` is computed from, as
    /// [`Store::campaign_register_rows`] reads them, with only what the status reads of each
    /// file's reading (stored apart from it, [`store::ForRegister`]). The matrix is opened all
    /// day over a register that mostly has not changed: the rows read last on this connection
    /// are used again as long as nothing was committed since, by the console or anyone else;
    /// after a commit, only the messages changed since are read again (the register's change
    /// counter, [`Store::campaign_register_update`]).
    pub fn register_rows(
        &self,
        s: &Store,
        campaign: &str,
    ) -> WebResult<Arc<Vec<store::MessageRow>>> {
        let stamp = s.change_stamp()?;
        let key = (s.serial(), campaign.to_string());
        // Taken out, so that rows no page holds any more are changed in place.
        let kept = self
            .register_cache
            .lock()
            .ok()
            .and_then(|mut c| c.remove(&key));
        if let Some(k) = &kept
            && k.stamp == stamp
        {
            let rows = Arc::clone(&k.rows);
            self.keep(key, kept);
            return Ok(rows);
        }
        // The stamp is taken before the read: a commit in between makes the next stamp differ,
        // and the counter read with the rows says which messages to read again then.
        let update = s.campaign_register_update(campaign, kept.as_ref().map(|k| k.seq))?;
        let seq = update.seq;
        let (rows, old) = match kept {
            Some(k) if !update.whole => {
                if update.changed.is_empty() {
                    (k.rows, None)
                } else {
                    let mut rows = Arc::try_unwrap(k.rows).unwrap_or_else(|a| (*a).clone());
                    update.apply(&mut rows);
                    (Arc::new(rows), None)
                }
            }
            old => (Arc::new(update.rows), old),
        };
        self.keep(
            key,
            Some(KeptRows {
                stamp,
                seq,
                rows: Arc::clone(&rows),
            }),
        );
        // Freeing tens of thousands of rows takes milliseconds the page need not wait for.
        if let Some(old) = old {
            drop(std::thread::Builder::new().spawn(move || drop(old)));
        }
        Ok(rows)
    }

    fn keep(&self, key: (u64, String), kept: Option<KeptRows>) {
        let (Some(kept), Ok(mut c)) = (kept, self.register_cache.lock()) else {
            return;
        };
        // Connections dropped from a full pool leave their entries behind: start afresh
        // rather than let them pile up.
        if c.len() >= 16 * POOL_SIZE {
            c.clear();
        }
        c.insert(key, kept);
    }

    /// The configuration as loaded (campaign files' extensions only).
    pub fn base_config(&self) -> &Config {
        &self.config
    }

    /// Now, by the console's clock, in the office time zone.
    pub fn now(&self) -> chrono::DateTime<chrono::FixedOffset> {
        self.clock.now(self.config.timezone)
    }

    /// Runs `f` with a store connection on a blocking thread. Connections are reused: opening
    /// one checks the schema and switches WAL on, which is not worth paying per page.
    pub async fn blocking<T, F>(self: &Arc<Self>, f: F) -> WebResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut Store, &Console) -> WebResult<T> + Send + 'static,
    {
        let me = Arc::clone(self);
        tokio::task::spawn_blocking(move || {
            let taken = me.pool.lock().ok().and_then(|mut p| p.pop());
            let mut store = match taken {
                Some(s) => s,
                None => {
                    let s = Store::open(&me.data_dir)?;
                    s.set_cache_kib(CACHE_KIB)?;
                    s
                }
            };
            let out = f(&mut store, &me);
            if let Ok(mut p) = me.pool.lock()
                && p.len() < POOL_SIZE
            {
                p.push(store);
            }
            out
        })
        .await
        .map_err(|e| WebError::Internal(e.to_string()))?
    }
}

/// The console's routes: everything but the login page and the style sheet passes the
/// session guard ([`auth::guard`]).
pub fn router(console: Arc<Console>) -> Router {
    let guarded = Router::new()
        .route("/", get(pages::home))
        .route("/can-xu-ly", get(pages::attention))
        .route("/cong-van/{c}", get(pages::matrix))
        .route("/cong-van/{c}/don-vi/{u}", get(pages::unit))
        .route("/cong-van/{c}/don-vi/{u}/gia-han", post(actions::extend))
        .route("/cong-van/{c}/don-vi/{u}/nop-giay", post(actions::paper))
        .route("/cong-van/{c}/don-vi/{u}/nhac", post(actions::remind_unit))
        .route("/cong-van/{c}/nhac", post(actions::remind_all))
        .route("/cong-van/{c}/du-thao", post(actions::rebuild_drafts))
        .route("/cong-van/{c}/du-thao/{file}", get(pages::draft_file))
        .route("/thu/{id}", get(pages::message))
        .route("/thu/{id}/gan", post(actions::assign))
        .route("/thu/{id}/bien-nhan", post(actions::resend_receipt))
        .route("/thu/{id}/tep/{idx}", get(pages::attachment))
        .route("/thu/{id}/tep/{idx}/quyet-dinh", post(actions::decide_file))
        .route("/dia-chi/tot", post(actions::address_ok))
        .route("/hop-thu-di", get(pages::outbox))
        .route("/don-vi", get(pages::units))
        .route("/don-vi.csv", get(pages::units_csv))
        .route("/don-vi/nhap", post(actions::import_units))
        .route("/nhat-ky", get(pages::audit))
        .route("/dang-xuat", post(auth::logout))
        .layer(axum::middleware::from_fn_with_state(
            Arc::clone(&console),
            auth::guard,
        ));
    Router::new()
        .route("/dang-nhap", get(auth::login_page).post(auth::login))
        .route("/kieu.css", get(view::stylesheet))
        .merge(guarded)
        .layer(axum::middleware::from_fn(auth::client_addr))
        .layer(axum::middleware::map_response(view::security_headers))
        .with_state(console)
}

/// Serves the console on `listener` until `stop` is cancelled (plain HTTP; see
/// [`Server::run`] for HTTPS).
pub async fn serve(
    listener: tokio::net::TcpListener,
    console: Arc<Console>,
    stop: tokio_util::sync::CancellationToken,
) -> std::io::Result<()> {
    let app = router(console).into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(stop.cancelled_owned())
        .await
}

/// Waits for Ctrl-C or SIGTERM.
pub async fn stop_signal() {
    let term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate());
    match term {
        Ok(mut t) => {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = t.recv() => {}
            }
        }
        Err(_) => {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}

/// A console bound to its address, ready to run.
pub struct Server {
    listener: tokio::net::TcpListener,
    console: Arc<Console>,
    url: String,
    tls: Option<Arc<tokio_rustls::rustls::ServerConfig>>,
}

impl Server {
    /// Binds `addr`; with `[web] tls-cert` and `tls-key` the console speaks HTTPS only (and
    /// `console` must have been made with `secure`). A console reachable beyond this machine
    /// without TLS is served, but the log says that passwords then cross the network in clear.
    pub async fn bind(
        addr: &str,
        web: &crate::config::Web,
        console: Arc<Console>,
    ) -> anyhow::Result<Server> {
        let tls = match (&web.tls_cert, &web.tls_key) {
            (Some(c), Some(k)) => Some(tls::server_config(c, k)?),
            _ => None,
        };
        let listener = tokio::net::TcpListener::bind(addr).await.map_err(|e| {
            let detail = match e.kind() {
                std::io::ErrorKind::AddrInUse => t!("web-addr-in-use"),
                std::io::ErrorKind::PermissionDenied => t!("web-addr-permission"),
                _ => e.to_string(),
            };
            anyhow::anyhow!(t!("web-err-listen", addr = addr, detail = detail))
        })?;
        let local = listener.local_addr()?;
        if tls.is_none() && !local.ip().is_loopback() {
            tracing::warn!(
                %local,
                "the console listens beyond this machine over plain HTTP: passwords cross the network unencrypted"
            );
        }
        let url = if addr == web.listen {
            web.public_url.clone()
        } else {
            let scheme = if tls.is_some() { "https" } else { "http" };
            format!("{scheme}://{local}")
        };
        Ok(Server {
            listener,
            console,
            url,
            tls,
        })
    }

    /// The address staff open.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The bound address.
    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// Serves until `stop` is cancelled.
    pub async fn run(self, stop: tokio_util::sync::CancellationToken) -> anyhow::Result<()> {
        match self.tls {
            None => serve(self.listener, self.console, stop).await?,
            Some(config) => {
                let listener = tls::TlsListener::new(self.listener, config, stop.clone())?;
                let app =
                    router(self.console).into_make_service_with_connect_info::<tls::TlsPeer>();
                axum::serve(listener, app)
                    .with_graceful_shutdown(stop.cancelled_owned())
                    .await?;
            }
        }
        Ok(())
    }
}
