//! baocao collects the reports that a Party committee's units send by e-mail in answer to a
//! request (công văn), records who sent what and when, and tells staff and units about it.
//!
//! # Layout
//!
//! The pipeline runs one way:
//! `source → store (archive) → message → recognise → register → (notify, consolidate)`.
//!
//! - [`config`] — `config/baocao.toml`, campaigns and the units CSV → validated [`config::Config`] ([`config::load`]).
//! - [`source`] — where raw mail comes from: local `.eml`/Maildir/mbox ([`source::local`]), IMAP ([`source::imap`]).
//! - [`store`] — SQLite register + content-addressed raw archive ([`store::Store::open`]).
//! - [`message`] — MIME parsing, attachments, zip and forwarded mail ([`message::parse`]).
//! - [`documents`] — text and tables out of docx/xlsx/xls/ods/pdf/doc, Party headers ([`documents::extract`]).
//! - [`forms`] — annex forms read against the campaign's templates, report outline sections ([`forms::read_forms`]).
//! - [`recognise`] — which unit, which campaign, which items ([`recognise::Recogniser`]).
//! - [`register`] — status per campaign × unit × item ([`register::status`]).
//! - [`notify`] — outgoing mail through the outbox, sent at most once ([`notify::deliver_via`]):
//!   receipts, reminders, the staff digest, templates.
//! - [`schedule`] — reminder slots, working days, the digest's cron; one scheduler tick ([`schedule::tick`]).
//! - [`poll`] — one IMAP fetch cycle: new mail → ingest → flag on the server ([`poll::poll_once`]).
//! - [`reader`] — documents read in a worker process with memory, CPU and time budgets ([`reader::Reader`]).
//! - [`ingest`] — the pipeline that ties source, store, message and recognise together ([`ingest::run`]).
//! - [`daemon`] — `baocao run`: the mailbox and scheduler tasks, IDLE, backoff, clean shutdown ([`daemon::run`]).
//! - [`cli`] — the `baocao` command ([`cli::run`]); [`demo`] — the bundled sample mailbox.
//! - [`vntext`] — Vietnamese text folding and NFC; [`clock`] — time as an input.

pub mod blocking;
pub mod cli;
pub mod clock;
pub mod config;
pub mod consolidate;
pub mod daemon;
pub mod demo;
pub mod documents;
pub mod figures;
pub mod forms;
pub mod i18n;
pub mod ingest;
pub mod message;
pub mod notify;
pub mod poll;
pub mod reader;
pub mod recognise;
pub mod register;
pub mod schedule;
pub mod source;
pub mod store;
pub mod vntext;
pub mod web;

#[cfg(test)]
mod testkit;
