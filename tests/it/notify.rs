//! Reminders and the schedule on the demo data (no server): who is reminded of what, which
//! slots are planned, extensions, and that nothing is queued twice.

use crate::support::{TestDir, baocao, baocao_raw, json, ok, root, shipped_config};

/// The demo's sample mail ingested into a fresh data folder (nothing sent yet).
fn demo_data(t: &TestDir) -> std::path::PathBuf {
    let data = t.join("data");
    let mail = root().join("demo/mail");
    ok(baocao(&data, &["ingest", mail.to_str().expect("utf-8")]));
    data
}

#[test]
fn remind_dry_run_lists_exactly_the_units_that_miss_something_with_exactly_their_items() {
    let t = TestDir::new();
    let data = demo_data(&t);
    let now = "2023-01-28T08:00:00+07:00";
    let plans = json(baocao(
        &data,
        &["--now", now, "remind", "--dry-run", "--json"],
    ));
    let status = json(baocao(&data, &["--now", now, "status", "--json"]));
    let expected: Vec<(String, Vec<String>)> = status["units"]
        .as_array()
        .expect("units")
        .iter()
        .filter(|u| !u["missing"].as_array().expect("missing").is_empty())
        .map(|u| {
            (
                u["id"].as_str().expect("id").to_string(),
                u["missing"]
                    .as_array()
                    .expect("missing")
                    .iter()
                    .map(|m| m.as_str().expect("item").to_string())
                    .collect(),
            )
        })
        .collect();
    let got: Vec<(String, Vec<String>)> = plans
        .as_array()
        .expect("array")
        .iter()
        .map(|p| {
            (
                p["unit_id"].as_str().expect("id").to_string(),
                p["missing"]
                    .as_array()
                    .expect("missing")
                    .iter()
                    .map(|m| m.as_str().expect("item").to_string())
                    .collect(),
            )
        })
        .collect();
    assert_eq!(got, expected);
    // The demo has complete units and partial ones at that moment: the list is a real filter.
    let total = status["units"].as_array().expect("units").len();
    assert!(got.len() < total, "{} of {total}", got.len());
    let loc_an = plans
        .as_array()
        .expect("array")
        .iter()
        .find(|p| p["unit_id"] == "loc-an")
        .expect("Lộc An still misses a form on 28/01");
    assert_eq!(
        loc_an["addresses"],
        serde_json::json!(["danguylocan@gmail.com"])
    );
    assert!(
        !loc_an["missing"]
            .as_array()
            .expect("missing")
            .iter()
            .any(|m| m == "report"),
        "{loc_an}"
    );
    // A dry run queues nothing.
    let outbox = json(baocao(&data, &["outbox", "--json"]));
    assert_eq!(outbox.as_array().map(Vec::len), Some(0), "{outbox}");
}

#[test]
fn the_planned_slots_skip_weekends_and_holidays_and_a_missed_slot_is_caught_up_once() {
    let t = TestDir::new();
    let data = demo_data(&t);
    let cfg = std::fs::read_to_string(shipped_config()).expect("config");
    let holidays: Vec<String> = cfg
        .lines()
        .find(|l| l.starts_with("holidays"))
        .expect("holidays line")
        .split('"')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect();
    assert!(!holidays.is_empty());
    let s = json(baocao(
        &data,
        &["--now", "2023-01-10T08:00:00+07:00", "schedule", "--json"],
    ));
    let slots = s["campaigns"][0]["slots"].as_array().expect("slots");
    assert!(slots.len() >= 2, "{s}");
    for slot in slots {
        let at = chrono::DateTime::parse_from_rfc3339(slot["at"].as_str().expect("at"))
            .expect("rfc3339");
        let day = at.date_naive();
        use chrono::Datelike as _;
        assert!(
            !matches!(day.weekday(), chrono::Weekday::Sat | chrono::Weekday::Sun),
            "{slot}"
        );
        assert!(
            !holidays.contains(&day.format("%Y-%m-%d").to_string()),
            "{slot}"
        );
    }
    // Plan days 5, 2, 1 before 30/01 fall on Tết and the weekend: they were moved, not lost.
    assert!(slots.iter().any(|s| !s["moved_from"].is_null()), "{s}");

    // The scheduler runs for the first time long after two slots: one reminder per unit, for
    // the latest slot only; running again at the same moment or later the same day adds none.
    let once = |now: &str| json(baocao(&data, &["--now", now, "--json", "run", "--once"]));
    let first = once("2023-01-27T09:00:00+07:00");
    let n = first["tick"]["reminders"]
        .as_array()
        .expect("reminders")
        .len();
    assert!(n > 0, "{first}");
    let slots_used: std::collections::BTreeSet<&str> = first["tick"]["reminders"]
        .as_array()
        .expect("reminders")
        .iter()
        .map(|r| r["slot"].as_str().expect("slot"))
        .collect();
    assert_eq!(
        slots_used.into_iter().collect::<Vec<_>>(),
        ["2023-01-27T08:00:00+07:00"]
    );
    for now in ["2023-01-27T09:00:00+07:00", "2023-01-27T15:00:00+07:00"] {
        let again = once(now);
        assert_eq!(again["tick"]["reminders"], serde_json::json!([]), "{again}");
    }
    let outbox = json(baocao(&data, &["outbox", "--kind", "reminder", "--json"]));
    assert_eq!(outbox.as_array().map(Vec::len), Some(n));
    // At night nothing planned goes out; the next morning's overdue slot (31/01) does.
    let night = once("2023-01-31T06:00:00+07:00");
    assert_eq!(night["tick"]["reminders"], serde_json::json!([]), "{night}");
    let morning = once("2023-01-31T08:30:00+07:00");
    assert!(
        !morning["tick"]["reminders"]
            .as_array()
            .expect("reminders")
            .is_empty(),
        "{morning}"
    );
}

#[test]
fn an_extension_moves_a_units_reminders_and_its_lateness() {
    let t = TestDir::new();
    let data = demo_data(&t);
    // The shipped config with Lộc An given until 03/02.
    let cfg = t.join("config");
    std::fs::create_dir_all(cfg.join("campaigns")).expect("mkdir");
    std::fs::copy(shipped_config(), cfg.join("baocao.toml")).expect("copy");
    std::fs::copy(root().join("config/units.csv"), cfg.join("units.csv")).expect("copy");
    let camp =
        std::fs::read_to_string(root().join("config/campaigns/809-CV-HU.toml")).expect("campaign");
    std::fs::write(
        cfg.join("campaigns/809-CV-HU.toml"),
        camp.replace("# loc-ngai = 2023-02-03", "loc-an = 2023-02-03"),
    )
    .expect("write");
    let cfg_file = cfg.join("baocao.toml");
    let run = |args: &[&str]| {
        let mut all = vec![
            "--config",
            cfg_file.to_str().expect("utf-8"),
            "--data",
            data.to_str().expect("utf-8"),
        ];
        all.extend_from_slice(args);
        json(baocao_raw(&all))
    };
    let s = run(&["--now", "2023-01-20T08:00:00+07:00", "schedule", "--json"]);
    let ext = &s["campaigns"][0]["extensions"]["loc-an"];
    assert_eq!(ext["deadline"], "2023-02-03T23:59:59+07:00", "{s}");
    assert_eq!(
        ext["slots"],
        serde_json::json!([
            "2023-01-27T08:00:00+07:00",
            "2023-02-01T08:00:00+07:00",
            "2023-02-02T08:00:00+07:00"
        ])
    );
    // 27/01 is a slot for everybody; on 31/01 (overdue for everybody else) Lộc An, whose next
    // slot is 01/02, is not sent an overdue notice.
    let r = run(&[
        "--now",
        "2023-01-27T08:30:00+07:00",
        "--json",
        "run",
        "--once",
    ]);
    assert!(
        r["tick"]["reminders"]
            .as_array()
            .expect("reminders")
            .iter()
            .any(|x| x["unit"] == "loc-an"),
        "{r}"
    );
    let r = run(&[
        "--now",
        "2023-01-31T08:30:00+07:00",
        "--json",
        "run",
        "--once",
    ]);
    let units: Vec<&str> = r["tick"]["reminders"]
        .as_array()
        .expect("reminders")
        .iter()
        .map(|x| x["unit"].as_str().expect("unit"))
        .collect();
    assert!(!units.is_empty() && !units.contains(&"loc-an"), "{r}");
}

#[test]
fn a_broken_template_is_named_with_its_line_by_check_config_and_stops_the_daemon_start() {
    let t = TestDir::new();
    let cfg = t.join("config");
    std::fs::create_dir_all(cfg.join("campaigns")).expect("mkdir");
    std::fs::create_dir_all(cfg.join("templates")).expect("mkdir");
    std::fs::copy(shipped_config(), cfg.join("baocao.toml")).expect("copy");
    std::fs::copy(root().join("config/units.csv"), cfg.join("units.csv")).expect("copy");
    std::fs::copy(
        root().join("config/campaigns/809-CV-HU.toml"),
        cfg.join("campaigns/809-CV-HU.toml"),
    )
    .expect("copy");
    // An office rewording the receipt, with one tag left open on line 4.
    std::fs::write(
        cfg.join("templates/receipt.txt.j2"),
        "Subject: Đã nhận báo cáo của {{ unit.name }}\n\nKính gửi {{ unit.name }},\n{% if missing %}Còn thiếu: {{ missing | join(\", \") }}\n",
    )
    .expect("write");
    let data = t.join("data");
    let cfg_file = cfg.join("baocao.toml");
    let args = |extra: &[&'static str]| {
        let mut v = vec![
            "--config".to_string(),
            cfg_file.display().to_string(),
            "--data".to_string(),
            data.display().to_string(),
        ];
        v.extend(extra.iter().map(|s| s.to_string()));
        v
    };
    for cmd in [&["check-config"][..], &["run", "--once"][..]] {
        let a = args(cmd);
        let a: Vec<&str> = a.iter().map(String::as_str).collect();
        let out = baocao_raw(&a);
        assert_eq!(out.status.code(), Some(2), "{cmd:?}: {out:?}");
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(text.contains("receipt.txt.j2"), "{cmd:?}: {text}");
        assert!(text.contains("dòng"), "{cmd:?}: {text}");
    }
    // Fixed, the reworded text is what units get.
    std::fs::write(
        cfg.join("templates/receipt.txt.j2"),
        "Subject: Đã nhận báo cáo của {{ unit.name }}\n\nKính gửi {{ unit.name }}.\n",
    )
    .expect("write");
    let a = args(&["check-config"]);
    let a: Vec<&str> = a.iter().map(String::as_str).collect();
    ok(baocao_raw(&a));
}
