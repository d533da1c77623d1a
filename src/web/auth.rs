//! Accounts and sessions: argon2 password hashes, random session tokens (only their hash is
//! stored), a CSRF token per session checked on every form, a login limit per address and per
//! account, and the guard that lets nothing but the login page through without a session.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use axum::extract::{ConnectInfo, Form, Request, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::{Console, WebError, WebResult, view};
use crate::i18n::t;
use crate::store::accounts::Role;

/// The session cookie.
pub const SESSION_COOKIE: &str = "baocao_phien";
/// The cookie that ties the login form to the browser that loaded it (no session yet).
pub const LOGIN_COOKIE: &str = "baocao_dn";
/// The form field carrying the CSRF token.
pub const CSRF_FIELD: &str = "_csrf";
/// How long a session lasts.
pub const SESSION_HOURS: i64 = 12;
/// Failed logins allowed per account within [`LIMIT_WINDOW`], from anywhere.
pub const LIMIT_FAILURES: usize = 5;
/// Failed logins allowed per address within [`LIMIT_WINDOW`], whatever the account. Much
/// higher than per account: a whole office behind one NAT shares an address, and one clerk
/// mistyping must not lock the others out; guessing from one address still stops soon.
pub const LIMIT_ADDRESS_FAILURES: usize = 20;
/// The window of the login limit.
pub const LIMIT_WINDOW: Duration = Duration::from_secs(15 * 60);
/// Largest form body accepted (the forms are a few fields).
const MAX_FORM_BYTES: usize = 64 * 1024;

/// Who is asking: the account of the session, put on the request by [`guard`].
#[derive(Debug, Clone)]
pub struct Staff {
    /// Account name.
    pub name: String,
    /// Its role.
    pub role: Role,
    /// The session's CSRF token, for the forms of the page.
    pub csrf: String,
}

/// The client's address as the server saw it (no proxy headers are trusted).
#[derive(Debug, Clone)]
pub struct ClientAddr(pub String);

/// A random token of 32 bytes, hex.
pub fn random_token() -> WebResult<String> {
    let mut b = [0u8; 32];
    getrandom::fill(&mut b)
        .map_err(|e| WebError::Internal(t!("web-err-no-randomness", detail = e.to_string())))?;
    Ok(crate::store::hex(&b))
}

/// The argon2id hash (PHC string) of `password`.
pub fn hash_password(password: &str) -> Result<String, String> {
    PasswordHasher::<PasswordHash>::hash_password(&argon2::Argon2::default(), password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| e.to_string())
}

/// Whether `password` matches the PHC string `hash`.
pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|h| {
            argon2::Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

/// Compares two tokens in time that does not depend on where they differ.
pub fn same_token(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// Failed logins per address and per account, in memory: a restart forgets them, which
/// costs an attacker a restart they cannot cause.
#[derive(Debug, Default)]
pub struct Limiter {
    failures: Mutex<HashMap<String, Vec<Instant>>>,
}

impl Limiter {
    /// What is counted for an attempt, with how many failures each allows.
    fn keys(addr: &str, user: &str) -> [(String, usize); 2] {
        [
            (format!("a:{addr}"), LIMIT_ADDRESS_FAILURES),
            (format!("u:{}", user.to_lowercase()), LIMIT_FAILURES),
        ]
    }

    /// Whether another attempt from `addr` for `user` is refused now.
    pub fn blocked(&self, addr: &str, user: &str) -> bool {
        let Ok(mut f) = self.failures.lock() else {
            return true;
        };
        let now = Instant::now();
        Self::keys(addr, user).iter().any(|(k, most)| {
            let v = f.entry(k.clone()).or_default();
            v.retain(|t| now.duration_since(*t) < LIMIT_WINDOW);
            v.len() >= *most
        })
    }

    /// Counts a failed attempt.
    pub fn fail(&self, addr: &str, user: &str) {
        if let Ok(mut f) = self.failures.lock() {
            for (k, _) in Self::keys(addr, user) {
                f.entry(k).or_default().push(Instant::now());
            }
        }
    }

    /// Forgets the account's failures after a successful login (not the address's).
    pub fn succeed(&self, user: &str) {
        if let Ok(mut f) = self.failures.lock() {
            f.remove(&format!("u:{}", user.to_lowercase()));
        }
    }
}

/// The value of cookie `name` in the request's headers.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

fn set_cookie(console: &Console, name: &str, value: &str, max_age: i64) -> String {
    let secure = if console.secure { "; Secure" } else { "" };
    format!("{name}={value}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age}{secure}")
}

/// Records the client's address on the request (for the login limit and the log).
pub async fn client_addr(mut req: Request, next: Next) -> Response {
    let ext = req.extensions();
    let addr = ext
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0)
        .or_else(|| ext.get::<ConnectInfo<super::tls::TlsPeer>>().map(|c| c.0.0))
        .map(|a| a.ip().to_string())
        .unwrap_or_else(|| "local".into());
    req.extensions_mut().insert(ClientAddr(addr));
    next.run(req).await
}

/// The guard in front of every page but the login page: no session, no page (a browser is
/// sent to the login page, anything else gets 401); a change (POST) needs the session's CSRF
/// token in its form and an account that may change things.
pub async fn guard(State(console): State<Arc<Console>>, req: Request, next: Next) -> Response {
    match check(console, req).await {
        Ok((req, _)) => next.run(req).await,
        Err(r) => r,
    }
}

async fn check(console: Arc<Console>, req: Request) -> Result<(Request, Staff), Response> {
    let token = cookie(req.headers(), SESSION_COOKIE).filter(|t| !t.is_empty());
    let Some(token) = token else {
        return Err(to_login(&req));
    };
    let now_ts = chrono::Utc::now().timestamp();
    let session = console
        .blocking(move |s, _| Ok(s.session(&token, now_ts)?))
        .await
        .map_err(IntoResponse::into_response)?;
    let Some(session) = session else {
        return Err(to_login(&req));
    };
    let staff = Staff {
        name: session.user,
        role: session.role,
        csrf: session.csrf,
    };
    let (mut parts, body) = req.into_parts();
    let req = if parts.method == Method::POST {
        let bytes = axum::body::to_bytes(body, MAX_FORM_BYTES)
            .await
            .map_err(|_| WebError::BadRequest(t!("web-err-form-too-big")).into_response())?;
        let token = form_field(&bytes, CSRF_FIELD);
        if !token.is_some_and(|t| same_token(&t, &staff.csrf)) {
            return Err(WebError::Forbidden(t!("web-err-csrf")).into_response());
        }
        // Logging out is the one change a read-only account makes.
        if staff.role != Role::Sua && parts.uri.path() != "/dang-xuat" {
            return Err(WebError::Forbidden(t!("web-err-read-only")).into_response());
        }
        Request::from_parts(parts, axum::body::Body::from(bytes))
    } else {
        parts.extensions.insert(staff.clone());
        Request::from_parts(parts, body)
    };
    let mut req = req;
    req.extensions_mut().insert(staff.clone());
    Ok((req, staff))
}

/// The value of `name` in an urlencoded form body.
fn form_field(body: &[u8], name: &str) -> Option<String> {
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(body)
        .ok()?
        .into_iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v)
}

fn to_login(req: &Request) -> Response {
    let html = req
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/html"));
    if req.method() == Method::GET && html {
        Redirect::to("/dang-nhap").into_response()
    } else {
        (
            StatusCode::UNAUTHORIZED,
            Html(view::error_page(&t!("web-err-login-first"))),
        )
            .into_response()
    }
}

/// GET /dang-nhap: the login form, tied to this browser by a cookie.
pub async fn login_page(State(console): State<Arc<Console>>) -> WebResult<Response> {
    login_form(&console, None, StatusCode::OK)
}

fn login_form(console: &Console, error: Option<&str>, status: StatusCode) -> WebResult<Response> {
    let token = random_token()?;
    let html = view::render(
        "login.html",
        minijinja::context! { token => &token, error => error, office => &console.config.office_name },
    )?;
    Ok((
        status,
        [(
            header::SET_COOKIE,
            set_cookie(console, LOGIN_COOKIE, &token, 3600),
        )],
        Html(html),
    )
        .into_response())
}

/// The login form.
#[derive(Debug, Deserialize)]
pub struct LoginForm {
    /// Account name.
    pub name: String,
    /// Password.
    pub password: String,
    /// The token of the form, equal to the login cookie.
    #[serde(rename = "_csrf", default)]
    pub csrf: String,
}

/// POST /dang-nhap.
pub async fn login(
    State(console): State<Arc<Console>>,
    axum::Extension(addr): axum::Extension<ClientAddr>,
    headers: HeaderMap,
    Form(f): Form<LoginForm>,
) -> WebResult<Response> {
    let expected = cookie(&headers, LOGIN_COOKIE).unwrap_or_default();
    if expected.is_empty() || !same_token(&expected, &f.csrf) {
        return login_form(
            &console,
            Some(&t!("web-login-stale")),
            StatusCode::FORBIDDEN,
        );
    }
    let name = f.name.trim().to_string();
    if console.limiter.blocked(&addr.0, &name) {
        return login_form(
            &console,
            Some(&t!("web-login-blocked")),
            StatusCode::TOO_MANY_REQUESTS,
        );
    }
    let password = f.password;
    let lookup = name.clone();
    let ok = console
        .blocking(move |s, _| {
            Ok(s.password_hash(&lookup)?
                .is_some_and(|h| verify_password(&password, &h)))
        })
        .await?;
    if !ok {
        console.limiter.fail(&addr.0, &name);
        tracing::info!(user = %name, from = %addr.0, "console login refused");
        return login_form(
            &console,
            Some(&t!("web-login-wrong")),
            StatusCode::UNAUTHORIZED,
        );
    }
    console.limiter.succeed(&name);
    let token = random_token()?;
    let csrf = random_token()?;
    let now_ts = chrono::Utc::now().timestamp();
    let (t, u) = (token.clone(), name.clone());
    console
        .blocking(move |s, _| {
            s.open_session(&t, &u, &csrf, now_ts, now_ts + SESSION_HOURS * 3600)?;
            Ok(())
        })
        .await?;
    tracing::info!(user = %name, from = %addr.0, "console login");
    Ok((
        StatusCode::SEE_OTHER,
        [
            (
                header::SET_COOKIE,
                set_cookie(&console, SESSION_COOKIE, &token, SESSION_HOURS * 3600),
            ),
            (header::LOCATION, "/".to_string()),
        ],
    )
        .into_response())
}

/// POST /dang-xuat: ends the session.
pub async fn logout(
    State(console): State<Arc<Console>>,
    headers: HeaderMap,
) -> WebResult<Response> {
    if let Some(token) = cookie(&headers, SESSION_COOKIE) {
        console
            .blocking(move |s, _| Ok(s.close_session(&token)?))
            .await?;
    }
    Ok((
        StatusCode::SEE_OTHER,
        [
            (
                header::SET_COOKIE,
                set_cookie(&console, SESSION_COOKIE, "", 0),
            ),
            (header::LOCATION, "/dang-nhap".to_string()),
        ],
    )
        .into_response())
}
