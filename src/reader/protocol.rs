//! The pipe protocol between a reader and its worker. A request is a length-prefixed JSON
//! header followed by the file's bytes; the answer is a length-prefixed JSON [`Document`]
//! whose paragraph and cell texts travel apart, one after another in one UTF-8 block (see
//! [`Texts`]). Lengths are little-endian; JSON carries no bytes, so a 30 MB file costs one
//! copy.

use std::io::{self, Read, Write};
use std::os::fd::AsFd;
use std::time::Instant;

use serde::{Deserialize, Serialize};

use crate::documents::{DocLimits, Document};
use crate::message::FileKind;

/// Largest header or answer accepted: a reading is text, far below this.
const MAX_FRAME: u64 = 256 << 20;

/// What the worker is asked to read.
#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct Request {
    pub name: String,
    pub kind: FileKind,
    pub limits: DocLimits,
}

/// What came back.
pub(crate) enum Response {
    Document(Box<Document>),
    TimedOut,
}

pub(crate) fn write_request(w: &mut impl Write, req: &Request, bytes: &[u8]) -> io::Result<()> {
    let head = serde_json::to_vec(req).map_err(io::Error::other)?;
    w.write_all(&(head.len() as u64).to_le_bytes())?;
    w.write_all(&head)?;
    w.write_all(&(bytes.len() as u64).to_le_bytes())?;
    w.write_all(bytes)?;
    w.flush()
}

/// Reads one request; `Ok(None)` at a clean end of input.
pub(crate) fn read_request(r: &mut impl Read) -> io::Result<Option<(Request, Vec<u8>)>> {
    let mut len = [0u8; 8];
    match r.read_exact(&mut len) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(None),
        Err(e) => return Err(e),
    }
    let head = read_frame(r, u64::from_le_bytes(len))?;
    let req: Request = serde_json::from_slice(&head).map_err(io::Error::other)?;
    r.read_exact(&mut len)?;
    let bytes = read_frame(r, u64::from_le_bytes(len))?;
    Ok(Some((req, bytes)))
}

fn read_frame(r: &mut impl Read, n: u64) -> io::Result<Vec<u8>> {
    if n > MAX_FRAME {
        return Err(io::Error::other("frame too large"));
    }
    // read_to_end fills the spare capacity without zeroing it first: the file's bytes are
    // most of what crosses the pipe, and zeroing them was a page-faulting pass of its own.
    let mut buf = Vec::with_capacity(n as usize);
    r.take(n).read_to_end(&mut buf)?;
    if buf.len() as u64 != n {
        return Err(io::Error::new(
            io::ErrorKind::UnexpectedEof,
            "frame cut short",
        ));
    }
    Ok(buf)
}

/// The answer's texts taken out of its document: escaping and unescaping every paragraph
/// and cell as JSON strings cost more than reading a report's XML. The document's JSON then
/// carries empty texts and `lens`; the texts follow it as one block, checked as UTF-8 once.
#[derive(Serialize, Deserialize)]
struct Texts {
    doc: Document,
    /// The byte length of each paragraph's text, then of each cell's, in document order.
    lens: Vec<u64>,
}

/// Every paragraph's and cell's text, in the order [`Texts::lens`] lists them.
fn texts_of(doc: &mut Document) -> impl Iterator<Item = &mut String> {
    doc.paragraphs.iter_mut().map(|p| &mut p.text).chain(
        doc.tables
            .iter_mut()
            .flat_map(|t| t.rows.iter_mut().flatten().map(|c| &mut c.text)),
    )
}

pub(crate) fn write_response(w: &mut impl Write, mut doc: Document) -> io::Result<()> {
    let mut block = String::new();
    let mut lens = Vec::new();
    for t in texts_of(&mut doc) {
        lens.push(t.len() as u64);
        block.push_str(&std::mem::take(t));
    }
    let head = serde_json::to_vec(&Texts { doc, lens }).map_err(io::Error::other)?;
    let total = 8 + head.len() + block.len();
    w.write_all(&(total as u64).to_le_bytes())?;
    w.write_all(&(head.len() as u64).to_le_bytes())?;
    w.write_all(&head)?;
    w.write_all(block.as_bytes())?;
    w.flush()
}

/// The document of an answer's frame (without its leading length).
fn decode_response(frame: &[u8]) -> io::Result<Document> {
    let bad = |what: &str| io::Error::other(format!("malformed answer: {what}"));
    let (len, rest) = frame
        .split_first_chunk::<8>()
        .ok_or_else(|| bad("no header"))?;
    let head_len = usize::try_from(u64::from_le_bytes(*len)).map_err(|_| bad("header"))?;
    if head_len > rest.len() {
        return Err(bad("header length"));
    }
    let (head, block) = rest.split_at(head_len);
    let Texts { mut doc, lens } = serde_json::from_slice(head).map_err(io::Error::other)?;
    let block = simdutf8::basic::from_utf8(block).map_err(io::Error::other)?;
    let mut at = 0usize;
    let mut lens = lens.into_iter();
    for t in texts_of(&mut doc) {
        let n = lens
            .next()
            .ok_or_else(|| bad("fewer texts than the document holds"))?;
        let end = usize::try_from(n)
            .ok()
            .and_then(|n| at.checked_add(n))
            .ok_or_else(|| bad("text length"))?;
        *t = block
            .get(at..end)
            .ok_or_else(|| bad("text outside the block"))?
            .to_owned();
        at = end;
    }
    if lens.next().is_some() || at != block.len() {
        return Err(bad("more texts than the document holds"));
    }
    Ok(doc)
}

/// Reads the answer, waiting at most until `deadline`. An error means the worker is gone.
pub(crate) fn read_response<R: Read + AsFd>(r: &mut R, deadline: Instant) -> io::Result<Response> {
    // The first read goes to the stack (most answers are a few KB); once the length is known
    // the rest is read in place into a buffer of exactly the frame's size. A zeroed 64 KB
    // heap chunk per answer cost more than the answer's own copy.
    let mut len = [0u8; 8];
    let mut have_len = 0usize;
    let mut buf: Vec<u8> = Vec::new();
    let mut filled = 0usize;
    loop {
        if have_len == 8 && filled == buf.len() {
            let doc = decode_response(&buf)?;
            return Ok(Response::Document(Box::new(doc)));
        }
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Ok(Response::TimedOut);
        }
        let ts = rustix::time::Timespec {
            tv_sec: left.as_secs() as i64,
            tv_nsec: i64::from(left.subsec_nanos()),
        };
        let mut fds = [rustix::event::PollFd::new(
            r,
            rustix::event::PollFlags::IN | rustix::event::PollFlags::HUP,
        )];
        match rustix::event::poll(&mut fds, Some(&ts)) {
            Ok(0) => return Ok(Response::TimedOut),
            Ok(_) => {}
            Err(rustix::io::Errno::INTR) => continue,
            Err(e) => return Err(e.into()),
        }
        let ended = || io::Error::new(io::ErrorKind::UnexpectedEof, "worker ended");
        if have_len == 8 {
            let n = r.read(&mut buf[filled..])?;
            if n == 0 {
                return Err(ended());
            }
            filled += n;
            continue;
        }
        let mut head = [0u8; 8 << 10];
        let n = r.read(&mut head)?;
        if n == 0 {
            return Err(ended());
        }
        let take = n.min(8 - have_len);
        len[have_len..have_len + take].copy_from_slice(&head[..take]);
        have_len += take;
        if have_len == 8 {
            let size = u64::from_le_bytes(len);
            if size > MAX_FRAME {
                return Err(io::Error::other("answer too large"));
            }
            buf.resize(size as usize, 0);
            // A worker answers once per request, so nothing follows the frame.
            let rest = &head[take..n];
            filled = rest.len().min(buf.len());
            buf[..filled].copy_from_slice(&rest[..filled]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::documents::{Cell, Paragraph, Table};
    use std::time::Duration;

    fn sample() -> Document {
        let mut d = Document::from_lines(
            FileKind::Docx,
            &[
                "BÁO CÁO",
                "",
                "Tổng số \"đảng viên\" là 1.234\tngười\n(100%)",
            ],
        );
        d.paragraphs.push(Paragraph {
            text: "Tiêu đề".into(),
            level: Some(2),
            bold: true,
            italic: false,
        });
        d.tables.push(Table {
            name: Some("Biểu 1".into()),
            rows: vec![
                vec![
                    Cell {
                        text: "Đơn vị".into(),
                        merged: false,
                    },
                    Cell {
                        text: String::new(),
                        merged: true,
                    },
                ],
                vec![Cell {
                    text: "Xuất sắc ✓".into(),
                    merged: false,
                }],
            ],
            caption: "Biểu số 1".into(),
        });
        d.problems.push("một vấn đề".into());
        d
    }

    fn round_trip(d: &Document) -> io::Result<Document> {
        let mut wire = Vec::new();
        write_response(&mut wire, d.clone())?;
        let (r, w) = std::io::pipe()?;
        let mut w = w;
        std::thread::scope(|s| {
            s.spawn(move || w.write_all(&wire));
            let mut r = r;
            match read_response(&mut r, Instant::now() + Duration::from_secs(10))? {
                Response::Document(d) => Ok(*d),
                Response::TimedOut => Err(io::Error::other("timed out")),
            }
        })
    }

    #[test]
    fn a_document_comes_back_as_it_went() {
        let d = sample();
        let back = round_trip(&d).unwrap();
        assert_eq!(
            serde_json::to_string(&back).unwrap(),
            serde_json::to_string(&d).unwrap()
        );
        assert_eq!(back.tables[0].rows[1][0].text, "Xuất sắc ✓");
        assert_eq!(
            back.paragraphs[2].text,
            "Tổng số \"đảng viên\" là 1.234\tngười\n(100%)"
        );
    }

    #[test]
    fn an_answer_in_small_pieces_larger_than_the_first_read_comes_back_whole() {
        let mut d = sample();
        for i in 0..2_000 {
            d.paragraphs.push(Paragraph {
                text: format!("Đoạn {i}: chi bộ hoàn thành tốt nhiệm vụ"),
                level: None,
                bold: false,
                italic: false,
            });
        }
        let mut wire = Vec::new();
        write_response(&mut wire, d.clone()).unwrap();
        assert!(
            wire.len() > 3 * (8 << 10),
            "the answer must outgrow the first read"
        );
        let (r, mut w) = std::io::pipe().unwrap();
        let back = std::thread::scope(|s| {
            // The length itself is split, then the body comes in uneven pieces.
            s.spawn(move || {
                for piece in [&wire[..3], &wire[3..5], &wire[5..9000], &wire[9000..]] {
                    for part in piece.chunks(7_001) {
                        w.write_all(part).unwrap();
                        std::thread::sleep(Duration::from_millis(2));
                    }
                }
            });
            let mut r = r;
            read_response(&mut r, Instant::now() + Duration::from_secs(10))
        })
        .unwrap();
        let Response::Document(back) = back else {
            panic!("timed out");
        };
        assert_eq!(back.paragraphs.len(), d.paragraphs.len());
        assert_eq!(
            back.paragraphs[1_999 + 4].text,
            d.paragraphs[1_999 + 4].text
        );
        assert_eq!(back.tables[0].rows[1][0].text, "Xuất sắc ✓");
    }

    #[test]
    fn a_request_cut_short_is_an_error() {
        let mut wire = Vec::new();
        let req = Request {
            name: "bao-cao.docx".into(),
            kind: FileKind::Docx,
            limits: DocLimits::default(),
        };
        write_request(&mut wire, &req, b"PK\x03\x04 and the rest").unwrap();
        let (got, bytes) = read_request(&mut &wire[..]).unwrap().unwrap();
        assert_eq!(got.name, "bao-cao.docx");
        assert_eq!(bytes, b"PK\x03\x04 and the rest");
        let cut = &wire[..wire.len() - 4];
        assert!(read_request(&mut &cut[..]).is_err());
    }

    #[test]
    fn a_malformed_answer_is_an_error_not_a_panic() {
        let mut wire = Vec::new();
        write_response(&mut wire, sample()).unwrap();
        let frame = &wire[8..];
        // Every truncation, and a text block cut inside a character.
        for cut in 0..frame.len() {
            assert!(decode_response(&frame[..cut]).is_err(), "cut at {cut}");
        }
        let mut longer = frame.to_vec();
        longer.extend_from_slice("x".as_bytes());
        assert!(decode_response(&longer).is_err());
        let mut huge = frame.to_vec();
        huge[..8].copy_from_slice(&u64::MAX.to_le_bytes());
        assert!(decode_response(&huge).is_err());
    }
}
