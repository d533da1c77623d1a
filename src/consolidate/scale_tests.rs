//! The drafts at scale: a generated 40-unit campaign (reports with varied wording, figures for
//! five years in sentences of several shapes and in tables) must give a Word draft of at most
//! 12 A4 pages with no paragraph twice, and totals in the draft and the workbook equal to the
//! sum of the figures read.

use std::time::Instant;

use super::*;
use crate::documents::{Cell, Document, Table};
use crate::figures::{self, Measure};
use crate::message::FileKind;

/// A small deterministic generator (no dependency, same text on every run).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len() as u64) as usize]
    }
}

const COMMUNES: &[&str] = &[
    "Lộc An",
    "Lộc Bắc",
    "Lộc Bảo",
    "Lộc Đức",
    "Lộc Lâm",
    "Lộc Nam",
    "Lộc Ngãi",
    "Lộc Phú",
    "Lộc Quảng",
    "Lộc Tân",
    "Lộc Thành",
    "Tân Lạc",
    "B'Lá",
    "Lộc Thắng",
    "Lộc Hòa",
    "Lộc Sơn",
    "Lộc Châu",
    "Lộc Nga",
    "Lộc Thanh",
    "Đại Lào",
    "Đam Bri",
    "Lộc Phát",
    "Lộc Tiến",
    "Lộc Quang",
    "Lộc Hưng",
    "Lộc Đông",
    "Lộc Tây",
    "Lộc Trung",
    "Lộc Hải",
    "Lộc Minh",
];
const OFFICES: &[&str] = &[
    "Phòng Giáo dục và Đào tạo",
    "Trường THPT Lộc Thành",
    "Trường THPT Bảo Lâm",
    "Công an huyện",
    "Ban Chỉ huy Quân sự huyện",
    "Trung tâm Y tế huyện",
    "Phòng Tài chính - Kế hoạch",
    "Kho bạc Nhà nước huyện",
    "Chi cục Thuế khu vực",
    "Bệnh viện Đa khoa huyện",
];

/// What one generated unit reports.
struct Gen {
    name: String,
    short: String,
    sections: Vec<(String, String)>,
    doc: Document,
}

const LEVELS: [&str; 4] = [
    "hoàn thành xuất sắc nhiệm vụ",
    "hoàn thành tốt nhiệm vụ",
    "hoàn thành nhiệm vụ",
    "không hoàn thành nhiệm vụ",
];

/// Counts for one year: [HTXS, HTT, HT, KHT], HTXS within 20% of HTT except when `breach`.
fn counts(rng: &mut Lcg, total: u64, breach: bool) -> [u64; 4] {
    let kht = rng.below(2).min(total / 10);
    let ht = 1 + rng.below(total / 8 + 1);
    let rest = total.saturating_sub(kht + ht);
    let mut xs = rest / 7;
    if breach {
        xs = rest / 3;
    }
    [xs, rest - xs, ht, kht]
}

fn generate(i: usize, rng: &mut Lcg, doc_lines: &mut Vec<String>) -> Gen {
    let chi_bo = i >= COMMUNES.len();
    let (name, short) = if chi_bo {
        let o = OFFICES[i - COMMUNES.len()];
        (format!("Chi bộ {o}"), o.to_string())
    } else {
        let c = COMMUNES[i];
        (format!("Đảng ủy xã {c}"), c.to_string())
    };
    let who = if chi_bo {
        "Chi ủy"
    } else {
        "Ban Thường vụ Đảng ủy"
    };
    let members = if chi_bo {
        10 + rng.below(25)
    } else {
        150 + rng.below(300)
    };
    let orgs = if chi_bo { 0 } else { 8 + rng.below(15) };
    let mut s: Vec<(String, String)> = Vec::new();
    let mut put = |id: &str, text: String| s.push((id.to_string(), text));

    put(
        "I.1",
        format!(
            "{} Giai đoạn 2018 - 2022, {who} đã ban hành {:02} văn bản lãnh đạo, chỉ đạo công tác \
             kiểm điểm, đánh giá, xếp loại chất lượng (chi tiết tại Biểu số 1 kèm theo). {}",
            rng.pick(&[
                "Ngay sau khi có Quy định 132-QĐ/TW và Hướng dẫn 21-HD/BTCTW, cấp ủy đã tổ chức quán triệt đến cán bộ, đảng viên; đồng thời triển khai kịp thời các văn bản của cấp trên.",
                "Cấp ủy đã tổ chức quán triệt Quy định 132-QĐ/TW và Hướng dẫn 21-HD/BTCTW đến toàn thể cán bộ, đảng viên và triển khai kịp thời các văn bản hướng dẫn của cấp trên.",
                "Ngay sau khi có Quy định 132-QĐ/TW và Hướng dẫn 21-HD/BTCTW, cấp ủy đã tổ chức quán triệt đến cán bộ, đảng viên; đồng thời triển khai kịp thời các văn bản của cấp trên.",
            ]),
            6 + rng.below(10),
            rng.pick(&[
                "Cấp ủy phân công cấp ủy viên phụ trách, dự và chỉ đạo hội nghị kiểm điểm ở các chi bộ.",
                "Cấp ủy phân công cấp ủy viên phụ trách, dự và chỉ đạo hội nghị kiểm điểm ở các chi bộ.",
                "Văn phòng cấp ủy theo dõi, tổng hợp kết quả kiểm điểm ở các chi bộ trực thuộc.",
                "Cấp ủy ban hành quy chế phối hợp trong việc nhận xét đảng viên nơi cư trú.",
            ]),
        ),
    );
    put(
        "I.2.1",
        format!(
            "{} Năm 2022, {}/{members} đảng viên đã thực hiện kiểm điểm.",
            rng.pick(&[
                "Hằng năm, cấp ủy ban hành kế hoạch và gợi ý kiểm điểm đối với tập thể, cá nhân có hạn chế, khuyết điểm; dự thảo báo cáo kiểm điểm được gửi lấy ý kiến góp ý trước khi tổ chức hội nghị.",
                "Hằng năm, cấp ủy ban hành kế hoạch và gợi ý kiểm điểm đối với tập thể, cá nhân có hạn chế, khuyết điểm; dự thảo báo cáo kiểm điểm được gửi lấy ý kiến góp ý trước khi tổ chức hội nghị.",
                "Việc kiểm điểm được chuẩn bị chu đáo, báo cáo kiểm điểm được gửi lấy ý kiến góp ý của các chi bộ và đoàn thể trước hội nghị.",
            ]),
            members - rng.below(5),
        ),
    );
    // Figures for five years, each unit in one of three shapes.
    let shape = i % 3;
    let mut fig_lines: Vec<String> = Vec::new();
    let breach_year = (i % 13 == 5).then_some(2020);
    let mut table_rows: Vec<Vec<String>> = vec![vec![
        "Năm".into(),
        "Tổng số".into(),
        "HTXSNV".into(),
        "HTTNV".into(),
        "HTNV".into(),
        "KHTNV".into(),
    ]];
    for y in 2018..=2022 {
        let rated = members - rng.below(6);
        let c = counts(rng, rated, breach_year == Some(y));
        match shape {
            0 => fig_lines.push(format!(
                "Năm {y}: {rated}/{members} đảng viên được đánh giá, xếp loại, trong đó: {} {} \
                 đồng chí, {} {} đồng chí, {} {} đồng chí, {} {} đồng chí.",
                LEVELS[0], c[0], LEVELS[1], c[1], LEVELS[2], c[2], LEVELS[3], c[3]
            )),
            1 => fig_lines.push(format!(
                "Năm {y}, tổng số đảng viên được đánh giá, xếp loại là {rated} đồng chí; trong \
                 đó {:02} đồng chí HTXSNV, {:02} đồng chí HTTNV, {:02} đồng chí HTNV, {:02} \
                 đồng chí KHTNV.",
                c[0], c[1], c[2], c[3]
            )),
            _ => table_rows.push(vec![
                y.to_string(),
                rated.to_string(),
                c[0].to_string(),
                c[1].to_string(),
                c[2].to_string(),
                c[3].to_string(),
            ]),
        }
        if orgs > 0 {
            let o = counts(rng, orgs, false);
            fig_lines.push(format!(
                "Năm {y}, có {} chi bộ HTXSNV, {} chi bộ HTTNV, {} chi bộ HTNV, {} chi bộ KHTNV.",
                o[0], o[1], o[2], o[3]
            ));
        }
    }
    let intro = format!(
        "Kết quả đánh giá, xếp loại chất lượng từ năm 2018 đến năm 2022 của {name} như sau{}",
        if shape == 2 {
            " (bảng dưới đây)."
        } else {
            ":"
        }
    );
    put(
        "I.2.2",
        std::iter::once(intro)
            .chain(fig_lines.iter().cloned())
            .collect::<Vec<_>>()
            .join("\n"),
    );
    put(
        "II.1",
        rng.pick(&[
            "Các chi bộ trực thuộc tổ chức kiểm điểm trong tháng 12 hằng năm; cấp ủy kiểm điểm và xếp loại tổ chức đảng, đảng viên trước ngày 31/01 năm sau, bảo đảm đúng thời gian theo hướng dẫn.",
            "Các chi bộ trực thuộc tổ chức kiểm điểm trong tháng 12 hằng năm; cấp ủy kiểm điểm và xếp loại tổ chức đảng, đảng viên trước ngày 31/01 năm sau, bảo đảm đúng thời gian theo hướng dẫn.",
            "Chi bộ tổ chức kiểm điểm vào tháng 12 hằng năm, trong khi đánh giá viên chức thực hiện theo năm học nên một số nội dung phải đánh giá hai lần.",
        ])
        .to_string(),
    );
    put(
        "II.2",
        format!(
            "Kết quả đánh giá, xếp loại được thông báo công khai tại hội nghị chi bộ, gửi đến \
             từng đảng viên và báo cáo Ban Tổ chức Huyện ủy; là căn cứ để bình xét thi đua, khen \
             thưởng, quy hoạch, đào tạo và bố trí cán bộ của {name}."
        ),
    );
    put(
        "II.3",
        rng.pick(&[
            "Từ năm 2018 đến nay không có trường hợp bảo lưu ý kiến hoặc khiếu nại về kết quả đánh giá, xếp loại chất lượng.",
            "Từ năm 2018 đến nay không có trường hợp bảo lưu ý kiến hoặc khiếu nại về kết quả đánh giá, xếp loại chất lượng.",
            "Không có trường hợp bảo lưu ý kiến, khiếu nại.",
        ])
        .to_string(),
    );
    put(
        "II.4",
        "Hồ sơ kiểm điểm, đánh giá, xếp loại được lưu trữ theo quy định, không để thất lạc."
            .to_string(),
    );
    put(
        "II.5",
        rng.pick(&[
            "Ủy ban Kiểm tra giám sát việc kiểm điểm tại các chi bộ mỗi năm; qua giám sát đã nhắc nhở các chi bộ chuẩn bị chưa kỹ báo cáo kiểm điểm.",
            "Ủy ban Kiểm tra giám sát việc kiểm điểm tại các chi bộ mỗi năm; qua giám sát đã nhắc nhở các chi bộ chuẩn bị chưa kỹ báo cáo kiểm điểm.",
            "Cấp ủy phân công đồng chí Phó Bí thư theo dõi, đôn đốc việc kiểm điểm.",
        ])
        .to_string(),
    );
    put(
        "II.6",
        format!(
            "Giai đoạn 2018 - 2022, cấp ủy đã khen thưởng {:02} lượt tổ chức đảng và {} lượt \
             đảng viên hoàn thành xuất sắc nhiệm vụ.",
            rng.below(6),
            5 + rng.below(40)
        ),
    );
    put(
        "III.5",
        rng.pick(&[
            "Công khai kết quả xếp loại đảng viên tại bảng tin để nhân dân giám sát.",
            "Công khai kết quả xếp loại đảng viên tại bảng tin để nhân dân giám sát.",
            "Gắn kết quả đánh giá đảng viên với sản phẩm cụ thể hằng tháng.",
            "Lấy ý kiến nhận xét của chi ủy nơi cư trú trước khi xếp loại.",
        ])
        .to_string(),
    );
    put(
        "III.1",
        format!(
            "Công tác kiểm điểm tự phê bình và phê bình được tiến hành nghiêm túc, đúng quy \
             trình; việc đánh giá, xếp loại chất lượng cơ bản phản ánh đúng thực chất, gắn với \
             kết quả thực hiện nhiệm vụ chính trị của {}.",
            name.to_lowercase()
        ),
    );
    // About one unit in three adds a remark of its own (combined from parts, so no two read
    // the same), which the draft must keep with the unit's name.
    if rng.below(3) == 0 {
        let remark = format!(
            "Riêng năm {}, {} {} {} đảng viên {}.",
            2018 + rng.below(5),
            rng.pick(&["cấp ủy đã", "đơn vị đã", "chi ủy đã"]),
            rng.pick(&[
                "tổ chức kiểm điểm bổ sung cho",
                "nhắc nhở, giúp đỡ",
                "giao nhiệm vụ cụ thể cho",
                "xem xét lại kết quả xếp loại của",
            ]),
            1 + rng.below(9),
            rng.pick(&[
                "đi làm ăn xa chưa tham gia sinh hoạt",
                "có đơn thư phản ánh về tư cách",
                "mới chuyển sinh hoạt đến",
                "là cán bộ lãnh đạo chủ chốt",
                "vi phạm quy định về sinh hoạt đảng",
            ])
        );
        put("III.2", remark);
    }
    put(
        "III.2",
        rng.pick(&[
            "Việc lấy ý kiến góp ý của quần chúng đối với đảng viên ở một số chi bộ còn hình thức.",
            "Việc lấy ý kiến góp ý của quần chúng đối với đảng viên ở một số chi bộ còn hình thức.",
            "Một số đảng viên chưa chủ động tự phê bình; việc góp ý còn nể nang, né tránh.",
            "Một số đảng viên chưa chủ động tự phê bình; việc góp ý còn nể nang, né tránh.",
            "Việc đánh giá, xếp loại ở một số chi bộ còn chạy theo tỷ lệ.",
        ])
        .to_string(),
    );
    put(
        "III.3",
        rng.pick(&[
            "Tiêu chí đánh giá tập thể lãnh đạo, quản lý ở cấp cơ sở còn chung chung, khó phân định mức độ hoàn thành.",
            "Tiêu chí đánh giá tập thể lãnh đạo, quản lý ở cấp cơ sở còn chung chung, khó phân định mức độ hoàn thành.",
            "Chi bộ có ít đảng viên nên việc áp dụng tỷ lệ 20% gặp khó khăn.",
        ])
        .to_string(),
    );
    put(
        "III.4",
        "Cấp ủy phải chuẩn bị chu đáo, gợi ý kiểm điểm cụ thể; người đứng đầu gương mẫu tự \
         phê bình và phê bình; kết quả đánh giá phải gắn với sản phẩm cụ thể."
            .to_string(),
    );
    put(
        "IV.1",
        rng.pick(&[
            "Đề nghị cho phép chi bộ có dưới 10 đảng viên được xếp loại \"Hoàn thành xuất sắc nhiệm vụ\" 01 đảng viên.",
            "Đề nghị cho phép chi bộ có dưới 10 đảng viên được xếp loại \"Hoàn thành xuất sắc nhiệm vụ\" 01 đảng viên.",
            "Đề nghị quy định cụ thể các trường hợp không xếp loại khi tổ chức đảng có đảng viên vi phạm.",
        ])
        .to_string(),
    );
    put(
        "IV.2",
        format!(
            "{} Ý kiến cụ thể tại Biểu số 2, 3, 4 kèm theo.",
            rng.pick(&[
                "Đề nghị ban hành hướng dẫn chấm điểm thống nhất cho các loại hình chi bộ.",
                "Đề nghị ban hành hướng dẫn chấm điểm thống nhất cho các loại hình chi bộ.",
                "Đề nghị cho phép tổ chức hội nghị kiểm điểm trực tuyến đối với đảng viên đi làm ăn xa.",
            ])
        ),
    );
    // The report as a document: its paragraphs, and a table for units of the third shape.
    doc_lines.clear();
    for (_, t) in &s {
        doc_lines.extend(t.lines().map(str::to_string));
    }
    let refs: Vec<&str> = doc_lines.iter().map(String::as_str).collect();
    let mut doc = Document::from_lines(FileKind::Docx, &refs);
    if shape == 2 {
        doc.tables.push(Table {
            name: None,
            caption: "Kết quả xếp loại đảng viên".into(),
            rows: table_rows
                .iter()
                .map(|r| {
                    r.iter()
                        .map(|t| Cell {
                            text: t.clone(),
                            merged: false,
                        })
                        .collect()
                })
                .collect(),
        });
    }
    Gen {
        name,
        short,
        sections: s,
        doc,
    }
}

/// The demo's model with 40 generated units instead of the demo's nine.
fn forty_units(dir: &std::path::Path) -> (Consolidation, Vec<Gen>) {
    let (config, store) = super::tests::demo(dir);
    let c = config.campaign("809-CV-HU").expect("campaign");
    let at = DateTime::parse_from_rfc3339("2023-02-02T08:00:00+07:00").expect("time");
    let mut m = build(&store, &config, c, at).expect("build");
    let mut rng = Lcg(2023);
    let mut lines = Vec::new();
    let gens: Vec<Gen> = (0..COMMUNES.len() + OFFICES.len())
        .map(|i| generate(i, &mut rng, &mut lines))
        .collect();
    m.units = gens
        .iter()
        .enumerate()
        .map(|(i, g)| UnitEntry {
            id: format!("u{i}"),
            name: g.name.clone(),
            short_name: g.short.clone(),
            state: State::CompleteOnTime,
            items: Vec::new(),
            report: ReportUse::Sections,
        })
        .collect();
    m.figures = Figures {
        total: gens.len(),
        reported: gens.len(),
        complete: gens.len(),
        late: Vec::new(),
        missing: Vec::new(),
        partial: Vec::new(),
    };
    for e in &mut m.outline {
        e.texts = gens
            .iter()
            .filter_map(|g| {
                let t: Vec<&str> = g
                    .sections
                    .iter()
                    .filter(|(id, _)| *id == e.id)
                    .map(|(_, t)| t.as_str())
                    .collect();
                (!t.is_empty()).then(|| (g.name.clone(), t.join("\n")))
            })
            .collect();
    }
    m.whole_reports.clear();
    m.scanned_reports.clear();
    m.grids.clear();
    m.tallies.clear();
    let per_unit: Vec<figures::UnitFigures> = gens
        .iter()
        .enumerate()
        .map(|(i, g)| {
            figures::analyse(
                &format!("u{i}"),
                &g.name,
                figures::read::read_document(&g.doc, &c.figures),
                &c.figures,
            )
        })
        .collect();
    m.ratings = figures::report(c, per_unit);
    (m, gens)
}

#[test]
fn forty_units_fit_in_twelve_pages_with_no_paragraph_twice_and_totals_that_add_up() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (m, gens) = forty_units(&dir.path().join("data"));
    assert_eq!(m.units.len(), 40);

    // Every unit's figures were read: five years of đảng viên, each level.
    for (u, g) in m.ratings.units.iter().zip(&gens) {
        for y in 2018..=2022 {
            for l in ["htxs", "htt", "ht", "kht"] {
                assert!(
                    u.get("dang-vien", Some(y), &Measure::Level(l.into()))
                        .is_some(),
                    "{} {y} {l}: {:#?}",
                    g.name,
                    u.values
                );
            }
        }
        assert!(
            !u.flags
                .iter()
                .any(|f| f.kind == figures::FlagKind::NotAddingUp),
            "{}: {:?}",
            g.name,
            u.flags
        );
    }
    // Units 5, 18 and 31 were generated above 20% in 2020.
    let breached: Vec<&str> = m
        .ratings
        .breaches()
        .filter(|(_, b)| b.figure == "dang-vien")
        .map(|(u, _)| u)
        .collect();
    assert_eq!(
        breached,
        vec![
            gens[5].name.as_str(),
            gens[18].name.as_str(),
            gens[31].name.as_str()
        ]
    );

    let started = Instant::now();
    let (docx, stats) = docx::write_with_stats(&m).expect("docx");
    let xlsx = xlsx::write(&m).expect("xlsx");
    let took = started.elapsed();

    let (_, dname) = file_names("40-don-vi");
    let path = dir.path().join(&dname);
    std::fs::write(&path, &docx).expect("write");
    std::fs::write(dir.path().join("tong-hop-40-don-vi.xlsx"), &xlsx).expect("write");
    let pages = super::tests::printed_pages(&path);
    eprintln!(
        "40 đơn vị: {pages} trang; {}/{} đoạn của các đơn vị được gộp ({}%); lập hai tệp mất {} ms",
        stats.merged,
        stats.paragraphs,
        stats.merged * 100 / stats.paragraphs.max(1),
        took.as_millis()
    );
    if let Ok(out) = std::env::var("BAOCAO_KEEP_DRAFTS") {
        let out = std::path::Path::new(&out);
        std::fs::create_dir_all(out).expect("dir");
        std::fs::write(out.join(&dname), &docx).expect("keep");
        std::fs::write(out.join("tong-hop-40-don-vi.xlsx"), &xlsx).expect("keep");
    }
    assert!(pages <= 12, "{pages} pages for 40 units");

    // No paragraph twice in the body.
    let doc = crate::documents::extract(
        &crate::message::Part::from_file(&dname, docx.clone()),
        &crate::documents::DocLimits::default(),
    );
    let paras: Vec<String> = doc
        .paragraphs
        .iter()
        .map(|p| p.text.trim().to_string())
        .filter(|p| p.len() > 20)
        .collect();
    let mut seen = std::collections::HashSet::new();
    for p in &paras {
        assert!(seen.insert(p.clone()), "twice: {p}");
    }
    assert!(stats.merged * 2 > stats.paragraphs, "{stats:?}");

    // Totals: the sum of the figures read, in the draft's table and the workbook's cells.
    let all = doc.text();
    for y in 2018..=2022 {
        let sum = |l: &str| -> u32 {
            m.ratings
                .units
                .iter()
                .filter_map(|u| u.get("dang-vien", Some(y), &Measure::Level(l.into())))
                .sum()
        };
        let t = m
            .ratings
            .total("dang-vien", y, &Measure::Level("htt".into()))
            .expect("total");
        assert_eq!(t.value, sum("htt"));
        assert_eq!(t.units, 40);
        assert!(
            all.contains(&format!("{} (", sum("htt"))),
            "{y}: {}",
            sum("htt")
        );
    }
    use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
    let mut wb: Xlsx<_> =
        open_workbook_from_rs(std::io::Cursor::new(xlsx)).expect("workbook reads");
    let range = wb
        .worksheet_range(xlsx::FIGURES_SHEET)
        .expect("figures sheet");
    let mut checked = 0;
    for r in range.rows() {
        if r.first().map(|d| d.to_string()).as_deref() == Some("Tổng cộng")
            && r.get(1).map(|d| d.to_string()).as_deref() == Some("Đảng viên")
        {
            let y = match r.get(2) {
                Some(Data::Float(f)) => *f as i32,
                other => panic!("year {other:?}"),
            };
            for (k, l) in ["htxs", "htt", "ht", "kht"].iter().enumerate() {
                let want: u32 = m
                    .ratings
                    .units
                    .iter()
                    .filter_map(|u| u.get("dang-vien", Some(y), &Measure::Level((*l).into())))
                    .sum();
                assert_eq!(r.get(4 + k), Some(&Data::Float(f64::from(want))), "{y} {l}");
            }
            checked += 1;
        }
    }
    assert_eq!(checked, 5);
}
