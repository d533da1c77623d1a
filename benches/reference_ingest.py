#!/usr/bin/env python3
"""Python reference for `cargo bench --bench ingest`: the job of `baocao ingest FOLDER`, written
the way a careful Python script would do it, in one process.

For every .eml in FOLDER (sorted), in batches of 200 messages:
  1. read the bytes, hash them (SHA-256); a message already recorded costs only that;
  2. parse it with the `email` package (policy.default): From, To, Subject, Date, Message-ID,
     the text body (plain, else HTML), every attachment's name, type, bytes and hash;
  3. archive the raw bytes durably: every new message written to a temp file, flushed, renamed
     into archive/aa/bb/<sha>.eml, folders flushed (see --sync);
  4. record one row per message and one per attachment in SQLite (WAL, synchronous=FULL), one
     transaction per batch, committed only after the archive is durable;
  5. read every attachment: .docx with python-docx (every paragraph and every table cell, nested
     tables included), .xlsx with openpyxl read-only (every cell of every sheet), .pdf with
     `pdftotext -layout`; record the text (or the error) per attachment, one transaction per
     batch.

--sync syncfs (default) flushes a batch like baocao does on Linux: one syncfs(2) of the archive's
file system before the renames and one after. --sync fsync flushes every file and every touched
folder on its own (the portable way, slower on most disks).

Prints one JSON object: {"seen", "stored", "duplicates", "attachments", "read", "errors",
"seconds"}.

Needs python-docx and openpyxl (`--install` pip-installs them when missing) and poppler-utils.

Usage: reference_ingest.py FOLDER DATA_DIR [--sync syncfs|fsync] [--install]
"""

import ctypes
import email
import email.policy
import hashlib
import importlib
import io
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time

BATCH = 200

SCHEMA = """
CREATE TABLE IF NOT EXISTS messages (
    id INTEGER PRIMARY KEY,
    sha256 TEXT NOT NULL UNIQUE,
    size INTEGER NOT NULL,
    source TEXT NOT NULL,
    archive_path TEXT NOT NULL,
    from_addr TEXT,
    to_addr TEXT,
    subject TEXT,
    date TEXT,
    message_id TEXT,
    body TEXT,
    error TEXT,
    stored_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS attachments (
    id INTEGER PRIMARY KEY,
    message INTEGER NOT NULL REFERENCES messages(id),
    name TEXT,
    content_type TEXT,
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    text TEXT,
    error TEXT
);
CREATE INDEX IF NOT EXISTS attachments_message ON attachments(message);
"""


def ensure_packages(install):
    missing = []
    for module, package in (("docx", "python-docx"), ("openpyxl", "openpyxl")):
        try:
            importlib.import_module(module)
        except ImportError:
            missing.append(package)
    if missing and install:
        subprocess.run(
            [sys.executable, "-m", "pip", "install", "-q", *missing], check=True
        )
        importlib.invalidate_caches()
    elif missing:
        sys.exit(f"missing Python packages: {' '.join(missing)} (run with --install)")


_libc = None


def syncfs(path):
    global _libc
    if _libc is None:
        _libc = ctypes.CDLL(None, use_errno=True)
    fd = os.open(path, os.O_RDONLY)
    try:
        if _libc.syncfs(fd) != 0:
            err = ctypes.get_errno()
            raise OSError(err, os.strerror(err), path)
    finally:
        os.close(fd)


def fsync_dir(path):
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def archive_batch(archive, items, mode):
    """items: [(sha, raw)] not yet archived. Durable before return."""
    tmpdir = os.path.join(archive, "tmp")
    staged = []
    for sha, raw in items:
        dest_dir = os.path.join(archive, sha[:2], sha[2:4])
        dest = os.path.join(dest_dir, sha + ".eml")
        if os.path.exists(dest):
            continue
        tmp = os.path.join(tmpdir, f"{os.getpid()}-{sha}.tmp")
        with open(tmp, "wb") as f:
            f.write(raw)
            if mode == "fsync":
                f.flush()
                os.fsync(f.fileno())
        staged.append((tmp, dest_dir, dest))
    if not staged:
        return
    if mode == "syncfs":
        syncfs(archive)
    dirs = set()
    for tmp, dest_dir, dest in staged:
        if dest_dir not in dirs:
            os.makedirs(dest_dir, exist_ok=True)
            dirs.add(dest_dir)
        os.rename(tmp, dest)
    if mode == "syncfs":
        syncfs(archive)
    else:
        for d in dirs:
            fsync_dir(d)
            fsync_dir(os.path.dirname(d))
        fsync_dir(archive)


def parse(raw):
    """The message's header fields, body and attachments [(name, type, bytes)]."""
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    fields = {}
    for key in ("From", "To", "Subject", "Date", "Message-ID"):
        try:
            v = msg[key]
            fields[key] = str(v) if v is not None else None
        except Exception:  # a header the policy cannot parse: keep the message
            fields[key] = None
    body = None
    part = msg.get_body(preferencelist=("plain", "html"))
    if part is not None:
        try:
            body = part.get_content()
        except Exception:
            body = None
    attachments = []
    for att in msg.iter_attachments():
        try:
            data = att.get_content()
        except Exception:
            data = att.get_payload(decode=True) or b""
        if isinstance(data, str):
            data = data.encode("utf-8", "replace")
        elif not isinstance(data, (bytes, bytearray)):
            data = bytes(att.get_payload(decode=True) or b"")
        attachments.append((att.get_filename(), att.get_content_type(), bytes(data)))
    return fields, body, attachments


def table_text(table, out):
    for row in table.rows:
        for cell in row.cells:
            out.append(cell.text)
            for inner in cell.tables:
                table_text(inner, out)


def read_docx(data):
    import docx

    d = docx.Document(io.BytesIO(data))
    out = [p.text for p in d.paragraphs]
    for t in d.tables:
        table_text(t, out)
    return "\n".join(out)


def read_xlsx(data):
    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    out = []
    try:
        for ws in wb.worksheets:
            for row in ws.iter_rows(values_only=True):
                for v in row:
                    if v is not None:
                        out.append(str(v))
    finally:
        wb.close()
    return "\n".join(out)


def read_pdf(data, tmpdir):
    with tempfile.NamedTemporaryFile(dir=tmpdir, suffix=".pdf") as f:
        f.write(data)
        f.flush()
        r = subprocess.run(
            ["pdftotext", "-layout", f.name, "-"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            timeout=180,
        )
    if r.returncode != 0:
        raise RuntimeError(r.stderr.decode("utf-8", "replace").strip() or "pdftotext failed")
    return r.stdout.decode("utf-8", "replace")


def read_attachment(name, ctype, data, tmpdir):
    ext = os.path.splitext(name or "")[1].lower()
    if ext == ".docx":
        return read_docx(data)
    if ext == ".xlsx":
        return read_xlsx(data)
    if ext == ".pdf" or ctype == "application/pdf":
        return read_pdf(data, tmpdir)
    return None


def flush(db, archive, batch, mode, counts, tmpdir):
    if not batch:
        return
    shas = [b[0] for b in batch]
    known = set()
    for i in range(0, len(shas), 500):
        chunk = shas[i : i + 500]
        q = "SELECT sha256 FROM messages WHERE sha256 IN (%s)" % ",".join("?" * len(chunk))
        known.update(r[0] for r in db.execute(q, chunk))
    fresh = []
    seen = set()
    for item in batch:
        if item[0] in known or item[0] in seen:
            counts["duplicates"] += 1
        else:
            seen.add(item[0])
            fresh.append(item)
    if not fresh:
        return
    parsed = []
    for sha, raw, source in fresh:
        try:
            parsed.append((sha, raw, source, *parse(raw), None))
        except Exception as e:
            parsed.append((sha, raw, source, {}, None, [], str(e)))
    archive_batch(archive, [(p[0], p[1]) for p in parsed], mode)
    to_read = []
    now = time.time()
    with db:
        for sha, raw, source, fields, body, atts, error in parsed:
            cur = db.execute(
                "INSERT INTO messages (sha256, size, source, archive_path, from_addr, to_addr,"
                " subject, date, message_id, body, error, stored_at)"
                " VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    sha,
                    len(raw),
                    source,
                    f"archive/{sha[:2]}/{sha[2:4]}/{sha}.eml",
                    fields.get("From"),
                    fields.get("To"),
                    fields.get("Subject"),
                    fields.get("Date"),
                    fields.get("Message-ID"),
                    body,
                    error,
                    now,
                ),
            )
            mid = cur.lastrowid
            counts["stored"] += 1
            for name, ctype, data in atts:
                cur = db.execute(
                    "INSERT INTO attachments (message, name, content_type, size, sha256)"
                    " VALUES (?,?,?,?,?)",
                    (mid, name, ctype, len(data), hashlib.sha256(data).hexdigest()),
                )
                counts["attachments"] += 1
                to_read.append((cur.lastrowid, name, ctype, data))
    results = []
    for aid, name, ctype, data in to_read:
        try:
            text = read_attachment(name, ctype, data, tmpdir)
            results.append((text, None, aid))
            counts["read"] += 1
        except Exception as e:
            results.append((None, f"{type(e).__name__}: {e}", aid))
            counts["errors"] += 1
    with db:
        db.executemany("UPDATE attachments SET text = ?, error = ? WHERE id = ?", results)


def main(argv):
    mode = "syncfs"
    install = False
    pos = []
    it = iter(argv)
    for a in it:
        if a == "--sync":
            mode = next(it)
        elif a == "--install":
            install = True
        else:
            pos.append(a)
    if len(pos) != 2 or mode not in ("syncfs", "fsync"):
        sys.exit(__doc__)
    ensure_packages(install)
    folder, data = pos
    start = time.perf_counter()
    archive = os.path.join(data, "archive")
    tmpdir = os.path.join(data, "tmp")
    os.makedirs(os.path.join(archive, "tmp"), exist_ok=True)
    os.makedirs(tmpdir, exist_ok=True)
    db = sqlite3.connect(os.path.join(data, "register.sqlite"), isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=FULL")
    db.executescript(SCHEMA)
    # Explicit transactions (BEGIN/COMMIT via the context manager) need the legacy mode off.
    db.isolation_level = "DEFERRED"
    counts = {"seen": 0, "stored": 0, "duplicates": 0, "attachments": 0, "read": 0, "errors": 0}
    names = sorted(n for n in os.listdir(folder) if n.endswith(".eml"))
    batch = []
    for n in names:
        path = os.path.join(folder, n)
        with open(path, "rb") as f:
            raw = f.read()
        counts["seen"] += 1
        batch.append((hashlib.sha256(raw).hexdigest(), raw, path))
        if len(batch) >= BATCH:
            flush(db, archive, batch, mode, counts, tmpdir)
            batch = []
    flush(db, archive, batch, mode, counts, tmpdir)
    db.close()
    counts["seconds"] = time.perf_counter() - start
    json.dump(counts, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(sys.argv[1:])
