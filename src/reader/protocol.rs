//! The pipe protocol between a reader and its worker. A request is a length-prefixed JSON
//! header followed by the file's bytes; the answer is a length-prefixed JSON [`Document`].
//! Lengths are little-endian; JSON carries no bytes, so a 30 MB file costs one copy.

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
    let mut buf = vec![0u8; n as usize];
    r.read_exact(&mut buf)?;
    Ok(buf)
}

pub(crate) fn write_response(w: &mut impl Write, doc: &Document) -> io::Result<()> {
    let body = serde_json::to_vec(doc).map_err(io::Error::other)?;
    w.write_all(&(body.len() as u64).to_le_bytes())?;
    w.write_all(&body)?;
    w.flush()
}

/// Reads the answer, waiting at most until `deadline`. An error means the worker is gone.
pub(crate) fn read_response<R: Read + AsFd>(r: &mut R, deadline: Instant) -> io::Result<Response> {
    let mut buf: Vec<u8> = Vec::new();
    let mut want: Option<usize> = None;
    let mut chunk = vec![0u8; 64 << 10];
    loop {
        if let Some(n) = want
            && buf.len() >= 8 + n
        {
            // One fast UTF-8 check of the whole answer, so serde_json need not check every
            // string again (that was 4 % of an ingest's CPU).
            let text = simdutf8::basic::from_utf8(&buf[8..8 + n]).map_err(io::Error::other)?;
            let doc: Document = serde_json::from_str(text).map_err(io::Error::other)?;
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
        let n = r.read(&mut chunk)?;
        if n == 0 {
            return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "worker ended"));
        }
        buf.extend_from_slice(&chunk[..n]);
        if want.is_none() && buf.len() >= 8 {
            let mut len = [0u8; 8];
            len.copy_from_slice(&buf[..8]);
            let n = u64::from_le_bytes(len);
            if n > MAX_FRAME {
                return Err(io::Error::other("answer too large"));
            }
            want = Some(n as usize);
        }
    }
}
