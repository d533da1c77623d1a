//! Serde mirrors of the TOML files, exactly as written (kebab-case, unknown keys rejected so a
//! typo is reported with its line). Only `config::load` reads these; the rest of the program
//! sees the validated types in `config/mod.rs` and `config/campaign.rs`.

use serde::Deserialize;
use toml::value::Datetime;

/// `config/baocao.toml`.
#[derive(Debug, Deserialize, Default)]
#[serde(rename_all = "kebab-case", deny_unknown_fields, default)]
pub(crate) struct RawConfig {
    pub data_dir: Option<String>,
    pub timezone: Option<String>,
    pub campaigns_dir: Option<String>,
    pub units_file: Option<String>,
    pub holidays: Vec<toml::Value>,
    pub office: RawOffice,
    pub staff: RawStaff,
    pub limits: RawLimits,
    pub mailbox: Option<RawMailbox>,
    pub smtp: Option<RawSmtp>,
    pub digest: RawDigest,
    pub templates_dir: Option<String>,
    pub web: Option<RawWeb>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(rename_all = "kebab-case", deny_unknown_fields, default)]
pub(crate) struct RawWeb {
    pub listen: Option<String>,
    pub public_url: Option<String>,
    pub tls_cert: Option<String>,
    pub tls_key: Option<String>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(rename_all = "kebab-case", deny_unknown_fields, default)]
pub(crate) struct RawDigest {
    pub cron: Option<String>,
    pub recipients: Option<Vec<String>>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(rename_all = "kebab-case", deny_unknown_fields, default)]
pub(crate) struct RawOffice {
    pub name: Option<String>,
    pub addresses: Vec<String>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(rename_all = "kebab-case", deny_unknown_fields, default)]
pub(crate) struct RawStaff {
    pub recipients: Vec<String>,
    pub addresses: Vec<String>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(rename_all = "kebab-case", deny_unknown_fields, default)]
pub(crate) struct RawLimits {
    pub max_message_bytes: Option<u64>,
    pub zip_max_depth: Option<u32>,
    pub zip_max_entries: Option<u32>,
    pub zip_max_unpacked_bytes: Option<u64>,
    pub zip_max_ratio: Option<u64>,
    pub max_nesting: Option<u32>,
    pub max_parts: Option<usize>,
    pub max_mime_depth: Option<usize>,
    pub max_header_kb: Option<usize>,
    pub reader_memory_mb: Option<u64>,
    pub reader_cpu_seconds: Option<u64>,
    pub reader_message_seconds: Option<u64>,
    pub reader_retries: Option<u32>,
    pub slow_readers: Option<u32>,
    pub receipt_wait_minutes: Option<u32>,
}

/// One `config/campaigns/*.toml`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub(crate) struct RawCampaign {
    pub id: String,
    pub number: String,
    pub title: String,
    #[serde(default)]
    pub issuer: Option<String>,
    pub issued: Datetime,
    pub deadline: Datetime,
    pub consolidation_deadline: Datetime,
    #[serde(default)]
    pub units: Option<toml::Value>,
    pub keywords: Vec<String>,
    pub items: Vec<RawItem>,
    #[serde(default)]
    pub form_list_words: Option<Vec<String>>,
    #[serde(default)]
    pub outline: Vec<RawSection>,
    #[serde(default)]
    pub reminders: RawReminders,
    #[serde(default)]
    pub receipts: RawReceipts,
    #[serde(default)]
    pub extensions: std::collections::BTreeMap<String, Datetime>,
    #[serde(default)]
    pub consolidation_recipients: Option<Vec<String>>,
    #[serde(default)]
    pub draft: RawDraft,
    #[serde(default)]
    pub forms: Vec<RawForm>,
    #[serde(default)]
    pub figure_reading: super::figures::RawFigureReading,
    #[serde(default)]
    pub figure_levels: Vec<super::figures::RawNamed>,
    #[serde(default)]
    pub figures: Vec<super::figures::RawNamed>,
    #[serde(default)]
    pub rules: Vec<super::figures::RawRule>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(rename_all = "kebab-case", deny_unknown_fields, default)]
pub(crate) struct RawDraft {
    pub by: Option<String>,
    pub symbol: Option<String>,
    pub signer: Option<String>,
    pub copies: Option<Vec<String>>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(rename_all = "kebab-case", deny_unknown_fields, default)]
pub(crate) struct RawReceipts {
    pub enabled: Option<bool>,
}

#[derive(Debug, Deserialize, Clone)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub(crate) struct RawForm {
    pub item: String,
    pub kind: String,
    #[serde(default)]
    pub title: Vec<String>,
    #[serde(default)]
    pub label_header: Vec<String>,
    #[serde(default)]
    pub yes_header: Vec<String>,
    #[serde(default)]
    pub no_header: Vec<String>,
    #[serde(default)]
    pub proposal_header: Vec<String>,
    #[serde(default)]
    pub groups: Vec<RawGroup>,
    #[serde(default)]
    pub columns: Vec<String>,
    #[serde(default)]
    pub sub_rows: Vec<String>,
    #[serde(default)]
    pub date_sub_row: Option<String>,
    #[serde(default)]
    pub rows: Vec<String>,
}

#[derive(Debug, Deserialize, Clone)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub(crate) struct RawGroup {
    #[serde(default)]
    pub number: Option<String>,
    pub label: String,
    #[serde(default)]
    pub rows: Vec<String>,
    #[serde(default)]
    pub groups: Vec<RawGroup>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub(crate) struct RawItem {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub kind: Option<String>,
    #[serde(default)]
    pub number: Option<u32>,
    #[serde(default)]
    pub keywords: Vec<String>,
}

#[derive(Debug, Deserialize, Clone)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub(crate) struct RawSection {
    pub id: String,
    pub title: String,
    #[serde(default)]
    pub children: Vec<RawSection>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(rename_all = "kebab-case", deny_unknown_fields, default)]
pub(crate) struct RawReminders {
    pub days_before: Vec<u32>,
    pub at: Option<String>,
    pub overdue_every_days: Option<u32>,
    pub working_days_only: Option<bool>,
    pub working_hours: Option<Vec<String>>,
    pub min_interval_hours: Option<u32>,
    pub max_per_unit: Option<u32>,
}

/// `[mailbox]` of baocao.toml.
#[derive(Debug, Deserialize, Clone)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub(crate) struct RawMailbox {
    pub host: String,
    #[serde(default)]
    pub port: Option<u16>,
    #[serde(default)]
    pub security: Option<String>,
    pub username: String,
    #[serde(default)]
    pub password_env: Option<String>,
    #[serde(default)]
    pub password_file: Option<String>,
    #[serde(default)]
    pub folders: Option<Vec<String>>,
    #[serde(default)]
    pub keyword: Option<String>,
    #[serde(default)]
    pub move_to: Option<String>,
    #[serde(default)]
    pub ca_file: Option<String>,
    #[serde(default)]
    pub batch_size: Option<usize>,
    #[serde(default)]
    pub timeout_seconds: Option<u64>,
    #[serde(default)]
    pub reconcile_minutes: Option<u64>,
}

/// `[smtp]` of baocao.toml.
#[derive(Debug, Deserialize, Clone)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub(crate) struct RawSmtp {
    pub host: String,
    #[serde(default)]
    pub port: Option<u16>,
    #[serde(default)]
    pub security: Option<String>,
    #[serde(default)]
    pub username: Option<String>,
    #[serde(default)]
    pub password_env: Option<String>,
    #[serde(default)]
    pub password_file: Option<String>,
    pub from: String,
    #[serde(default)]
    pub ca_file: Option<String>,
    #[serde(default)]
    pub timeout_seconds: Option<u64>,
}
