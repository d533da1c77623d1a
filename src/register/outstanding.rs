//! Who still misses what at a given moment, and where a reminder to them would go: every
//! registered address of the unit that no bounce received by then has ruled out.

use chrono::{DateTime, FixedOffset};
use serde::Serialize;

use crate::config::{Campaign, Config};
use crate::store::{self, Store};

/// One unit that misses something, and where its reminder would go.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Outstanding {
    /// Unit id.
    pub unit_id: String,
    /// Unit name.
    pub unit_name: String,
    /// Registered addresses that have not bounced.
    pub addresses: Vec<String>,
    /// Registered addresses skipped because mail to them bounced.
    pub bad_addresses: Vec<String>,
    /// Missing item ids.
    pub missing: Vec<String>,
    /// The unit's deadline (its extension, if it has one), RFC 3339 in the office zone.
    pub deadline: String,
}

/// Every unit that at `now` misses at least one item of `campaign`.
pub fn outstanding(
    store: &Store,
    config: &Config,
    campaign: &Campaign,
    now: DateTime<FixedOffset>,
) -> store::Result<Vec<Outstanding>> {
    let st = super::status(store, config, campaign, now)?;
    let units = store.units()?;
    let bad: Vec<String> = store
        .bad_addresses_at(now)?
        .into_iter()
        .map(|b| b.address)
        .collect();
    let mut out = Vec::new();
    for u in st.units.iter() {
        // An item sent but not recognised waits for staff ("cần kiểm tra"): the unit is not
        // told it is missing.
        let missing: Vec<String> = u
            .missing
            .iter()
            .filter(|i| !u.to_check.contains(i))
            .cloned()
            .collect();
        if missing.is_empty() {
            continue;
        }
        let emails = units
            .iter()
            .find(|x| x.id == u.id)
            .map(|x| x.emails.clone())
            .unwrap_or_default();
        let (bad_here, good): (Vec<String>, Vec<String>) = emails
            .into_iter()
            .partition(|e| bad.contains(&e.to_lowercase()));
        out.push(Outstanding {
            unit_id: u.id.clone(),
            unit_name: u.name.clone(),
            addresses: good,
            bad_addresses: bad_here,
            missing,
            deadline: campaign
                .deadline_for(&u.id)
                .with_timezone(&config.timezone)
                .fixed_offset()
                .to_rfc3339(),
        });
    }
    Ok(out)
}
