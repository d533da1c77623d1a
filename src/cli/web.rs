//! `baocao web`: the console alone over the register (no mailbox needed), until SIGTERM or
//! Ctrl-C.

use anyhow::Result;

use super::Ctx;
use crate::i18n::t;
use crate::web::{self, Console};

/// Serves the console on `[web] listen` (or `--listen`).
pub(crate) fn execute(ctx: &Ctx, listen: Option<&str>) -> Result<()> {
    // Like every command that only reads: a mistyped --data is an error, not an empty console.
    let store = ctx.open_store()?;
    let no_users = store.users()?.is_empty();
    drop(store);
    let addr = listen.unwrap_or(&ctx.config.web.listen).to_string();
    let templates = ctx.templates().ok();
    let rt = super::runtime()?;
    rt.block_on(async {
        let stop = tokio_util::sync::CancellationToken::new();
        let signalled = stop.clone();
        tokio::spawn(async move {
            web::stop_signal().await;
            signalled.cancel();
        });
        let console = Console::new(
            ctx.config.clone(),
            ctx.clock,
            ctx.config.web.tls_cert.is_some(),
            templates,
        );
        let server = web::Server::bind(&addr, &ctx.config.web, console).await?;
        println!("{}", t!("web-running", url = server.url()));
        if no_users {
            println!("{}", t!("web-no-accounts"));
        }
        server.run(stop).await
    })
}
