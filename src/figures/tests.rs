use super::read::read_document;
use super::*;
use crate::documents::{Cell, Document, Table};
use crate::message::FileKind;

/// The seed campaign's figure settings, from the shipped campaign file.
pub(crate) fn seed_config() -> FigureConfig {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let config = crate::config::load(&root.join("config/baocao.toml")).expect("config");
    config
        .campaign("809-CV-HU")
        .expect("campaign")
        .figures
        .clone()
}

fn lv(id: &str) -> Measure {
    Measure::Level(id.into())
}

fn get(vals: &[Value], figure: &str, year: Option<i32>, m: &Measure) -> Option<u32> {
    vals.iter()
        .find(|v| v.figure == figure && v.year == year && &v.measure == m)
        .map(|v| v.value)
}

fn read_lines(lines: &[&str]) -> Vec<Value> {
    read_document(&Document::from_lines(FileKind::Docx, lines), &seed_config())
}

#[test]
fn a_rating_sentence_with_a_total_and_levels_after_their_words() {
    let s = "Năm 2019: 23/25 đảng viên được đánh giá, xếp loại, trong đó: hoàn thành xuất sắc \
             nhiệm vụ 3 đồng chí, hoàn thành tốt nhiệm vụ 15 đồng chí, hoàn thành nhiệm vụ 4 \
             đồng chí, không hoàn thành nhiệm vụ 1 đồng chí.";
    let v = read_lines(&[s]);
    let y = Some(2019);
    assert_eq!(get(&v, "dang-vien", y, &Measure::Rated), Some(23));
    assert_eq!(get(&v, "dang-vien", y, &Measure::Members), Some(25));
    assert_eq!(get(&v, "dang-vien", y, &lv("htxs")), Some(3));
    assert_eq!(get(&v, "dang-vien", y, &lv("htt")), Some(15));
    assert_eq!(get(&v, "dang-vien", y, &lv("ht")), Some(4));
    assert_eq!(get(&v, "dang-vien", y, &lv("kht")), Some(1));
    assert_eq!(v.len(), 6, "{v:#?}");
    assert!(
        v.iter()
            .all(|x| x.source == s && x.origin == Origin::Sentence)
    );
}

#[test]
fn abbreviations_counts_before_levels_and_percentages_skipped() {
    let v = read_lines(&[
        "Năm 2021, có 4 chi bộ HTXSNV (16%), 18 chi bộ HTTNV (72%), 3 chi bộ HTNV (12%), \
         không có chi bộ KHTNV.",
    ]);
    let y = Some(2021);
    assert_eq!(get(&v, "to-chuc-dang", y, &lv("htxs")), Some(4));
    assert_eq!(get(&v, "to-chuc-dang", y, &lv("htt")), Some(18));
    assert_eq!(get(&v, "to-chuc-dang", y, &lv("ht")), Some(3));
    assert_eq!(get(&v, "to-chuc-dang", y, &lv("kht")), None);
    assert!(!v.iter().any(|x| x.value == 16 || x.value == 72), "{v:#?}");
}

#[test]
fn unaccented_text_and_the_demo_wording_read_alike() {
    // How the demo units write it: total first, levels with their counts before them.
    let a = read_lines(&[
        "b) Đối với cá nhân: Năm 2022, tổng số đảng viên được đánh giá, xếp loại là 289 đồng \
         chí (miễn đánh giá 12 đồng chí); trong đó 43 đồng chí hoàn thành xuất sắc nhiệm vụ \
         (14,9%), 217 đồng chí hoàn thành tốt nhiệm vụ (75,1%), 15 đồng chí hoàn thành nhiệm \
         vụ (5,2%), 02 đồng chí không hoàn thành nhiệm vụ.",
    ]);
    let b = read_lines(&[
        "b) Doi voi ca nhan: Nam 2022, tong so dang vien duoc danh gia, xep loai la 289 dong \
         chi (mien danh gia 12 dong chi); trong do 43 dong chi hoan thanh xuat sac nhiem vu \
         (14,9%), 217 dong chi hoan thanh tot nhiem vu (75,1%), 15 dong chi hoan thanh nhiem \
         vu (5,2%), 02 dong chi khong hoan thanh nhiem vu.",
    ]);
    for v in [&a, &b] {
        let y = Some(2022);
        assert_eq!(get(v, "dang-vien", y, &Measure::Rated), Some(289), "{v:#?}");
        assert_eq!(get(v, "dang-vien", y, &lv("htxs")), Some(43));
        assert_eq!(get(v, "dang-vien", y, &lv("htt")), Some(217));
        assert_eq!(get(v, "dang-vien", y, &lv("ht")), Some(15));
        assert_eq!(get(v, "dang-vien", y, &lv("kht")), Some(2));
        assert_eq!(v.len(), 5, "{v:#?}");
    }
}

#[test]
fn organisations_in_the_demo_sentence_and_commendations_ignored() {
    let v = read_lines(&[
        "a) Đối với tập thể: Năm 2022, trong tổng số 05 tổ chức đảng trực thuộc có 01 tổ chức \
         đảng hoàn thành xuất sắc nhiệm vụ (20%), 03 hoàn thành tốt nhiệm vụ (60%), 01 hoàn \
         thành nhiệm vụ (20%) và 00 không hoàn thành nhiệm vụ.",
        "Giai đoạn 2018 - 2022, Đảng ủy đã khen thưởng 05 lượt tổ chức đảng và 201 lượt đảng \
         viên hoàn thành xuất sắc nhiệm vụ.",
        "Đề nghị cho phép chi bộ có dưới 10 đảng viên được xếp loại \"Hoàn thành xuất sắc \
         nhiệm vụ\" 01 đảng viên.",
    ]);
    let y = Some(2022);
    assert_eq!(get(&v, "to-chuc-dang", y, &Measure::Rated), Some(5));
    assert_eq!(get(&v, "to-chuc-dang", y, &lv("htxs")), Some(1));
    assert_eq!(get(&v, "to-chuc-dang", y, &lv("htt")), Some(3));
    assert_eq!(get(&v, "to-chuc-dang", y, &lv("ht")), Some(1));
    assert_eq!(get(&v, "to-chuc-dang", y, &lv("kht")), Some(0));
    assert_eq!(v.len(), 5, "{v:#?}");
}

#[test]
fn prose_without_numbers_names_what_the_next_numbers_count_whatever_lies_between() {
    // The last clause without numbers to name a thing decides; prose naming nothing, before
    // or after it, changes nothing.
    let v = read_lines(&[
        "Năm 2020:",
        "Về tập thể lãnh đạo, quản lý; về đảng viên; công tác được triển khai nghiêm túc.",
        "Nhìn chung các cấp ủy đã quan tâm.",
        "Trong đó: 3 HTXSNV, 40 HTTNV.",
    ]);
    assert_eq!(get(&v, "dang-vien", Some(2020), &lv("htxs")), Some(3));
    assert_eq!(get(&v, "dang-vien", Some(2020), &lv("htt")), Some(40));
    assert!(v.iter().all(|x| x.figure == "dang-vien"), "{v:#?}");
}

#[test]
fn a_year_line_heads_the_list_under_it_and_leaders_are_their_own_figure() {
    let v = read_lines(&[
        "Năm 2020:",
        "- Tập thể lãnh đạo, quản lý: 2 HTXSNV, 9 HTTNV, 1 HTNV.",
        "- Cán bộ lãnh đạo, quản lý: HTXSNV: 3; HTTNV: 20; HTNV: 2.",
        "Năm 2021:",
        "- Tập thể lãnh đạo, quản lý: 1 HTXSNV, 11 HTTNV.",
    ]);
    assert_eq!(
        get(&v, "tap-the-lanh-dao", Some(2020), &lv("htxs")),
        Some(2)
    );
    assert_eq!(get(&v, "tap-the-lanh-dao", Some(2020), &lv("htt")), Some(9));
    assert_eq!(get(&v, "tap-the-lanh-dao", Some(2020), &lv("ht")), Some(1));
    assert_eq!(
        get(&v, "ca-nhan-lanh-dao", Some(2020), &lv("htxs")),
        Some(3)
    );
    assert_eq!(
        get(&v, "ca-nhan-lanh-dao", Some(2020), &lv("htt")),
        Some(20)
    );
    assert_eq!(get(&v, "ca-nhan-lanh-dao", Some(2020), &lv("ht")), Some(2));
    assert_eq!(
        get(&v, "tap-the-lanh-dao", Some(2021), &lv("htt")),
        Some(11)
    );
    assert_eq!(v.len(), 8, "{v:#?}");
}

#[test]
fn a_period_and_a_self_assessment_without_numbers_give_nothing() {
    let v = read_lines(&[
        "Thực hiện báo cáo kết quả thực hiện từ năm 2018 đến nay như sau:",
        "Đảng bộ hiện có 16 chi bộ trực thuộc với 289 đảng viên.",
        "Chi bộ tự đánh giá, xếp loại năm 2022 đạt \"Hoàn thành tốt nhiệm vụ\".",
        "Năm 2022, 16/16 chi bộ và 289/301 đảng viên đã thực hiện kiểm điểm (đạt 96%).",
        "Báo cáo này thay thế Báo cáo số 02-BC/CB, ngày 25/01/2023 của Chi bộ do có sai sót về \
         số liệu đánh giá, xếp loại đảng viên năm 2022.",
    ]);
    assert!(
        v.iter().all(|x| !matches!(x.measure, Measure::Level(_))),
        "{v:#?}"
    );
    assert!(!v.iter().any(|x| x.measure == Measure::Rated), "{v:#?}");
}

fn table(caption: &str, rows: &[&[&str]]) -> Table {
    Table {
        name: None,
        caption: caption.into(),
        rows: rows
            .iter()
            .map(|r| {
                r.iter()
                    .map(|t| Cell {
                        text: t.to_string(),
                        merged: false,
                    })
                    .collect()
            })
            .collect(),
    }
}

#[test]
fn a_table_of_levels_by_years_with_group_rows() {
    let mut doc = Document::from_lines(FileKind::Docx, &[]);
    doc.tables.push(table(
        "Kết quả đánh giá, xếp loại chất lượng",
        &[
            &["TT", "Nội dung", "Năm 2020", "Năm 2021", "Năm 2022"],
            &["1", "Tổ chức đảng", "", "", ""],
            &["", "Số được đánh giá", "12", "12", "13"],
            &["", "HTXSNV", "2", "2", "3"],
            &["", "HTTNV", "9", "10", "9"],
            &["", "HTNV", "1", "0", "1"],
            &["", "KHTNV", "0", "0", "0"],
            &["2", "Đảng viên", "", "", ""],
            &["", "Hoàn thành xuất sắc nhiệm vụ", "30", "31", "35"],
            &["", "Hoàn thành tốt nhiệm vụ", "180", "190", "200"],
        ],
    ));
    let v = read_document(&doc, &seed_config());
    assert_eq!(
        get(&v, "to-chuc-dang", Some(2020), &Measure::Rated),
        Some(12)
    );
    assert_eq!(get(&v, "to-chuc-dang", Some(2022), &lv("htxs")), Some(3));
    assert_eq!(get(&v, "to-chuc-dang", Some(2021), &lv("htt")), Some(10));
    assert_eq!(get(&v, "to-chuc-dang", Some(2021), &lv("kht")), Some(0));
    assert_eq!(get(&v, "dang-vien", Some(2022), &lv("htxs")), Some(35));
    assert_eq!(get(&v, "dang-vien", Some(2020), &lv("htt")), Some(180));
    assert_eq!(v.len(), 21, "{v:#?}");
    let cell = v
        .iter()
        .find(|x| x.figure == "dang-vien" && x.year == Some(2022) && x.value == 35)
        .expect("value");
    assert_eq!(cell.origin, Origin::Table);
    assert!(cell.source.contains("Năm 2022"), "{}", cell.source);
    assert!(
        cell.source.contains("Hoàn thành xuất sắc"),
        "{}",
        cell.source
    );
}

#[test]
fn a_table_of_years_by_levels_with_the_figure_in_the_caption() {
    let mut doc = Document::from_lines(FileKind::Pdf, &[]);
    doc.tables.push(table(
        "Kết quả xếp loại đảng viên",
        &[
            &["Năm", "Tổng số", "HTXSNV", "HTTNV", "HTNV", "KHTNV"],
            &["2018", "40", "6", "30", "3", "1"],
            &["2019", "41", "7", "31", "3", "0"],
        ],
    ));
    let v = read_document(&doc, &seed_config());
    assert_eq!(get(&v, "dang-vien", Some(2018), &Measure::Rated), Some(40));
    assert_eq!(get(&v, "dang-vien", Some(2018), &lv("htxs")), Some(6));
    assert_eq!(get(&v, "dang-vien", Some(2019), &lv("htt")), Some(31));
    assert_eq!(get(&v, "dang-vien", Some(2019), &lv("kht")), Some(0));
    assert_eq!(v.len(), 10, "{v:#?}");
}

#[test]
fn checks_flag_sums_members_years_conflicts_and_the_twenty_percent_rule() {
    let cfg = seed_config();
    let v = read_lines(&[
        "Năm 2021: 30/25 đảng viên được đánh giá, xếp loại, trong đó HTXSNV 5 đồng chí, HTTNV \
         18 đồng chí, HTNV 2 đồng chí.",
        "Năm 2022: 20/25 đảng viên được đánh giá, xếp loại, trong đó HTXSNV 3 đồng chí, HTTNV \
         15 đồng chí, HTNV 2 đồng chí.",
        "Năm 2022, có 4 chi bộ HTXSNV.",
        "Năm 2022, có 5 chi bộ HTXSNV, 10 chi bộ HTTNV.",
    ]);
    // 30/25: more rated than members, but a/b with a > b is not read as a rating.
    let u = analyse("x", "Chi bộ X", v, &cfg);
    let kinds: Vec<FlagKind> = u.flags.iter().map(|f| f.kind).collect();
    assert!(kinds.contains(&FlagKind::YearMissing), "{:#?}", u.flags);
    assert!(kinds.contains(&FlagKind::Conflict), "{:#?}", u.flags);
    let missing = u
        .flags
        .iter()
        .find(|f| f.kind == FlagKind::YearMissing)
        .expect("flag");
    assert!(
        missing.text.contains("2018, 2019, 2020"),
        "{}",
        missing.text
    );
    // 2021: 5 HTXSNV against 18 HTTNV (at most 3) breaks the rule; 2022: 3 against 15 keeps it.
    assert_eq!(u.breaches.len(), 2, "{:#?}", u.breaches);
    let b = u
        .breaches
        .iter()
        .find(|b| b.figure == "dang-vien")
        .expect("breach");
    assert_eq!((b.count, b.of, b.allowed, b.year), (5, 18, 3, Some(2021)));
    // 2022 chi bộ: the first value (4) wins, 4 against 10 is above 2.
    let c = u
        .breaches
        .iter()
        .find(|b| b.figure == "to-chuc-dang")
        .expect("breach");
    assert_eq!((c.figure.as_str(), c.count, c.of), ("to-chuc-dang", 4, 10));
    // 2022 đảng viên: 3 + 15 + 2 = 20 adds up; make it not add up.
    let mut vals = u.values.clone();
    for x in &mut vals {
        if x.figure == "dang-vien" && x.year == Some(2022) && x.measure == Measure::Rated {
            x.value = 21;
        }
    }
    let u2 = analyse("x", "Chi bộ X", vals, &cfg);
    let f = u2
        .flags
        .iter()
        .find(|f| f.kind == FlagKind::NotAddingUp)
        .expect("not adding up");
    assert_eq!(f.year, Some(2022));
    assert!(f.text.contains("20") && f.text.contains("21"), "{}", f.text);
    let mut vals = u2.values.clone();
    vals.push(Value {
        figure: "dang-vien".into(),
        year: None,
        measure: Measure::Members,
        value: 19,
        origin: Origin::Sentence,
        source: String::new(),
    });
    vals.retain(|x| !(x.measure == Measure::Members && x.year.is_some()));
    let u3 = analyse("x", "Chi bộ X", vals, &cfg);
    assert!(
        u3.flags
            .iter()
            .any(|f| f.kind == FlagKind::MoreThanMembers && f.year == Some(2022)),
        "{:#?}",
        u3.flags
    );
    // The sentences, word for word: they go into the Vietnamese drafts whatever the run's
    // language.
    let texts: Vec<&str> = u
        .flags
        .iter()
        .chain(&u2.flags)
        .chain(&u3.flags)
        .map(|f| f.text.as_str())
        .chain(u.breaches.iter().map(|b| b.text.as_str()))
        .collect();
    for want in [
        "Tổ chức đảng năm 2022: số HTXSNV ghi hai số khác nhau (4 và 5); đã dùng số đầu tiên, cần kiểm tra.",
        "Chưa có kết quả xếp loại năm 2018, 2019, 2020 (báo cáo phải nêu từng năm).",
        "Đảng viên năm 2022: cộng các mức xếp loại được 20, khác số được đánh giá 21.",
        "Đảng viên năm 2022: số được đánh giá (21) nhiều hơn tổng số (19).",
        "Đảng viên năm 2021: 5 HTXSNV so với 18 HTTNV (tối đa 3, tức 20%) — vượt quy định.",
        "Tổ chức đảng năm 2022: 4 HTXSNV so với 10 HTTNV (tối đa 2, tức 20%) — vượt quy định.",
    ] {
        assert!(texts.contains(&want), "{want}\n{texts:#?}");
    }
}

#[test]
fn the_file_notes_read_as_before_in_the_vietnamese_catalogue() {
    let vi = crate::i18n::Catalogue::of(crate::i18n::Lang::Vi);
    let en = crate::i18n::Catalogue::of(crate::i18n::Lang::En);
    assert_eq!(
        vi.text("figures-ocr", &[]),
        "Số liệu đọc từ bản scan (OCR), cần đối chiếu với bản gốc."
    );
    assert_eq!(
        vi.text("figures-scan-no-text", &[]),
        "Báo cáo là bản scan chưa đọc được chữ; số liệu phải nhập tay."
    );
    assert_eq!(
        vi.text(
            "figures-unreadable",
            &[("path", crate::i18n::arg("a/b.docx"))]
        ),
        "Không đọc lại được tệp báo cáo a/b.docx; số liệu phải nhập tay."
    );
    assert_eq!(vi.text("figures-no-year", &[]), "(không rõ năm)");
    // The English catalogue has its own words for them.
    assert_eq!(en.text("figures-no-year", &[]), "(year unknown)");
}

#[test]
fn totals_add_units_per_figure_year_and_level() {
    let cfg = seed_config();
    let a = analyse(
        "a",
        "A",
        read_lines(&["Năm 2022: có 2 chi bộ HTXSNV, 8 chi bộ HTTNV."]),
        &cfg,
    );
    let b = analyse(
        "b",
        "B",
        read_lines(&["Năm 2022: có 1 chi bộ HTXSNV, 6 chi bộ HTTNV, 1 chi bộ HTNV."]),
        &cfg,
    );
    let t = totals(&[a, b]);
    let find = |m: &Measure| {
        t.iter()
            .find(|x| x.figure == "to-chuc-dang" && x.year == 2022 && &x.measure == m)
            .map(|x| (x.value, x.units))
    };
    assert_eq!(find(&lv("htxs")), Some((3, 2)));
    assert_eq!(find(&lv("htt")), Some((14, 2)));
    assert_eq!(find(&lv("ht")), Some((1, 1)));
}

#[test]
fn the_demo_reports_are_read_from_the_archive_with_their_breach() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (config, store) = crate::consolidate::tests::demo(dir.path());
    let c = config.campaign("809-CV-HU").expect("campaign");
    let at = chrono::DateTime::parse_from_rfc3339("2023-02-02T08:00:00+07:00").expect("time");
    let r = collect(&store, &config, c, at, None).expect("figures");
    let duc = r
        .units
        .iter()
        .find(|u| u.unit_id == "loc-duc")
        .expect("Lộc Đức");
    let y = Some(2022);
    assert_eq!(duc.get("dang-vien", y, &Measure::Rated), Some(277));
    assert_eq!(duc.get("dang-vien", y, &lv("htxs")), Some(43));
    assert_eq!(duc.get("to-chuc-dang", y, &Measure::Rated), Some(16));
    assert_eq!(duc.get("to-chuc-dang", y, &lv("htt")), Some(12));
    assert_eq!(duc.text_source.as_deref(), Some("native"));
    // The corrected report of THPT Lộc Thành counts (3 HTXSNV of 26), not the first (5 of 23).
    let thpt = r
        .units
        .iter()
        .find(|u| u.unit_id == "thpt-loc-thanh")
        .expect("THPT");
    assert_eq!(thpt.get("dang-vien", y, &lv("htxs")), Some(3));
    assert_eq!(thpt.get("dang-vien", y, &Measure::Rated), Some(26));
    // Quân sự: 1 tổ chức đảng HTXSNV against 4 HTTNV breaks the 20% rule.
    let breaches: Vec<(&str, &Breach)> = r.breaches().collect();
    assert_eq!(breaches.len(), 1, "{breaches:#?}");
    assert_eq!(breaches[0].1.figure, "to-chuc-dang");
    assert_eq!((breaches[0].1.count, breaches[0].1.of), (1, 4));
    // Totals are the sums of the units' values.
    for t in &r.totals {
        let sum: u32 = r
            .units
            .iter()
            .filter_map(|u| u.get(&t.figure, Some(t.year), &t.measure))
            .sum();
        assert_eq!(t.value, sum, "{t:?}");
    }
    let rated = r
        .total("dang-vien", 2022, &Measure::Rated)
        .expect("total rated");
    assert_eq!(
        rated.units,
        r.units
            .iter()
            .filter(|u| u.get("dang-vien", y, &Measure::Rated).is_some())
            .count()
    );
    // One unit only.
    let one = collect(&store, &config, c, at, Some("loc-duc")).expect("figures");
    assert_eq!(one.units.len(), 1);
}

fn fixture(path: &str) -> Document {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/docs");
    let bytes = std::fs::read(root.join(path)).expect("fixture");
    let name = path.rsplit('/').next().unwrap_or(path);
    crate::documents::extract(
        &crate::message::Part::from_file(name, bytes),
        &crate::documents::DocLimits::default(),
    )
}

/// The same report as Word, LibreOffice Word, Word 97, PDF text and a scan read by OCR: the
/// same figures, each from its sentence ("03/18 chi bộ hoàn thành xuất sắc nhiệm vụ").
#[test]
fn every_document_kind_gives_the_same_figures() {
    let cfg = seed_config();
    let mut kinds = vec![
        "docx/bc-loc-an.docx",
        "docx/bc-loc-an-lo.docx",
        "doc/bc-loc-an.doc",
        "pdf/bc-loc-an-lo.pdf",
    ];
    if crate::documents::ocr_available() {
        kinds.push("pdf/scan-bc-loc-an.pdf");
    }
    for f in kinds {
        let d = fixture(f);
        let v = read_document(&d, &cfg);
        let y = Some(2022);
        assert_eq!(
            get(&v, "to-chuc-dang", y, &lv("htxs")),
            Some(3),
            "{f}: {v:#?}"
        );
        assert_eq!(
            get(&v, "to-chuc-dang", y, &Measure::Members),
            Some(18),
            "{f}"
        );
        assert_eq!(get(&v, "dang-vien", y, &lv("htxs")), Some(58), "{f}");
        assert_eq!(get(&v, "dang-vien", y, &Measure::Members), Some(396), "{f}");
        assert_eq!(v.len(), 4, "{f}: {v:#?}");
        assert!(v[0].source.contains("03/18"), "{f}: {}", v[0].source);
    }
}

/// Text typed in TCVN3 reads the same once converted (what the documents stage does).
#[test]
fn tcvn3_text_gives_the_same_figures_once_converted() {
    use crate::documents::vnlegacy::tcvn3_to_unicode;
    let text = "Năm 2021: 23/25 đảng viên được đánh giá, xếp loại, trong đó: hoàn thành xuất sắc \
                nhiệm vụ 3 đồng chí, hoàn thành tốt nhiệm vụ 18 đồng chí, hoàn thành nhiệm vụ 2 \
                đồng chí.";
    // Encode into TCVN3 by inverting the converter on single bytes.
    let table: Vec<(char, String)> = (0u32..=255)
        .filter_map(char::from_u32)
        .map(|c| (c, tcvn3_to_unicode(&c.to_string(), false)))
        .collect();
    let legacy: String = text
        .chars()
        .map(|ch| {
            table
                .iter()
                .find(|(_, u)| u.chars().eq(std::iter::once(ch)))
                .map(|(c, _)| *c)
                .unwrap_or(ch)
        })
        .collect();
    assert_ne!(legacy, text);
    let back = tcvn3_to_unicode(&legacy, false);
    assert_eq!(back, text);
    let v = read_lines(&[&back]);
    let y = Some(2021);
    assert_eq!(get(&v, "dang-vien", y, &Measure::Rated), Some(23));
    assert_eq!(get(&v, "dang-vien", y, &lv("htxs")), Some(3));
    assert_eq!(get(&v, "dang-vien", y, &lv("htt")), Some(18));
    assert_eq!(get(&v, "dang-vien", y, &lv("ht")), Some(2));
}
