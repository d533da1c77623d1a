//! No mail waits for a timer: mail that lands between a poll and the start of IDLE is seen
//! at once, because the wait compares the folder with what the register holds first.

use std::os::unix::fs::PermissionsExt;
use std::time::{Duration, Instant};

use baocao::daemon::{Wake, wait_for_mail};
use baocao::store::Store;

use crate::support::{
    TestDir, baocao_mail, config_with_mailbox, json, mail, mail_server, report_docx,
};

#[test]
fn mail_appended_between_a_poll_and_idle_wakes_the_wait_at_once_every_time() {
    let server = mail_server();
    let user = "unit18@donvi.test";
    server.clear(user);
    let t = TestDir::new();
    let cfg_path = config_with_mailbox(t.path(), &server, user, "");
    // This process reads the password from a 0600 file (the CLI runs get it from the env).
    let pass = t.join("imap.pass");
    std::fs::write(&pass, &server.password).expect("write");
    std::fs::set_permissions(&pass, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    let text = std::fs::read_to_string(&cfg_path).expect("read");
    let lib_cfg = t.join("config/lib.toml");
    std::fs::write(
        &lib_cfg,
        text.replace(
            "password-env = \"BAOCAO_TEST_IMAP_PASSWORD\"",
            &format!("password-file = \"{}\"", pass.display()),
        ),
    )
    .expect("write");
    let config = baocao::config::load(&lib_cfg).expect("config");
    let mb = config.mailbox.clone().expect("mailbox");
    let data = t.join("data");
    let data_arg = data.display().to_string();
    let first = json(baocao_mail(
        &cfg_path,
        &["--data", &data_arg, "--json", "poll", "--once"],
        &server,
    ));
    assert_eq!(first["fetched"], 0, "{first}");
    let store = Store::open(&data).expect("store");
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    for i in 0..12 {
        // The window: the poll is over, the wait has not begun.
        server.save(
            user,
            "INBOX",
            &mail(
                "dangUyLocAn@gmail.com",
                "Đảng ủy xã Lộc An gửi báo cáo 809-CV/HU",
                "Fri, 27 Jan 2023 09:00:00 +0700",
                "Fri, 27 Jan 2023 09:00:03 +0700",
                "BC 132 Loc An.docx",
                &report_docx("Lộc An"),
                &format!("window-{i}"),
            ),
        );
        let start = Instant::now();
        let woke = rt
            .block_on(wait_for_mail(&store, &mb, Duration::from_secs(60)))
            .expect("wait");
        let took = start.elapsed();
        assert_eq!(woke, Wake::NewMail, "trial {i}");
        assert!(took < Duration::from_secs(5), "trial {i}: {took:?}");
        let r = json(baocao_mail(
            &cfg_path,
            &["--data", &data_arg, "--json", "poll", "--once"],
            &server,
        ));
        assert_eq!(r["stored"], 1, "trial {i}: {r}");
    }
    // With nothing new, the wait does wait (here: until its short limit).
    let start = Instant::now();
    let woke = rt
        .block_on(wait_for_mail(&store, &mb, Duration::from_secs(2)))
        .expect("wait");
    assert_eq!(woke, Wake::Timeout);
    assert!(start.elapsed() >= Duration::from_millis(1900));
}
