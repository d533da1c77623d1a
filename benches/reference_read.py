#!/usr/bin/env python3
"""Reference readers for `cargo bench --bench documents`.

Reads the given .xlsx files with openpyxl in read-only mode (every cell of every sheet) and the
.docx files with python-docx (every paragraph and every table cell, nested tables included), in whole rounds
over each file list until at least --min-seconds have passed and --min-docs documents were
read, after one untimed warm-up round. Prints one JSON object on stdout:

    {"xlsx": {"docs": N, "bytes": B, "seconds": S, "cpu_seconds": C, "docs_per_s": D,
              "mb_per_s": M}, "docx": {...}}

Usage: reference_read.py [--min-seconds S] [--min-docs N] [--xlsx F...] [--docx F...]
"""

import json
import os
import sys
import time

import docx
import openpyxl


def read_xlsx(path):
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    n = 0
    for ws in wb.worksheets:
        for row in ws.iter_rows(values_only=True):
            for v in row:
                if v is not None:
                    n += len(str(v))
    wb.close()
    return n


def table_chars(table):
    n = 0
    for row in table.rows:
        for cell in row.cells:
            n += len(cell.text)
            for inner in cell.tables:
                n += table_chars(inner)
    return n


def read_docx(path):
    d = docx.Document(path)
    n = sum(len(p.text) for p in d.paragraphs)
    for t in d.tables:
        n += table_chars(t)
    return n


def bench(files, reader, min_seconds, min_docs):
    for f in files:  # warm-up
        reader(f)
    sizes = [os.path.getsize(f) for f in files]
    docs = 0
    nbytes = 0
    start = time.perf_counter()
    cpu = time.process_time()
    while True:
        for f, size in zip(files, sizes):
            reader(f)
            docs += 1
            nbytes += size
        elapsed = time.perf_counter() - start
        if elapsed >= min_seconds and docs >= min_docs:
            break
    return {
        "docs": docs,
        "bytes": nbytes,
        "seconds": elapsed,
        "cpu_seconds": time.process_time() - cpu,
        "docs_per_s": docs / elapsed,
        "mb_per_s": nbytes / elapsed / 1e6,
    }


def main(argv):
    min_seconds = 2.0
    min_docs = 200
    lists = {"xlsx": [], "docx": []}
    current = None
    it = iter(argv)
    for a in it:
        if a == "--min-seconds":
            min_seconds = float(next(it))
        elif a == "--min-docs":
            min_docs = int(next(it))
        elif a in ("--xlsx", "--docx"):
            current = a[2:]
        elif current is not None:
            lists[current].append(a)
        else:
            sys.exit(f"unexpected argument {a!r}")
    readers = {"xlsx": read_xlsx, "docx": read_docx}
    out = {}
    for fmt, files in lists.items():
        if files:
            out[fmt] = bench(files, readers[fmt], min_seconds, min_docs)
    json.dump(out, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(sys.argv[1:])
