//! Templates (MiniJinja, HTML auto-escaped: a subject or file name carrying markup is shown
//! as text), the style sheet, the headers every response carries, and small formatting
//! helpers shared by the pages.

use std::sync::OnceLock;

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use minijinja::Environment;

use super::{WebError, WebResult};
use crate::i18n::t;

const TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("templates/base.html")),
    ("login.html", include_str!("templates/login.html")),
    ("error.html", include_str!("templates/error.html")),
    ("home.html", include_str!("templates/home.html")),
    ("matrix.html", include_str!("templates/matrix.html")),
    ("unit.html", include_str!("templates/unit.html")),
    ("message.html", include_str!("templates/message.html")),
    ("attention.html", include_str!("templates/attention.html")),
    ("outbox.html", include_str!("templates/outbox.html")),
    ("units.html", include_str!("templates/units.html")),
    ("audit.html", include_str!("templates/audit.html")),
    ("doc.html", include_str!("templates/doc.html")),
];

const STYLE: &str = include_str!("templates/kieu.css");

fn env() -> &'static Environment<'static> {
    static ENV: OnceLock<Environment<'static>> = OnceLock::new();
    ENV.get_or_init(|| {
        let mut env = Environment::new();
        // Every console template is HTML, whatever its name says.
        env.set_auto_escape_callback(|_| minijinja::AutoEscape::Html);
        // Every word on a page comes from the catalogue, in the process's language.
        env.add_function("t", crate::i18n::template_text);
        for (name, src) in TEMPLATES {
            // The templates are compiled into the binary and tested; a broken one shows as a
            // render error on its page rather than taking the server down.
            if let Err(e) = env.add_template(name, src) {
                tracing::error!(template = name, error = %e, "console template does not compile");
            }
        }
        env
    })
}

/// Renders template `name` with `ctx`.
pub fn render(name: &str, ctx: minijinja::Value) -> WebResult<String> {
    env()
        .get_template(name)
        .and_then(|t| t.render(ctx))
        .map_err(|e| WebError::Internal(t!("web-err-page", page = name, detail = e.to_string())))
}

/// A whole error page saying `message` (escaped).
pub fn error_page(message: &str) -> String {
    render("error.html", minijinja::context! { message => message }).unwrap_or_else(|_| {
        // The fallback escapes by hand: the message may carry what a user typed.
        let esc = message
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;");
        format!("<!doctype html><meta charset=utf-8><p>{esc}</p>")
    })
}

/// GET /kieu.css
pub async fn stylesheet() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css;charset=utf-8"),
            (header::CACHE_CONTROL, "max-age=3600"),
        ],
        STYLE,
    )
        .into_response()
}

/// Headers on every response: no framing, no scripts from anywhere, no sniffing, pages not
/// kept in shared caches.
pub async fn security_headers(mut r: Response) -> Response {
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        ),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    if !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    r
}

/// "02/02/2023 08:30" from an RFC 3339 time, in the office time zone, as the command line
/// writes it ([`crate::i18n::when_text`]; the text itself when it is not one).
pub fn time_text(rfc3339: &str, tz: chrono_tz::Tz) -> String {
    crate::i18n::when_text(rfc3339, &tz)
}
