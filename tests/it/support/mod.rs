//! Test support: a unique temp dir per test, a CLI runner, and mail generators.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The shipped config file.
pub fn shipped_config() -> PathBuf {
    root().join("config/baocao.toml")
}

/// A temp dir removed at the end of the test.
pub struct TestDir {
    dir: tempfile::TempDir,
}

impl TestDir {
    /// A fresh dir.
    pub fn new() -> Self {
        TestDir {
            dir: tempfile::Builder::new()
                .prefix("baocao-it-")
                .tempdir()
                .expect("temp dir"),
        }
    }

    /// Its path.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// A path inside it.
    pub fn join(&self, p: &str) -> PathBuf {
        self.dir.path().join(p)
    }
}

/// Runs `baocao` with the shipped config, `data` as the data dir, and `args`.
pub fn baocao(data: &Path, args: &[&str]) -> Output {
    let mut all: Vec<String> = vec![
        "--config".into(),
        shipped_config().display().to_string(),
        "--data".into(),
        data.display().to_string(),
    ];
    all.extend(args.iter().map(|s| s.to_string()));
    Command::new(env!("CARGO_BIN_EXE_baocao"))
        .args(&all)
        .output()
        .expect("run baocao")
}

/// Runs `baocao` with exactly `args`.
pub fn baocao_raw(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_baocao"))
        .args(args)
        .output()
        .expect("run baocao")
}

/// Stdout of a successful run, or a panic that shows stderr.
pub fn ok(out: Output) -> String {
    assert!(
        out.status.success(),
        "baocao failed ({:?}):\nstdout:\n{}\nstderr:\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Parses stdout of a successful `--json` run.
pub fn json(out: Output) -> serde_json::Value {
    let s = ok(out);
    serde_json::from_str(&s).unwrap_or_else(|e| panic!("not JSON ({e}):\n{s}"))
}

/// A small but real unit report mail: a Received header from the office server at
/// `received`, a Date header at `date`, and one attachment `name` with `body` bytes.
pub fn mail(
    from: &str,
    subject: &str,
    date: &str,
    received: &str,
    name: &str,
    body: &[u8],
    id: &str,
) -> Vec<u8> {
    use base64::Engine as _;
    let b64 = base64::engine::general_purpose::STANDARD.encode(body);
    let mut wrapped = String::new();
    for chunk in b64.as_bytes().chunks(76) {
        wrapped.push_str(std::str::from_utf8(chunk).unwrap_or(""));
        wrapped.push_str("\r\n");
    }
    format!(
        "Received: from mail-sor-f41.google.com by mx.lamdong.gov.vn (Postfix) with ESMTPS id 4N{id}\r\n\
        \tfor <vanphong.huyenuy@lamdong.gov.vn>; {received}\r\n\
        Received: by 2002:a05:6402:1 with SMTP id x; {date}\r\n\
        From: <{from}>\r\n\
        To: <vanphong.huyenuy@lamdong.gov.vn>\r\n\
        Subject: =?UTF-8?B?{subj}?=\r\n\
        Date: {date}\r\n\
        Message-ID: <{id}@mail.gmail.com>\r\n\
        MIME-Version: 1.0\r\n\
        Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n\
        --b1\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\nKính gửi Văn phòng Huyện ủy.\r\n\
        --b1\r\nContent-Type: application/octet-stream; name=\"{name}\"\r\n\
        Content-Disposition: attachment; filename=\"{name}\"\r\nContent-Transfer-Encoding: base64\r\n\r\n{wrapped}--b1--\r\n",
        subj = base64::engine::general_purpose::STANDARD.encode(subject.as_bytes()),
    )
    .into_bytes()
}

/// A short but real report: the type line, the request it answers, and `text`.
pub fn report_docx(text: &str) -> Vec<u8> {
    docx(&format!(
        "BÁO CÁO kết quả thực hiện Quy định 132-QĐ/TW theo Công văn số 809-CV/HU. {text} {}",
        "Đảng ủy đã lãnh đạo, chỉ đạo các chi bộ tổ chức kiểm điểm, đánh giá, xếp loại chất lượng đúng quy định. ".repeat(3)
    ))
}

/// A minimal real .docx holding `text`.
pub fn docx(text: &str) -> Vec<u8> {
    use std::io::Write;
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut buf);
        let o = zip::write::SimpleFileOptions::default();
        z.start_file("[Content_Types].xml", o).expect("zip");
        z.write_all(br#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#).expect("zip");
        z.start_file("word/document.xml", o).expect("zip");
        write!(z, r#"<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>"#).expect("zip");
        z.finish().expect("zip");
    }
    buf.into_inner()
}
