//! Checks made before calamine opens a workbook: calamine expands an .xls sheet's cells, an
//! .ods sheet's repeated rows and columns, and an xlsx's declared shared-string count into
//! memory while opening the file, so the sizes a hostile file declares are read here first, by
//! a scan that keeps nothing but counters.

use std::io::{Cursor, Read};

use quick_xml::events::{BytesStart, Event};

use super::DocLimits;
use crate::i18n::t;

/// Most cells calamine may lay out for one .xls/.ods sheet, and most shared strings an xlsx
/// may declare: a few times the cells we read, so real forms always pass.
pub(crate) fn dense_limit(limits: &DocLimits) -> u64 {
    (limits.max_cells as u64).saturating_mul(4).max(100_000)
}

fn refuse(sheet: &str, rows: u64, cols: u64) -> String {
    t!(
        "prob-sheet-declared",
        sheet = sheet,
        rows = rows.to_string(),
        cols = cols.to_string()
    )
}

/// xlsx: calamine reserves room for the `uniqueCount` the shared-string table declares.
pub(crate) fn shared_strings(bytes: &[u8], limits: &DocLimits) -> Result<(), String> {
    let Ok(mut z) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Ok(());
    };
    let names: Vec<String> = z
        .file_names()
        .flatten()
        .filter(|n| n.to_ascii_lowercase().ends_with("sharedstrings.xml"))
        .map(|n| n.into_owned())
        .collect();
    for n in names {
        let Ok(f) = z.by_name(&n) else { continue };
        let size = f.size();
        let mut r = quick_xml::Reader::from_reader(std::io::BufReader::new(f.take(1 << 20)));
        let mut buf = Vec::new();
        loop {
            match r.read_event_into(&mut buf) {
                Ok(Event::Start(e)) | Ok(Event::Empty(e)) if e.local_name().as_ref() == "sst" => {
                    let declared = attr_u64(&e, "uniqueCount").unwrap_or(0);
                    // Each string needs at least "<si/>" in the part.
                    if declared > dense_limit(limits) || declared > size / 5 + 16 {
                        return Err(t!("prob-shared-strings", count = declared.to_string()));
                    }
                    break;
                }
                Ok(Event::Eof) | Err(_) => break,
                _ => {}
            }
            buf.clear();
        }
    }
    Ok(())
}

/// Reads a number attribute; a value too long for u64 counts as `u64::MAX`.
fn attr_u64(e: &BytesStart, name: &str) -> Option<u64> {
    let a = e
        .attributes()
        .flatten()
        .find(|a| a.key.as_ref() == name || a.key.local_name().as_ref() == name)?;
    let v = a.value.trim();
    if !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()) {
        Some(v.parse().unwrap_or(u64::MAX))
    } else {
        None
    }
}

/// ods: replays calamine's expansion of `number-rows-repeated` and `number-columns-repeated`
/// with counters only, table by table.
pub(crate) fn ods(bytes: &[u8], limits: &DocLimits) -> Result<(), String> {
    // calamine's own caps (rows and columns of a sheet).
    const MAX_ROWS: u64 = 1_048_576;
    const MAX_COLS: u64 = 16_384;
    let Ok(mut z) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Ok(());
    };
    let Ok(f) = z.by_name("content.xml") else {
        return Ok(());
    };
    let limit = dense_limit(limits);
    let mut r =
        quick_xml::Reader::from_reader(std::io::BufReader::new(f.take(limits.max_unpacked)));
    let mut buf = Vec::new();
    #[derive(Default)]
    struct T {
        name: String,
        rows: u64,
        pushed: u64,
        first_row: Option<u64>,
        last_row_end: u64,
        col_min: u64,
        col_max: u64,
    }
    let mut t = T::default();
    // The row being read: (repeats, next column, first and end of the non-empty columns).
    let mut row: Option<(u64, u64, Option<u64>, u64)> = None;
    let finish_row = |t: &mut T, row: (u64, u64, Option<u64>, u64)| {
        let (repeats, _, first, end) = row;
        let repeats = repeats.min(MAX_ROWS.saturating_sub(t.rows));
        if let Some(first) = first {
            t.pushed = t.pushed.saturating_add(end.min(MAX_COLS));
            if t.first_row.is_none() {
                t.first_row = Some(t.rows);
                t.col_min = first;
            }
            t.col_min = t.col_min.min(first);
            t.col_max = t.col_max.max(end.min(MAX_COLS));
            t.last_row_end = t.rows + repeats;
        }
        t.rows += repeats;
    };
    let check = |t: &T| -> Result<(), String> {
        let rows = t
            .last_row_end
            .saturating_sub(t.first_row.unwrap_or(t.last_row_end));
        let cols = t.col_max.saturating_sub(t.col_min);
        if t.pushed > limit || rows.saturating_mul(cols) > limit {
            return Err(refuse(&t.name, rows, cols));
        }
        Ok(())
    };
    loop {
        let ev = match r.read_event_into(&mut buf) {
            Ok(Event::Eof) | Err(_) => break,
            Ok(ev) => ev,
        };
        match ev {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let empty = matches!(ev, Event::Empty(_));
                match e.name().as_ref() {
                    "table:table" => {
                        t = T {
                            name: e
                                .attributes()
                                .flatten()
                                .find(|a| a.key.as_ref() == "table:name")
                                .map(|a| a.value.into_owned())
                                .unwrap_or_default(),
                            ..T::default()
                        };
                    }
                    "table:table-row" => {
                        let repeats = attr_u64(e, "table:number-rows-repeated").unwrap_or(1);
                        let new = (repeats, 0, None, 0);
                        if empty {
                            finish_row(&mut t, new);
                        } else {
                            row = Some(new);
                        }
                    }
                    "table:table-cell" | "table:covered-table-cell" => {
                        if let Some((_, col, first, end)) = row.as_mut() {
                            let repeats = attr_u64(e, "table:number-columns-repeated").unwrap_or(1);
                            let valued = e.attributes().flatten().any(|a| {
                                let k = a.key.as_ref();
                                k == "office:value-type"
                                    || k == "table:formula"
                                    || (k.starts_with("office:") && k.ends_with("value"))
                            });
                            let next = col.saturating_add(repeats);
                            if valued {
                                first.get_or_insert(*col);
                                *end = next;
                            }
                            *col = next;
                        }
                    }
                    _ => {}
                }
            }
            Event::End(ref e) => match e.name().as_ref() {
                "table:table-row" => {
                    if let Some(rw) = row.take() {
                        finish_row(&mut t, rw);
                    }
                }
                "table:table" => check(&t)?,
                _ => {}
            },
            _ => {}
        }
        check(&t)?;
        buf.clear();
    }
    Ok(())
}

/// A minimal reader of OLE2 compound files, enough to find the workbook stream of an .xls.
struct Cfb<'a> {
    bytes: &'a [u8],
    shift: u32,
    fat: Vec<u32>,
    /// A sector the structure points to lies (partly) past the end of the file: calamine
    /// slices such a sector with its end before its start and panics.
    outside: std::cell::Cell<bool>,
}

const END_OF_CHAIN: u32 = 0xFFFF_FFFE;

/// The name of a 128-byte directory entry (UTF-16, its length in bytes at 64).
fn entry_name(e: &[u8]) -> String {
    let len = u16_at(e, 64).map_or(0, |l| (l as usize).min(64));
    let name: Vec<u16> = (0..len.saturating_sub(2) / 2)
        .filter_map(|k| u16_at(e, k * 2))
        .collect();
    String::from_utf16_lossy(&name)
}

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

impl<'a> Cfb<'a> {
    fn open(bytes: &'a [u8]) -> Option<Self> {
        let shift = u32::from(u16_at(bytes, 0x1E)?);
        if !(7..=16).contains(&shift) {
            return None;
        }
        let mut cfb = Cfb {
            bytes,
            shift,
            fat: Vec::new(),
            outside: std::cell::Cell::new(false),
        };
        let per_sector = cfb.sector_size() / 4;
        let mut fat_sectors: Vec<u32> = (0..109)
            .filter_map(|i| u32_at(bytes, 0x4C + i * 4))
            .filter(|&s| s < 0xFFFF_FFFA)
            .collect();
        let mut difat = u32_at(bytes, 0x44)?;
        let mut hops = 0;
        while difat < 0xFFFF_FFFA && hops <= cfb.sectors() {
            let s = cfb.sector(difat)?;
            fat_sectors.extend(
                (0..per_sector - 1)
                    .filter_map(|i| u32_at(s, i * 4))
                    .filter(|&x| x < 0xFFFF_FFFA),
            );
            difat = u32_at(s, (per_sector - 1) * 4)?;
            hops += 1;
        }
        for id in fat_sectors.into_iter().take(cfb.sectors() + 1) {
            if let Some(s) = cfb.sector(id) {
                cfb.fat
                    .extend((0..per_sector).filter_map(|i| u32_at(s, i * 4)));
            }
        }
        Some(cfb)
    }

    fn sector_size(&self) -> usize {
        1 << self.shift
    }

    fn sectors(&self) -> usize {
        self.bytes.len() >> self.shift
    }

    fn sector(&self, id: u32) -> Option<&'a [u8]> {
        let found = (id as usize)
            .checked_add(1)
            .and_then(|n| n.checked_mul(self.sector_size()))
            .and_then(|start| {
                self.bytes
                    .get(start..start.checked_add(self.sector_size())?)
            });
        if found.is_none() {
            self.outside.set(true);
        }
        found
    }

    /// The bytes of the chain starting at `start`, at most `limit` of them.
    fn chain(
        &self,
        start: u32,
        table: &[u32],
        unit: usize,
        limit: usize,
        src: &dyn Fn(u32) -> Option<&'a [u8]>,
    ) -> Vec<u8> {
        let mut out = Vec::new();
        let mut id = start;
        let mut hops = 0;
        while id != END_OF_CHAIN && out.len() < limit && hops <= table.len() {
            let Some(s) = src(id) else { break };
            out.extend_from_slice(&s[..unit.min(s.len())]);
            let Some(&next) = table.get(id as usize) else {
                break;
            };
            id = next;
            hops += 1;
        }
        out.truncate(limit);
        out
    }

    /// Whether the chain from `start` ends: a chain that comes back on itself is read by
    /// calamine until its declared length, which may be gigabytes (a fuzzed .xls asked for
    /// 2 GiB and aborted the process). A chain that runs off the table ends for calamine
    /// too (with an error or a caught panic).
    fn chain_ends(&self, start: u32) -> bool {
        let mut id = start;
        for _ in 0..=self.fat.len() {
            match self.fat.get(id as usize) {
                _ if id == END_OF_CHAIN => return true,
                Some(&next) => id = next,
                None => return true,
            }
        }
        false
    }

    /// Whether every chain calamine follows to open the workbook ends: the directory, the
    /// mini stream and its table, and the stream called one of `names`.
    fn chains_end(&self, names: &[&str]) -> bool {
        let starts = [u32_at(self.bytes, 0x30), u32_at(self.bytes, 0x3C)];
        if starts.iter().flatten().any(|&s| !self.chain_ends(s)) {
            return false;
        }
        let Some(dir) = self.directory() else {
            return true;
        };
        dir.chunks_exact(128).enumerate().all(|(i, e)| {
            let wanted = i == 0 || names.iter().any(|n| n.eq_ignore_ascii_case(&entry_name(e)));
            // Small streams chain through the mini table, whose hops are bounded by its size.
            let big = i == 0 || u32_at(e, 120).is_some_and(|n| n >= 4096);
            !wanted || !big || u32_at(e, 116).is_none_or(|s| self.chain_ends(s))
        })
    }

    /// The directory: its 128-byte entries, end to end.
    fn directory(&self) -> Option<Vec<u8>> {
        let dir_start = u32_at(self.bytes, 0x30)?;
        let sector = |id| self.sector(id);
        Some(self.chain(
            dir_start,
            &self.fat,
            self.sector_size(),
            self.bytes.len(),
            &sector,
        ))
    }

    /// The stream called one of `names` (case-insensitive), if any.
    fn stream(&self, names: &[&str]) -> Option<Vec<u8>> {
        let sector = |id| self.sector(id);
        let dir = self.directory()?;
        let entry = |i: usize| dir.get(i * 128..i * 128 + 128);
        let root = entry(0)?;
        for i in 0..dir.len() / 128 {
            let e = entry(i)?;
            if e[66] != 2 || !names.iter().any(|n| n.eq_ignore_ascii_case(&entry_name(e))) {
                continue;
            }
            let start = u32_at(e, 116)?;
            let size = (u32_at(e, 120)? as usize).min(self.bytes.len());
            if size >= 4096 {
                return Some(self.chain(start, &self.fat, self.sector_size(), size, &sector));
            }
            // Small streams live in the mini stream, in 64-byte sectors.
            let mini_stream = self.chain(
                u32_at(root, 116)?,
                &self.fat,
                self.sector_size(),
                self.bytes.len(),
                &sector,
            );
            let minifat_bytes = self.chain(
                u32_at(self.bytes, 0x3C)?,
                &self.fat,
                self.sector_size(),
                self.bytes.len(),
                &sector,
            );
            let minifat: Vec<u32> = (0..minifat_bytes.len() / 4)
                .filter_map(|k| u32_at(&minifat_bytes, k * 4))
                .collect();
            let mini = |id: u32| {
                let at = (id as usize).checked_mul(64)?;
                mini_stream.get(at..at + 64)
            };
            let mut out = Vec::new();
            let mut id = start;
            let mut hops = 0;
            while id != END_OF_CHAIN && out.len() < size && hops <= minifat.len() {
                let Some(s) = mini(id) else { break };
                out.extend_from_slice(s);
                let Some(&next) = minifat.get(id as usize) else {
                    break;
                };
                id = next;
                hops += 1;
            }
            out.truncate(size);
            return Some(out);
        }
        None
    }
}

/// xls: the Dimensions record (calamine reserves rows × columns for it) and the span of the
/// cells of every sheet (calamine lays them out densely) are checked.
pub(crate) fn xls(bytes: &[u8], limits: &DocLimits) -> Result<(), String> {
    let Some(cfb) = Cfb::open(bytes) else {
        return Ok(());
    };
    if !cfb.chains_end(&["Workbook", "Book"]) {
        return Err(t!("prob-xls-loop"));
    }
    let stream = cfb.stream(&["Workbook", "Book"]);
    if cfb.outside.get() {
        return Err(t!("prob-xls-outside"));
    }
    let Some(stream) = stream else {
        return Ok(());
    };
    let limit = dense_limit(limits);
    let stream = stream.as_slice();
    let records = |from: usize| {
        let mut at = from;
        std::iter::from_fn(move || {
            let typ = u16_at(stream, at)?;
            let len = u16_at(stream, at + 2)? as usize;
            let data = stream.get(at + 4..at + 4 + len)?;
            at += 4 + len;
            Some((typ, data))
        })
    };
    // BoundSheet8: where each sheet's records start, and its name.
    let mut sheets: Vec<(usize, String)> = Vec::new();
    for (typ, data) in records(0) {
        if typ == 0x0085 && data.len() >= 8 {
            let pos = u32_at(data, 0).unwrap_or(0) as usize;
            let cch = data[6] as usize;
            let name = if data[7] & 1 == 1 {
                let units: Vec<u16> = (0..cch).filter_map(|k| u16_at(data, 8 + k * 2)).collect();
                String::from_utf16_lossy(&units)
            } else {
                data.get(8..8 + cch)
                    .map(|b| b.iter().map(|&c| c as char).collect())
                    .unwrap_or_default()
            };
            sheets.push((pos, name));
        }
    }
    for (pos, name) in sheets {
        #[derive(Default)]
        struct Span(Option<(u32, u32, u32, u32)>);
        impl Span {
            fn add(&mut self, r: u32, c: u32) {
                let s = self.0.get_or_insert((r, r, c, c));
                *s = (s.0.min(r), s.1.max(r), s.2.min(c), s.3.max(c));
            }
            fn size(&self) -> (u64, u64) {
                self.0.map_or((0, 0), |(r0, r1, c0, c1)| {
                    (u64::from(r1 - r0) + 1, u64::from(c1 - c0) + 1)
                })
            }
        }
        let (mut cells, mut formulas) = (Span::default(), Span::default());
        let mut depth = 0usize;
        let mut seen_bof = false;
        for (typ, d) in records(pos) {
            if depth > 0 {
                match typ {
                    0x0809 => depth += 1,
                    0x000A => depth -= 1,
                    _ => {}
                }
                continue;
            }
            let rc = || Some((u32::from(u16_at(d, 0)?), u32::from(u16_at(d, 2)?)));
            match typ {
                0x0809 if seen_bof => depth += 1,
                0x0809 => seen_bof = true,
                0x000A => break,
                0x0200 => {
                    // Replays calamine's arithmetic on the declared dimensions.
                    let (rf, rl, mut cf, cl) = match d.len() {
                        10 => (
                            u32::from(u16_at(d, 0).unwrap_or(0)),
                            u32::from(u16_at(d, 2).unwrap_or(0)),
                            u32::from(u16_at(d, 4).unwrap_or(0)),
                            u32::from(u16_at(d, 6).unwrap_or(0)),
                        ),
                        14 | 16 => (
                            u32_at(d, 0).unwrap_or(0),
                            u32_at(d, 4).unwrap_or(0),
                            u32::from(u16_at(d, 8).unwrap_or(0)),
                            u32::from(u16_at(d, 10).unwrap_or(0)),
                        ),
                        _ => continue,
                    };
                    if 0xFF < cf || cl < cf {
                        cf = 0;
                    }
                    let (er, ec) = if rl >= 1 && cl >= 1 {
                        (rl - 1, cl - 1)
                    } else {
                        (rf, cf)
                    };
                    let rows = u64::from(er.wrapping_sub(rf).wrapping_add(1));
                    let cols = u64::from(ec.wrapping_sub(cf).wrapping_add(1));
                    if rows.saturating_mul(cols) > limit {
                        return Err(refuse(&name, rows, cols));
                    }
                }
                0x0203 | 0x0204 | 0x00D6 | 0x0205 | 0x027E | 0x00FD => {
                    if let Some((r, c)) = rc() {
                        cells.add(r, c);
                    }
                }
                0x0006 => {
                    if let Some((r, c)) = rc() {
                        cells.add(r, c);
                        formulas.add(r, c);
                    }
                }
                0x00BD if d.len() >= 6 => {
                    if let (Some((r, c)), Some(last)) = (rc(), u16_at(d, d.len() - 2)) {
                        cells.add(r, c);
                        cells.add(r, u32::from(last).max(c));
                    }
                }
                _ => {}
            }
        }
        for span in [&cells, &formulas] {
            let (rows, cols) = span.size();
            if rows.saturating_mul(cols) > limit {
                return Err(refuse(&name, rows, cols));
            }
        }
    }
    Ok(())
}
