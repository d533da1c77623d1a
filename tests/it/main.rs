//! Integration tests: the `baocao` binary and library against real files. One test binary
//! (see STYLE.md); each module is one area.

mod support;

mod accuracy;
mod aliases;
mod architecture;
mod bounce;
mod cli;
mod consolidate;
mod corpus2;
mod current_version;
mod daemon_retry;
mod demo;
mod digest;
mod documents;
mod golden;
mod hostile;
mod idle;
mod imap;
mod imap_folders;
mod ingest;
mod messages;
mod notify;
mod notify_mail;
mod reconcile;
mod smtp;
mod to_check;
mod web;
mod web_browser;
mod words;
