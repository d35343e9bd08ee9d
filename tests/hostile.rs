//! Hostile inputs, generated here (nothing big is committed): every input must end as a
//! document with the right text or an error record of the right kind, the run must finish,
//! and documents + errors = inputs. Runs the CLI binary into a temporary folder.

use encoding_rs::{KOI8_R, SHIFT_JIS, WINDOWS_1252};
use flate2::write::GzEncoder;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_gristmill");

/// Limits small enough that the test stays cheap, big enough for ordinary documents.
const PIPELINE: &str = "\
[limits]
max_input_bytes = 8388608
max_decompressed_bytes = 8388608
max_line_bytes = 8388608
max_dom_depth = 256
max_dom_nodes = 1000000
max_time_ms = 60000

[strip]
repeated = false
";

struct Output {
    code: i32,
    docs: BTreeMap<String, serde_json::Value>,
    errors: BTreeMap<String, serde_json::Value>,
    summary: serde_json::Value,
}

fn read_jsonl(p: &Path) -> BTreeMap<String, serde_json::Value> {
    let mut m = BTreeMap::new();
    let s = std::fs::read_to_string(p).unwrap_or_default();
    for line in s.lines() {
        let v: serde_json::Value = serde_json::from_str(line).expect("output line is JSON");
        let id = v["id"].as_str().expect("record has an id").to_string();
        assert!(m.insert(id.clone(), v).is_none(), "{id} written twice");
    }
    m
}

fn run(dir: &Path, pipeline: &str, extra: &[&str]) -> Output {
    let cfg = dir.join("pipeline.toml");
    std::fs::write(&cfg, pipeline).unwrap();
    let out = dir.join("out");
    let status = Command::new(BIN)
        .arg("run")
        .arg(dir.join("in"))
        .arg("-o")
        .arg(&out)
        .arg("-p")
        .arg(&cfg)
        .args(["-q", "-j", "2"])
        .args(extra)
        .status()
        .expect("binary runs");
    Output {
        code: status.code().unwrap_or(-1),
        docs: read_jsonl(&out.join("documents.jsonl")),
        errors: read_jsonl(&out.join("errors.jsonl")),
        summary: std::fs::read_to_string(out.join("summary.json"))
            .ok()
            .and_then(|s| serde_json::from_str(&s).ok())
            .unwrap_or(serde_json::Value::Null),
    }
}

fn id(dir: &Path, name: &str, record: u64) -> String {
    format!("{}#{record}", dir.join("in").join(name).display())
}

impl Output {
    fn text(&self, id: &str) -> &str {
        match self.docs.get(id) {
            Some(d) => d["text"].as_str().unwrap(),
            None => panic!(
                "{id} is not a document; error: {:?}",
                self.errors.get(id).map(|e| &e["message"])
            ),
        }
    }

    fn error(&self, id: &str) -> &str {
        match self.errors.get(id) {
            Some(e) => e["error"].as_str().unwrap(),
            None => panic!(
                "{id} is not an error; text: {:?}",
                self.docs.get(id).map(|d| &d["text"])
            ),
        }
    }

    fn check_totals(&self, inputs: usize) {
        assert_eq!(self.code, 0, "exit code");
        assert_eq!(
            self.docs.len() + self.errors.len(),
            inputs,
            "docs + errors = inputs"
        );
        assert_eq!(self.summary["inputs"], inputs as u64);
        assert_eq!(self.summary["documents"], self.docs.len() as u64);
    }
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut e = GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

/// A gzip file of `total` zero bytes, written without holding them.
fn gzip_bomb(path: &Path, total: usize) {
    let f = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    let mut e = GzEncoder::new(f, flate2::Compression::default());
    let zeros = vec![0u8; 1 << 20];
    for _ in 0..total / zeros.len() {
        e.write_all(&zeros).unwrap();
    }
    e.finish().unwrap().flush().unwrap();
}

/// Deterministic pseudo-random bytes.
fn noise(n: usize, mut seed: u64) -> Vec<u8> {
    (0..n)
        .map(|_| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) as u8
        })
        .collect()
}

fn utf16(s: &str, le: bool) -> Vec<u8> {
    let mut v = if le {
        vec![0xFF, 0xFE]
    } else {
        vec![0xFE, 0xFF]
    };
    for u in s.encode_utf16() {
        v.extend(if le { u.to_le_bytes() } else { u.to_be_bytes() });
    }
    v
}

#[test]
fn hostile_corpus_ends_in_documents_and_typed_errors() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let inp = dir.join("in");
    std::fs::create_dir(&inp).unwrap();
    let w = |name: &str, bytes: &[u8]| std::fs::write(inp.join(name), bytes).unwrap();

    // Empty and binary.
    w("empty.txt", b"");
    w("blank.txt", b"  \n\r\n\t ");
    w("bom-only.txt", b"\xEF\xBB\xBF");
    w("random.bin", &noise(64 * 1024, 7));
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.extend(noise(4096, 9));
    w("image.html", &png);

    // Charsets, with and without declarations.
    let de = "Grüße aus Köln. Die Straße ist schön und völlig ruhig.";
    w("utf16le.txt", &utf16(de, true));
    w("utf16be.txt", &utf16(de, false));
    let fr = "Le café de la gare sert un crème brûlée délicieux. Les élèves déjà là \
              préfèrent « la tarte » à côté de l'église, où l'on parle français toute l'année.";
    w("cp1252.txt", &WINDOWS_1252.encode(fr).0);
    let latin = format!(
        "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=ISO-8859-1\">\
         </head><body><p>{fr}</p></body></html>"
    );
    w("latin1-meta.html", &WINDOWS_1252.encode(&latin).0);
    let ja = "日本語の文章です。東京は日本の首都であり、多くの人々が住んでいます。\
              今日はとても良い天気なので、公園を散歩しました。桜の花がきれいに咲いていました。";
    w("sjis.txt", &SHIFT_JIS.encode(ja).0);
    let ja_html =
        format!("<html><head><meta charset=\"Shift_JIS\"></head><body><p>{ja}</p></body></html>");
    w("sjis-meta.html", &SHIFT_JIS.encode(&ja_html).0);
    let ru = "Москва является столицей России и крупнейшим городом страны. \
              Сегодня хорошая погода, и мы гуляли по парку весь день. \
              Это обычный текст на русском языке без объявления кодировки.";
    w("koi8r.txt", &KOI8_R.encode(ru).0);

    // Broken and tricky Unicode.
    w(
        "bad-utf8.txt",
        b"Caf\xc3\xa9 cr\xc3\xa8me: the text is UTF-8 \xff\xfe with two broken bytes inside.",
    );
    w(
        "mojibake.txt",
        "Pakistanâ€™s economy grew, the cafÃ© said.".as_bytes(),
    );
    w("nfd.txt", "Cafe\u{301} de\u{301}ja\u{300} vu.".as_bytes());
    w(
        "invisible.txt",
        "Zero\u{200b}width and soft\u{ad}hyphen words.".as_bytes(),
    );
    w("crlf.txt", b"First line here.\r\nSecond line here.\r\n");
    w("lf.txt", b"First line here.\nSecond line here.\n");
    w("nul.txt", b"Before\x00after the NUL byte.");

    // Markup from hell.
    let n = 200_000;
    let deep = format!(
        "<html><body>{}<p>Deep words are here.</p>{}</body></html>",
        "<div>".repeat(n),
        "</div>".repeat(n)
    );
    w("deep.html", deep.as_bytes());
    w(
        "unclosed-comment.html",
        b"<html><body><p>Before the comment.</p><!-- never closed <p>Hidden words.</p>",
    );
    w(
        "soup.html",
        b"<html><body><p>One <b>two <i>three</b> four</i> five<p>Six<table><td>cell one<td>cell two</table></span></div></body><p>after end",
    );

    // Size.
    {
        let f = std::fs::File::create(inp.join("line-30mb.txt")).unwrap();
        let mut f = std::io::BufWriter::new(f);
        let chunk = "word ".repeat(1 << 16);
        for _ in 0..(30 << 20) / chunk.len() + 1 {
            f.write_all(chunk.as_bytes()).unwrap();
        }
        f.flush().unwrap();
    }
    w("word-200k.txt", "x".repeat(200_000).as_bytes());
    let long_line = "a few words ".repeat(50_000); // 600 kB, no newline
    w("line-600k.txt", long_line.as_bytes());

    // Compression.
    gzip_bomb(&inp.join("bomb.txt.gz"), 1 << 30);
    let gz = gzip("Compressed text that is whole.".repeat(2000).as_bytes());
    w("trunc.txt.gz", &gz[..gz.len() / 2]);
    w("whole.txt.gz", &gzip(b"Compressed text that is whole."));

    // JSONL with broken rows, and a row over max_line_bytes.
    {
        let mut rows = String::new();
        rows.push_str("{\"id\": 1, \"text\": \"Good row one.\"}\n");
        rows.push_str("{broken json\n");
        rows.push_str("[1, 2, 3]\n");
        rows.push_str("{\"text\": 42}\n");
        rows.push('\n');
        rows.push_str("{\"html\": \"<p>Good row five.</p>\"}\n");
        // Nested 100,000 deep: must not overflow the parser's stack.
        rows.push_str("{\"text\": \"deep\", \"a\": ");
        rows.push_str(&"[".repeat(100_000));
        rows.push_str(&"]".repeat(100_000));
        rows.push_str("}\n");
        rows.push_str("{\"text\": \"");
        rows.push_str(&"y".repeat(9 << 20));
        rows.push_str("\"}\n");
        rows.push_str("{\"text\": \"Last row, no newline.\"}");
        w("rows.jsonl", rows.as_bytes());
    }

    // A WARC whose second record is cut short.
    w(
        "cut.warc",
        b"WARC/1.0\r\nWARC-Type: conversion\r\nContent-Length: 19\r\n\r\nA whole WET record.\r\n\r\n\
          WARC/1.0\r\nWARC-Type: conversion\r\nContent-Length: 1000\r\n\r\nshort",
    );

    // File names and folders.
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let name = std::ffi::OsStr::from_bytes(b"bad-\xff\xfe-name.txt");
        std::fs::write(inp.join(name), b"A file whose name is not UTF-8.").unwrap();
        std::os::unix::fs::symlink(&inp, inp.join("loop")).unwrap();
        std::fs::create_dir(inp.join("sub")).unwrap();
        std::os::unix::fs::symlink("..", inp.join("sub/up")).unwrap();
        std::os::unix::fs::symlink("nowhere", inp.join("dangling.txt")).unwrap();
        // A named pipe nobody writes to: must not block the run.
        let fifo = Command::new("mkfifo").arg(inp.join("pipe.txt")).status();
        assert!(fifo.is_ok_and(|s| s.success()), "mkfifo");
    }

    let started = std::time::Instant::now();
    let out = run(dir, PIPELINE, &[]);
    let took = started.elapsed();
    let i = |name: &str| id(dir, name, 0);

    assert_eq!(out.error(&i("empty.txt")), "empty");
    assert_eq!(out.error(&i("blank.txt")), "empty");
    assert_eq!(out.error(&i("bom-only.txt")), "empty");
    assert_eq!(out.error(&i("random.bin")), "binary");
    assert_eq!(out.error(&i("image.html")), "binary");

    for f in ["utf16le.txt", "utf16be.txt"] {
        assert_eq!(out.text(&i(f)), de, "{f}");
        assert_eq!(out.docs[&i(f)]["metadata"]["charset_source"], "bom");
    }
    assert_eq!(out.text(&i("cp1252.txt")), fr);
    assert_eq!(out.text(&i("latin1-meta.html")), fr);
    assert_eq!(
        out.docs[&i("latin1-meta.html")]["metadata"]["charset_source"],
        "meta"
    );
    assert_eq!(out.text(&i("sjis.txt")), ja);
    assert_eq!(out.docs[&i("sjis.txt")]["metadata"]["charset"], "Shift_JIS");
    assert_eq!(out.text(&i("sjis-meta.html")), ja);
    assert_eq!(out.text(&i("koi8r.txt")), ru);

    let bad = out.text(&i("bad-utf8.txt"));
    assert!(bad.starts_with("Café crème: the text is UTF-8"), "{bad}");
    assert!(bad.ends_with("with two broken bytes inside."), "{bad}");
    assert_eq!(
        out.text(&i("mojibake.txt")),
        "Pakistan’s economy grew, the café said."
    );
    assert_eq!(out.text(&i("nfd.txt")), "Café déjà vu.");
    assert_eq!(
        out.text(&i("invisible.txt")),
        "Zerowidth and softhyphen words."
    );
    // CRLF gives exactly what LF gives.
    assert_eq!(out.text(&i("crlf.txt")), out.text(&i("lf.txt")));
    assert!(out.text(&i("lf.txt")).starts_with("First line here.\n"));
    assert_eq!(out.text(&i("nul.txt")), "Before after the NUL byte.");

    assert_eq!(out.text(&i("deep.html")), "Deep words are here.");
    let uc = out.text(&i("unclosed-comment.html"));
    assert_eq!(uc, "Before the comment.");
    let soup = out.text(&i("soup.html"));
    for w in [
        "One two three four five",
        "cell one",
        "cell two",
        "after end",
    ] {
        assert!(soup.contains(w), "{w:?} missing from {soup:?}");
    }

    assert_eq!(out.error(&i("line-30mb.txt")), "too_large");
    assert_eq!(out.text(&i("word-200k.txt")).len(), 200_000);
    assert_eq!(out.text(&i("line-600k.txt")), long_line.trim_end());

    assert_eq!(out.error(&i("bomb.txt.gz")), "decompression_limit");
    assert_eq!(out.error(&i("trunc.txt.gz")), "decompression");
    assert_eq!(
        out.text(&i("whole.txt.gz")),
        "Compressed text that is whole."
    );

    let r = |n: u64| id(dir, "rows.jsonl", n);
    assert_eq!(out.text(&r(0)), "Good row one.");
    assert_eq!(out.docs[&r(0)]["metadata"]["source_id"], "1");
    assert_eq!(out.error(&r(1)), "invalid_record");
    assert_eq!(out.error(&r(2)), "invalid_record");
    assert_eq!(out.error(&r(3)), "invalid_record");
    assert_eq!(out.text(&r(5)), "Good row five.");
    assert_eq!(out.error(&r(6)), "invalid_record");
    assert_eq!(out.error(&r(7)), "too_large");
    assert_eq!(out.text(&r(8)), "Last row, no newline.");

    #[cfg(unix)]
    {
        let name = format!("bad-{}-name.txt", "\u{fffd}\u{fffd}");
        assert_eq!(out.text(&i(&name)), "A file whose name is not UTF-8.");
        assert_eq!(out.error(&i("dangling.txt")), "io");
        assert_eq!(out.error(&i("pipe.txt")), "io");
    }
    assert_eq!(out.text(&id(dir, "cut.warc", 0)), "A whole WET record.");
    assert_eq!(out.error(&id(dir, "cut.warc", 1)), "invalid_warc");
    // 28 files (+3 on unix; links to folders already walked are not inputs), the 8 rows of
    // rows.jsonl (its blank line is not a row) and the 2 records of cut.warc.
    let files = 28 + usize::from(cfg!(unix)) * 3;
    out.check_totals(files + 8 + 2);
    assert!(
        took < std::time::Duration::from_secs(240),
        "hostile run took {took:?}"
    );
}

#[test]
fn limits_turn_pathological_documents_into_errors() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let inp = dir.join("in");
    std::fs::create_dir(&inp).unwrap();
    // ~4 MB of tag soup: parsing it takes far longer than 1 ms.
    let soup = "<div><span>word <b>bold</span> <a href=x>link</div>".repeat(80_000);
    std::fs::write(inp.join("slow.html"), &soup).unwrap();
    let many = format!(
        "<html><body>{}</body></html>",
        "<span>x</span>".repeat(5000)
    );
    std::fs::write(inp.join("many.html"), &many).unwrap();
    std::fs::write(inp.join("small.txt"), "A small text.").unwrap();

    let timed = PIPELINE.replace("max_time_ms = 60000", "max_time_ms = 1");
    let out = run(dir, &timed, &[]);
    assert_eq!(out.error(&id(dir, "slow.html", 0)), "timeout");
    out.check_totals(3);

    std::fs::remove_dir_all(dir.join("out")).unwrap();
    let few = PIPELINE.replace("max_dom_nodes = 1000000", "max_dom_nodes = 1000");
    let out = run(dir, &few, &[]);
    assert_eq!(out.error(&id(dir, "many.html", 0)), "dom_too_large");
    assert_eq!(out.text(&id(dir, "small.txt", 0)), "A small text.");
    out.check_totals(3);
}

#[test]
fn exit_codes_say_what_failed() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let inp = dir.join("in");
    std::fs::create_dir(&inp).unwrap();
    std::fs::write(inp.join("a.txt"), "Some text.").unwrap();
    std::fs::write(inp.join("b.txt"), "").unwrap();

    // 0: every input processed, even with error records.
    let out = run(dir, PIPELINE, &[]);
    out.check_totals(2);
    assert_eq!(out.error(&id(dir, "b.txt", 0)), "empty");

    // 1: usage and configuration errors.
    let code = |args: &[&std::ffi::OsStr]| {
        Command::new(BIN)
            .args(args)
            .output()
            .expect("binary runs")
            .status
            .code()
    };
    let bad_cfg = dir.join("bad.toml");
    std::fs::write(&bad_cfg, "[limits]\nmax_input_bytes = \"lots\"\n").unwrap();
    let o = dir.join("o2");
    assert_eq!(
        code(&[
            "run".as_ref(),
            inp.as_os_str(),
            "-o".as_ref(),
            o.as_os_str(),
            "-p".as_ref(),
            bad_cfg.as_os_str()
        ]),
        Some(1)
    );
    let missing = dir.join("missing.toml");
    assert_eq!(
        code(&[
            "run".as_ref(),
            inp.as_os_str(),
            "-o".as_ref(),
            o.as_os_str(),
            "-p".as_ref(),
            missing.as_os_str()
        ]),
        Some(1)
    );
    assert_eq!(code(&["run".as_ref(), "--no-such-flag".as_ref()]), Some(1));

    // 2: the output side cannot be written (the output folder is a file).
    let file_out = dir.join("not-a-dir");
    std::fs::write(&file_out, "x").unwrap();
    assert_eq!(
        code(&[
            "run".as_ref(),
            inp.as_os_str(),
            "-o".as_ref(),
            file_out.as_os_str(),
            "-q".as_ref()
        ]),
        Some(2)
    );
}
