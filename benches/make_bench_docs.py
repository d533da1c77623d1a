#!/usr/bin/env python3
"""Corpus for `cargo bench --bench documents`: realistic reports and workbooks at scale.

Writes into OUT (default target/bench-docs):

  docx/bc-NNN.docx    N six-page reports answering 809-CV/HU, written by python-docx: the Party
                      header as a 2-column borderless table, title and intro, the request's
                      outline (I–IV, headings partly in Word styles, partly bold paragraphs) with
                      several paragraphs per section, a statistics table of figures per year (in
                      I.2.2), a table nested in a table cell (I.1), Nơi nhận and the signature in a
                      borderless table, then Biểu 2 after a page break
  xlsx/bieu-NNN.xlsx  N Biểu 1–4 workbooks written by openpyxl, laid out like the fixture
                      tests/fixtures/docs/xlsx/bieu-1-4-loc-thanh.xlsx (one sheet per form, party
                      header and merged titles, forms starting at different places)
  pdf/bc-NNN.pdf      the first P reports exported to PDF by LibreOffice (when soffice exists)

Units, numbers and dates differ from file to file (deterministic). It reuses the fixture
generator's helpers (scripts/fixtures/make_doc_corpus.py), so the files look like the fixtures.

Usage: make_bench_docs.py [--out DIR] [--reports N] [--workbooks N] [--pdfs P]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts" / "fixtures"))

import make_doc_corpus as m  # noqa: E402

UNITS = [
    ("xã Lộc An", "Lộc An"), ("xã Lộc Thành", "Lộc Thành"), ("xã Lộc Nam", "Lộc Nam"),
    ("xã Lộc Bắc", "Lộc Bắc"), ("xã Lộc Bảo", "Lộc Bảo"), ("xã Lộc Lâm", "Lộc Lâm"),
    ("xã Lộc Phú", "Lộc Phú"), ("xã Lộc Ngãi", "Lộc Ngãi"), ("xã Lộc Quảng", "Lộc Quảng"),
    ("xã Lộc Tân", "Lộc Tân"), ("xã Lộc Đức", "Lộc Đức"), ("xã B'Lá", "B'Lá"),
    ("thị trấn Lộc Thắng", "Lộc Thắng"), ("xã Tân Lạc", "Tân Lạc"), ("xã Lộc Hòa", "Lộc Hòa"),
]

FILLER = [
    "Ban Thường vụ Đảng ủy thường xuyên quán triệt, chỉ đạo các chi bộ trực thuộc thực hiện "
    "nghiêm túc việc kiểm điểm tự phê bình và phê bình gắn với đánh giá, xếp loại chất lượng "
    "tổ chức đảng, đảng viên; kịp thời tháo gỡ khó khăn, vướng mắc phát sinh ở cơ sở.",
    "Các chi bộ đã xây dựng kế hoạch cụ thể, phân công cấp ủy viên dự, chỉ đạo kiểm điểm ở từng "
    "chi bộ; nội dung kiểm điểm bám sát chức trách, nhiệm vụ được giao và kết quả thực hiện "
    "các chỉ tiêu nghị quyết của năm.",
    "Việc lấy ý kiến nhận xét của chi ủy nơi cư trú đối với đảng viên được thực hiện đầy đủ; "
    "các ý kiến góp ý được tổng hợp, phản hồi công khai trong hội nghị kiểm điểm của chi bộ.",
    "Quá trình thực hiện còn một số hạn chế: chất lượng báo cáo kiểm điểm của một số chi bộ "
    "chưa cao, còn chung chung; việc liên hệ trách nhiệm cá nhân có lúc chưa sâu sắc.",
    "Đảng ủy đã chỉ đạo rà soát, đối chiếu kết quả đánh giá với mức độ hoàn thành nhiệm vụ của "
    "từng đảng viên, bảo đảm khách quan, công khai, dân chủ và đúng tỷ lệ theo quy định.",
]

YEARS = ["2018", "2019", "2020", "2021", "2022"]


def stats_rows(k: int):
    """Figures per year: chi bộ and đảng viên by rating (a statistics table of the report)."""
    head = ["Năm", "Tổng số chi bộ", "HTXSNV", "HTTNV", "HTNV", "KHTNV", "Tổng số đảng viên",
            "HTXSNV ", "HTTNV ", "HTNV ", "KHTNV "]
    rows = [head]
    for y, year in enumerate(YEARS):
        cb = 15 + (k + y) % 7
        dv = 300 + 7 * k + 11 * y
        x = 1 + (k + y) % 3
        xs = dv // 7
        rows.append([year, str(cb), str(x), str(cb - x - 1), "1", "0", str(dv), str(xs),
                     str(dv - xs - 12), "10", "2"])
    return rows


def body(k: int, short: str):
    """The fixture report's outline, each section grown to several paragraphs."""
    out = []
    for b in m.LOC_AN_BODY:
        b = tuple(x.replace("Lộc An", short) if isinstance(x, str) else x for x in b)
        out.append(b)
        if b[0] == "p":
            for j in range(1):
                out.append(("p", f"{FILLER[(k + j + len(out)) % len(FILLER)]} "
                                 f"(nội dung {len(out)}.{j} của {short})", b[2]))
        if b[0] == "h" and b[3] == "I.1":
            out.append(("nested", [("Năm", "Văn bản của Đảng ủy"),
                                   ("2019", [("Văn bản", "Ngày"),
                                             ("Kế hoạch", f"{10 + k % 18}/11/2019")]),
                                   ("2021", [("Văn bản", "Ngày"),
                                             ("Hướng dẫn", f"{1 + k % 27}/11/2021")])], "I.1"))
        if b[0] == "h" and b[3] == "I.2.2":
            out.append(("stats", stats_rows(k), "I.2.2"))
    return out


def add_stats(d, rows):
    t = d.add_table(rows=len(rows), cols=len(rows[0]))
    t.style = d.styles["Table Grid"]
    for r, row in enumerate(rows):
        for c, v in enumerate(row):
            m.add_par(t.cell(r, c), v, bold=r == 0, align="center", first=True, size=11,
                      space_after=0)
    m.add_par(d, "")


def build_report(path: Path, k: int):
    unit, short = UNITS[k % len(UNITS)]
    issuer = f"ĐẢNG ỦY {unit.upper()}"
    d = m.new_document(title=f"BC 132 - {short}", author=f"Văn phòng Đảng ủy {unit}")
    m.header_table(d, [("ĐẢNG BỘ HUYỆN BẢO LÂM", False, False), (issuer, True, False),
                       ("*", False, False), (f"Số {k % 40 + 1:02d}-BC/ĐU", False, False)],
                   [("ĐẢNG CỘNG SẢN VIỆT NAM", True, False),
                    (f"{short}, ngày {k % 28 + 1} tháng 01 năm 2023", False, True)])
    m.add_par(d, "")
    m.add_par(d, "BÁO CÁO", bold=True, align="center", size=15, space_after=0)
    m.add_par(d, m.LOC_AN_TRICH_YEU, bold=True, align="center", space_after=0)
    m.add_par(d, "-----", align="center")
    m.add_par(d, m.LOC_AN_INTRO.replace("xã Lộc An", unit), align="justify")
    blocks = body(k, short)
    plain = [b for b in blocks if b[0] != "stats"]
    # add_body knows h / p / nested; the statistics table goes in between.
    for b in blocks:
        if b[0] == "stats":
            add_stats(d, b[1])
        else:
            m.add_body(d, [b])
    assert plain
    m.signature_table(d, [("Nơi nhận:", True, True), ("- Ban Tổ chức Huyện ủy,", False, False),
                          ("- Lưu Văn phòng Đảng ủy.", False, False)],
                      [("T/M ĐẢNG ỦY", True, False), ("BÍ THƯ", True, False),
                       ("", False, False), ("(đã ký)", False, True), ("", False, False),
                       ("Nguyễn Văn Bình", True, False)])
    m.page_break(d)
    m.annex_heading(d, "Biểu số 2", m.TITLES["bieu2"] + [
        f"(Kèm theo Báo cáo ngày {k % 28 + 1}/01/2023 của Đảng ủy {unit})"],
        unit_line=issuer)
    m.docx_checklist_table(d, m.LOC_AN_B2)
    m.annex_footer(d, "bieu2", "Trần Thị Thu Hà, ĐT: 0263.000.111")
    d.save(path)
    m.normalise_zip(path)


def build_workbook(path: Path, k: int):
    unit, short = UNITS[(k + 1) % len(UNITS)]
    issuer = f"ĐẢNG ỦY {unit.upper()}"
    wb = m.new_workbook(f"Văn phòng Đảng ủy {unit}")
    ws = wb.active
    ws.title = "Biểu 1"
    m.xl_party_header(ws, "ĐẢNG BỘ HUYỆN BẢO LÂM", issuer,
                      f"{short}, ngày {k % 28 + 1} tháng 01 năm 2023", left=1, width_left=2,
                      right=3, width_right=5)
    m.xl_merge(ws, 5, 1, 5, 7, m.TITLES["bieu1"][0], bold=True, align="center")
    m.xl_merge(ws, 6, 1, 6, 7, m.TITLES["bieu1"][1], bold=True, align="center")
    m.xl_put(ws, 7, 7, "Biểu số 1", bold=True, italic=True, align="right", wrap=False)
    end = m.xl_grid(ws, 8, 1, m.LOC_THANH_B1)
    m.xl_notes(ws, end + 1, 1, "bieu1", f"Phạm Thị Lan, ĐT: 0263.000.{k:03d}", sign_col=5)
    ws = wb.create_sheet("Biểu 2")
    m.xl_merge(ws, 1, 2, 1, 6, m.TITLES["bieu2"][0], bold=True, align="center")
    m.xl_put(ws, 3, 6, "Biểu số 2", bold=True, italic=True, align="right", wrap=False)
    end = m.xl_checklist(ws, 5, 2, m.LOC_THANH_B2)
    m.xl_notes(ws, end + 1, 2, "bieu2", f"Phạm Thị Lan, ĐT: 0263.000.{k:03d}")
    ws = wb.create_sheet("Biểu 3")
    end = m.xl_checklist(ws, 1, 1, m.LOC_THANH_B3)
    m.xl_notes(ws, end + 1, 1, "bieu3")
    ws = wb.create_sheet("Biểu 4")
    m.xl_merge(ws, 2, 3, 3, 7, m.TITLES["bieu4"][0], bold=True, align="center")
    m.xl_put(ws, 4, 7, "Biểu số 4", bold=True, italic=True, align="right", wrap=False)
    end = m.xl_checklist(ws, 6, 3, m.LOC_THANH_B4)
    m.xl_notes(ws, end + 1, 3, "bieu4", f"Phạm Thị Lan, ĐT: 0263.000.{k:03d}")
    wb.save(path)
    m.normalise_zip(path)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", type=Path, default=ROOT / "target" / "bench-docs")
    ap.add_argument("--reports", type=int, default=200)
    ap.add_argument("--workbooks", type=int, default=200)
    ap.add_argument("--pdfs", type=int, default=50)
    a = ap.parse_args()
    for sub in ("docx", "xlsx", "pdf"):
        (a.out / sub).mkdir(parents=True, exist_ok=True)
    for k in range(a.reports):
        build_report(a.out / "docx" / f"bc-{k:03d}.docx", k)
    for k in range(a.workbooks):
        build_workbook(a.out / "xlsx" / f"bieu-{k:03d}.xlsx", k)
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice and a.pdfs:
        srcs = [str(a.out / "docx" / f"bc-{k:03d}.docx") for k in range(min(a.pdfs, a.reports))]
        with tempfile.TemporaryDirectory() as profile:
            subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless",
                            "--convert-to", "pdf", "--outdir", str(a.out / "pdf"), *srcs],
                           check=True, stdout=subprocess.DEVNULL, timeout=1800)
    print(f"{a.reports} reports, {a.workbooks} workbooks, "
          f"{len(list((a.out / 'pdf').glob('*.pdf')))} PDFs in {a.out}")


if __name__ == "__main__":
    main()
