//! The units registry as staff export it from Excel: `id,name,short_name,emails,kind` with an
//! optional `aliases` column, emails and aliases separated by `;`, UTF-8 with or without BOM.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::error::{Error, Result};
use crate::i18n::t;

/// A unit that must answer requests (a tổ chức cơ sở đảng).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unit {
    /// Stable id (`loc-thanh`).
    pub id: String,
    /// Full name ("Đảng ủy xã Lộc Thành").
    pub name: String,
    /// Short name that distinguishes it ("Lộc Thành").
    pub short_name: String,
    /// Registered sender addresses, lowercased.
    pub emails: Vec<String>,
    /// Unit kind (`dang_bo_co_so`, `chi_bo_co_so`, …).
    pub kind: String,
    /// Other spellings seen in mail ("B’Lá", "TT Lộc Thắng").
    pub aliases: Vec<String>,
}

/// Parses a units CSV. Every problem names the file, the line and the fix.
pub fn parse_units_csv(bytes: &[u8], file: &Path) -> Result<Vec<Unit>> {
    let bytes = bytes
        .strip_prefix(b"\xEF\xBB\xBF".as_slice())
        .unwrap_or(bytes);
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(bytes);
    let headers = rdr
        .headers()
        .map_err(|e| {
            Error::invalid(
                file,
                Some(1),
                crate::i18n::technical(t!("cfg-csv-header"), &e),
                t!("cfg-csv-header-fix"),
            )
        })?
        .clone();
    let col = |name: &str| headers.iter().position(|h| h.eq_ignore_ascii_case(name));
    let need = ["id", "name", "short_name", "emails", "kind"];
    let mut idx = [0usize; 5];
    for (i, n) in need.iter().enumerate() {
        idx[i] = col(n).ok_or_else(|| {
            Error::invalid(
                file,
                Some(1),
                t!(
                    "cfg-csv-column",
                    column = *n,
                    found = headers.iter().collect::<Vec<_>>().join(",")
                ),
                t!("cfg-csv-column-fix"),
            )
        })?;
    }
    let alias_col = col("aliases");
    let mut units: Vec<Unit> = Vec::new();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| {
            let line = e.position().map(|p| p.line() as usize);
            Error::invalid(
                file,
                line,
                crate::i18n::technical(t!("cfg-csv-row"), &e),
                t!("cfg-csv-row-fix"),
            )
        })?;
        let line = rec.position().map(|p| p.line() as usize);
        if rec.iter().all(|f| f.is_empty()) {
            continue;
        }
        // A row cut short (a lost comma, a line break inside a name) would leave the unit
        // without addresses or kind: refused, with its line.
        let needed = idx.iter().copied().max().unwrap_or(0) + 1;
        if rec.len() < needed {
            return Err(Error::invalid(
                file,
                line,
                t!("cfg-csv-columns", found = rec.len(), needed = needed),
                t!("cfg-csv-columns-fix"),
            ));
        }
        let get = |i: usize| rec.get(i).unwrap_or("").to_string();
        let id = get(idx[0]);
        if id.is_empty()
            || !id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            return Err(Error::invalid(
                file,
                line,
                t!("cfg-unit-id", id = id.as_str()),
                t!("cfg-unit-id-fix"),
            ));
        }
        if units.iter().any(|u| u.id == id) {
            return Err(Error::invalid(
                file,
                line,
                t!("cfg-unit-twice", id = id.as_str()),
                t!("cfg-unit-twice-fix"),
            ));
        }
        let name = crate::vntext::nfc(&get(idx[1]));
        if name.is_empty() {
            return Err(Error::invalid(
                file,
                line,
                t!("cfg-unit-name", id = id.as_str()),
                t!("cfg-unit-name-fix"),
            ));
        }
        let split = |s: String| -> Vec<String> {
            s.split([';', ','])
                .map(|p| p.trim().to_string())
                .filter(|p| !p.is_empty())
                .collect()
        };
        let emails: Vec<String> = split(get(idx[3]))
            .into_iter()
            .map(|e| e.to_lowercase())
            .collect();
        if let Some(bad) = emails.iter().find(|e| !e.contains('@')) {
            return Err(Error::invalid(
                file,
                line,
                t!("cfg-unit-email", id = id.as_str(), value = bad.as_str()),
                t!("cfg-unit-email-fix"),
            ));
        }
        let short = crate::vntext::nfc(&get(idx[2]));
        units.push(Unit {
            id,
            short_name: if short.is_empty() {
                name.clone()
            } else {
                short
            },
            name,
            emails,
            kind: get(idx[4]),
            aliases: alias_col
                .map(|c| {
                    split(get(c))
                        .iter()
                        .map(|a| crate::vntext::nfc(a))
                        .collect()
                })
                .unwrap_or_default(),
        });
    }
    if units.is_empty() {
        return Err(Error::invalid(
            file,
            None,
            t!("cfg-units-none"),
            t!("cfg-units-none-fix"),
        ));
    }
    Ok(units)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_row_with_missing_columns_is_refused_with_its_line() {
        let csv = "id,name,short_name,emails,kind\nloc-an,Đảng ủy xã Lộc An,Lộc An,a@x.vn,dang_bo_co_so\nloc-bao,Đảng ủy xã Lộc Bảo\n";
        let e = parse_units_csv(csv.as_bytes(), Path::new("units.csv"))
            .expect_err("refused")
            .to_string();
        assert!(
            e.contains(":3") || e.contains("line 3") || e.contains("dòng 3"),
            "{e}"
        );
        assert!(e.contains("có 2 cột"), "{e}");
    }

    #[test]
    fn parses_with_bom_and_aliases() {
        let csv = "\u{feff}id,name,short_name,emails,kind,aliases\nloc-an,Đảng ủy xã Lộc An,Lộc An,A@Gmail.com; b@x.vn,dang_bo_co_so,LA;Loc-An\n";
        let u = parse_units_csv(csv.as_bytes(), Path::new("u.csv")).unwrap();
        assert_eq!(u.len(), 1);
        assert_eq!(u[0].emails, vec!["a@gmail.com", "b@x.vn"]);
        assert_eq!(u[0].aliases, vec!["LA", "Loc-An"]);
    }

    #[test]
    fn names_line_of_bad_row() {
        let csv = "id,name,short_name,emails,kind\nloc-an,Lộc An,,a@x.vn,x\nloc an,B,,b@x.vn,x\n";
        let e = parse_units_csv(csv.as_bytes(), Path::new("u.csv"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("u.csv dòng 3"), "{e}");
    }

    #[test]
    fn missing_column_is_reported() {
        let e = parse_units_csv(b"id,name\n", Path::new("u.csv"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("short_name"), "{e}");
    }
}
