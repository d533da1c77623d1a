//! The register: which unit has sent what for each campaign, when, and whether on time.
//! Status is derived from the store on demand (see `status.rs`), so staff corrections
//! (`assign`, `mark`) take effect at once and nothing has to be kept in sync.

mod outstanding;
mod status;

#[cfg(test)]
mod compute_tests;

use chrono::{DateTime, FixedOffset};

pub use outstanding::{Outstanding, outstanding};
pub use status::{
    ItemStatus, ItemVersions, Items, State, Status, Unidentified, UnitStatus, Version, compute,
    item_versions, keep_what_compute_reads, local_rfc3339,
};

use crate::config::{Campaign, Config};
use crate::store::{self, Store};

/// The status of `campaign` at `now`, read from `store` (the rows and columns it needs, with
/// each file's problems stored apart from its reading: [`Store::campaign_register_rows`]).
pub fn status(
    store: &Store,
    config: &Config,
    campaign: &Campaign,
    now: DateTime<FixedOffset>,
) -> store::Result<Status> {
    let units = store.units()?;
    let msgs = store.campaign_register_rows(&campaign.id)?;
    let marks = store.marks(&campaign.id)?;
    Ok(compute(
        campaign,
        &units,
        &msgs,
        &marks,
        now,
        config.timezone,
    ))
}
