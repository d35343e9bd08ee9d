//! End-to-end tests of `gristmill run` over the bundled corpus and over documents written
//! here: the output contract, the noise that must go, comments, sentences, error records and
//! determinism across job counts.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

const EPOCH: &str = "1763337600"; // 2025-11-17T00:00:00Z

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Run the CLI on `inputs` into a fresh folder; returns (folder, documents, errors, summary).
fn run(inputs: &[&Path], extra: &[&str]) -> (tempfile::TempDir, Vec<Value>, Vec<Value>, Value) {
    let out = tempfile::tempdir().unwrap();
    let status = Command::new(env!("CARGO_BIN_EXE_gristmill"))
        .current_dir(root())
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .arg("run")
        .args(inputs)
        .arg("-o")
        .arg(out.path())
        .arg("-q")
        .args(extra)
        .status()
        .unwrap();
    assert!(status.success());
    let read = |name: &str| -> Vec<Value> {
        std::fs::read_to_string(out.path().join(name))
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    };
    let docs = read("documents.jsonl");
    let errs = read("errors.jsonl");
    let summary: Value =
        serde_json::from_str(&std::fs::read_to_string(out.path().join("summary.json")).unwrap())
            .unwrap();
    (out, docs, errs, summary)
}

fn by_path<'a>(docs: &'a [Value], needle: &str) -> &'a Value {
    docs.iter()
        .find(|d| d["metadata"]["path"].as_str().unwrap().contains(needle))
        .unwrap_or_else(|| panic!("no record for {needle}"))
}

fn text(d: &Value) -> &str {
    d["text"].as_str().unwrap()
}

fn categories(d: &Value) -> Vec<String> {
    d["metadata"]["removed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["category"].as_str().unwrap().to_string())
        .collect()
}

/// Every sentence appears in `text` in order, and nothing but whitespace is left between them.
fn assert_sentences_cover(d: &Value) {
    let t = text(d);
    let mut rest = t;
    for s in d["metadata"]["sentences"].as_array().unwrap() {
        let s = s.as_str().unwrap();
        let i = rest
            .find(s)
            .unwrap_or_else(|| panic!("sentence {s:?} not found in order in {}", d["id"]));
        assert!(
            rest[..i].trim().is_empty(),
            "text between sentences in {}: {:?}",
            d["id"],
            &rest[..i]
        );
        rest = &rest[i + s.len()..];
    }
    assert!(
        rest.trim().is_empty(),
        "text after the last sentence: {rest:?}"
    );
}

fn seeds() -> (tempfile::TempDir, Vec<Value>) {
    let (dir, docs, errs, _) = run(&[Path::new("corpus/seeds")], &[]);
    assert!(errs.is_empty(), "{errs:?}");
    assert_eq!(docs.len(), 5);
    (dir, docs)
}

const SEED_NOISE: &[&str] = &[
    "Today : Nov 17, 2025",
    "World News",
    "17 November 2025\n",
    "Read-to-Earn",
    "Time to Read",
    "You earned",
    "Post Profit",
    "Twei",
    "Available from LVL 13",
    "Comment-to-Earn",
    "5 Comments",
    "Avatar of",
    "Add your comment",
    "Your comment avatar",
    "Read more:",
    "(AP)",
    "IRNA +2",
    "+1",
    "* KabulNow",
    "Dawn The",
    "\n-\n",
    "This is a positive diplomatic move",
];

#[test]
fn seeds_lose_their_noise() {
    let (_d, docs) = seeds();
    for d in &docs {
        let t = text(d);
        for noise in SEED_NOISE {
            assert!(!t.contains(noise), "{}: noise {noise:?} left", d["id"]);
        }
        assert_sentences_cover(d);
        assert_eq!(d["source"], "gristmill");
        assert_eq!(d["added"], "2025-11-17T00:00:00Z");
        assert_eq!(d["metadata"]["format"], "text");
        assert_eq!(d["metadata"]["lang"], "en");
    }
}

#[test]
fn seeds_keep_every_body_paragraph() {
    let (_d, docs) = seeds();
    for d in &docs {
        let path = root().join(d["metadata"]["path"].as_str().unwrap());
        let raw = std::fs::read_to_string(path).unwrap();
        let t = text(d);
        let comments: Vec<&str> = d["metadata"]["comments"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["text"].as_str().unwrap())
            .collect();
        for line in raw.lines().map(str::trim) {
            let words = line.split_whitespace().count();
            if words < 25 || line.ends_with("(AP)") || comments.iter().any(|c| c.contains(line)) {
                continue;
            }
            // The body starts after any glued citation chip and ends before any trailing one:
            // check the middle of the paragraph word for word.
            let ws: Vec<&str> = line.split_whitespace().collect();
            let middle = ws[2..ws.len() - 7].join(" ");
            assert!(
                t.contains(&middle),
                "{}: paragraph lost: {middle:?}",
                d["id"]
            );
        }
    }
}

#[test]
fn seeds_keep_titles_headings_and_standfirst() {
    let (_d, docs) = seeds();
    let s1 = by_path(&docs, "001_");
    assert_eq!(
        s1["metadata"]["title"],
        "Iran Steps In As Pakistan And Afghanistan Talks Stall"
    );
    assert!(text(s1).starts_with("Regional mediators scramble to prevent renewed violence"));
    let s2 = by_path(&docs, "002_");
    for h in [
        "Iran Steps Forward Amid Regional Tensions",
        "Background to the Conflict",
        "Recent Escalation and Failed Negotiations",
        "Pakistan's Reception of Iran's Offer",
    ] {
        assert!(
            text(s2).contains(&format!("{h}\n\n")),
            "heading {h:?} not its own paragraph"
        );
    }
    let s3 = by_path(&docs, "003_");
    assert!(text(s3).contains("\n\nFragile Ceasefire\n\n"));
    assert!(text(s3).starts_with("Iran has offered to mediate"));
    let s4 = by_path(&docs, "004_");
    assert!(
        text(s4).contains("\n\nThe Iran-Afghanistan rapprochement is driven by multiple factors.")
    );
    assert!(text(s4).contains(
        "bilateral cooperation and address tensions between Afghanistan and Pakistan.\n\n"
    ));
}

#[test]
fn seed_comments_are_kept_with_authors() {
    let (_d, docs) = seeds();
    let s2 = by_path(&docs, "002_");
    let comments = s2["metadata"]["comments"].as_array().unwrap();
    let authors: Vec<&str> = comments
        .iter()
        .map(|c| c["author"].as_str().unwrap())
        .collect();
    assert_eq!(
        authors,
        [
            "Muchacha",
            "Bella Ciao",
            "Ongania",
            "Manolo Noriega",
            "eliphas"
        ]
    );
    assert!(comments[0]["text"]
        .as_str()
        .unwrap()
        .starts_with("This is a positive diplomatic move."));
    assert!(comments[4]["text"]
        .as_str()
        .unwrap()
        .ends_with("find common ground."));
    for d in &docs {
        if d["id"] != s2["id"] {
            assert!(d["metadata"]["comments"].as_array().unwrap().is_empty());
        }
    }
}

#[test]
fn seed_removals_are_explained() {
    let (_d, docs) = seeds();
    let has = |needle: &str, cat: &str| {
        let d = by_path(&docs, needle);
        assert!(
            categories(d).iter().any(|c| c == cat),
            "{needle}: no {cat} in {:?}",
            categories(d)
        );
    };
    has("001_", "chrome");
    has("002_", "widget");
    has("002_", "comments");
    has("003_", "read_more");
    has("003_", "caption");
    has("004_", "citation");
    for d in &docs {
        for r in d["metadata"]["removed"].as_array().unwrap() {
            assert!(!r["reason"].as_str().unwrap().is_empty());
            assert!(r["chars"].as_u64().unwrap() > 0);
        }
        let stats = &d["metadata"]["stats"];
        assert_eq!(
            stats["chars_out"].as_u64().unwrap() as usize,
            text(d).chars().count()
        );
    }
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

#[test]
fn bad_inputs_become_error_records_or_documents() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "a-empty.txt", b"");
    let binary: Vec<u8> = (0..4096u32).map(|i| (i * 31 % 256) as u8).collect();
    write(d, "b-binary.bin", &binary);
    let mut gz = Vec::new();
    {
        use std::io::Write;
        let mut e = flate2::write::GzEncoder::new(&mut gz, flate2::Compression::default());
        e.write_all(
            "Ein Absatz über nichts Besonderes, der lang genug ist, um etwas zu sein.\n"
                .repeat(200)
                .as_bytes(),
        )
        .unwrap();
        e.finish().unwrap();
    }
    write(d, "c-truncated.txt.gz", &gz[..gz.len() / 2]);
    write(
        d,
        "d-invalid-utf8.txt",
        b"A paragraph that is mostly fine UTF-8 but has a broken byte \xff\xfe right here, and goes on.",
    );
    write(
        d,
        "e-unknown.dat",
        b"\x00\x01\x02 not a format we know \x03\x04\x00\x00\x00\x00\x00",
    );
    write(
        d,
        "f-rows.jsonl",
        b"{\"text\": \"A fine row with a sentence in it.\"}\n{not json}\n\n{\"nohtml\": 1}\n",
    );
    let (_o, docs, errs, summary) = run(&[d], &[]);
    let kinds: Vec<(&str, &str)> = errs
        .iter()
        .map(|e| (e["path"].as_str().unwrap(), e["error"].as_str().unwrap()))
        .collect();
    let kind_of = |name: &str| {
        kinds
            .iter()
            .find(|(p, _)| p.ends_with(name))
            .map(|(_, k)| *k)
    };
    assert_eq!(kind_of("a-empty.txt"), Some("empty"));
    assert_eq!(kind_of("b-binary.bin"), Some("binary"));
    assert_eq!(kind_of("c-truncated.txt.gz"), Some("decompression"));
    assert_eq!(kind_of("e-unknown.dat"), Some("binary"));
    assert_eq!(
        errs.iter()
            .filter(|e| e["path"].as_str().unwrap().ends_with("f-rows.jsonl"))
            .map(|e| (e["record"].as_u64().unwrap(), e["error"].as_str().unwrap()))
            .collect::<Vec<_>>(),
        [(1, "invalid_record"), (3, "invalid_record")]
    );
    let invalid = by_path(&docs, "d-invalid-utf8.txt");
    assert!(text(invalid).contains("goes on."));
    assert!(text(by_path(&docs, "f-rows.jsonl")).contains("A fine row"));
    // Nothing lost: 5 files + 3 rows (the blank line is not a row).
    assert_eq!(docs.len() + errs.len(), 8);
    assert_eq!(summary["inputs"], 8);
    assert_eq!(summary["documents"].as_u64().unwrap() as usize, docs.len());
    assert_eq!(summary["errors"].as_u64().unwrap() as usize, errs.len());
}

#[test]
fn output_is_identical_across_job_counts() {
    let corpus = Path::new("corpus");
    let (a, ..) = run(&[corpus], &["--jobs", "1"]);
    let (b, ..) = run(&[corpus], &["--jobs", "2"]);
    let (c, ..) = run(&[corpus], &["--jobs", "2"]);
    for f in ["documents.jsonl", "errors.jsonl"] {
        let fa = std::fs::read(a.path().join(f)).unwrap();
        assert!(!fa.is_empty() || f == "errors.jsonl");
        assert_eq!(
            fa,
            std::fs::read(b.path().join(f)).unwrap(),
            "{f}: jobs 1 vs 2"
        );
        assert_eq!(
            fa,
            std::fs::read(c.path().join(f)).unwrap(),
            "{f}: two runs"
        );
    }
}

#[test]
fn bundled_corpus_runs_in_input_order() {
    let (_o, docs, errs, summary) = run(&[Path::new("corpus")], &[]);
    let ids: Vec<&str> = docs.iter().map(|d| d["id"].as_str().unwrap()).collect();
    let mut sorted = ids.clone();
    sorted.sort();
    assert_eq!(ids, sorted, "folders are walked in sorted order");
    assert_eq!(
        summary["inputs"].as_u64().unwrap() as usize,
        docs.len() + errs.len()
    );
    assert!(errs
        .iter()
        .all(|e| e["path"].as_str().unwrap().ends_with("city-dump.jsonl")));
    for d in &docs {
        assert_sentences_cover(d);
        assert!(!text(d).is_empty(), "{} is empty", d["id"]);
    }
}

#[test]
fn charsets_and_mojibake() {
    let (_o, docs, _e, _s) = run(&[Path::new("corpus/html"), Path::new("corpus/text")], &[]);
    let fr = by_path(&docs, "vendanges-latin1.html");
    assert_eq!(fr["metadata"]["charset"], "windows-1252");
    assert_eq!(fr["metadata"]["charset_source"], "meta");
    assert_eq!(fr["metadata"]["lang"], "fr");
    assert!(text(fr).contains("Les œnologues recommandent de récolter tôt le matin"));
    let cp = by_path(&docs, "harvest-cp1252.txt");
    assert_eq!(cp["metadata"]["charset_source"], "detected");
    assert!(text(cp).contains("the valley’s harvest festival returns"));
    assert!(text(cp).contains("“longest loaf” contest"));
    let moj = by_path(&docs, "library-mojibake.txt");
    assert!(text(moj).contains("The city’s main library"));
    assert!(text(moj).contains("about €120,000 a year"));
    assert!(text(moj).contains("councillor Anaïs Dubois"));
    assert!(!text(moj).contains("â€"));
}

#[test]
fn stdout_mode_writes_records_only() {
    let out = tempfile::tempdir().unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_gristmill"))
        .current_dir(root())
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .args(["run", "corpus/seeds", "--stdout", "-o"])
        .arg(out.path())
        .output()
        .unwrap();
    assert!(o.status.success());
    let lines: Vec<Value> = String::from_utf8(o.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 5);
    assert!(!out.path().join("documents.jsonl").exists());
    assert!(out.path().join("summary.json").exists());
}

#[test]
fn bad_config_exits_with_one() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = write(
        dir.path(),
        "bad.toml",
        b"[[category]]\nname = \"x\"\nblock = [\"(\"]\n",
    );
    let st = Command::new(env!("CARGO_BIN_EXE_gristmill"))
        .current_dir(root())
        .args(["run", "corpus/seeds", "-q", "-p"])
        .arg(&cfg)
        .arg("-o")
        .arg(dir.path())
        .status()
        .unwrap();
    assert_eq!(st.code(), Some(1));
}

#[test]
fn stdin_is_an_input() {
    use std::io::Write;
    let out = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_gristmill"))
        .args(["run", "-", "-q", "--stdout", "-o"])
        .arg(out.path())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"<html><body><article><h1>Headline here</h1><p>The body paragraph of this page is long enough to be kept as prose.</p></article></body></html>")
        .unwrap();
    let o = child.wait_with_output().unwrap();
    let rec: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(rec["id"], "-#0");
    assert_eq!(rec["metadata"]["format"], "html");
    assert_eq!(rec["metadata"]["title"], "Headline here");
    assert!(text(&rec).starts_with("The body paragraph"));
}

#[test]
fn compressed_and_container_inputs() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let page = "<html><body><article><h1>Bridge reopens</h1><p>The old stone bridge reopened to traffic on Friday after eight months of repairs to its arches.</p></article></body></html>";
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(page.as_bytes()).unwrap();
    write(d, "a.html.gz", &gz.finish().unwrap());
    write(d, "b.txt.zst", &zstd::encode_all(&b"Plain text dump about the harbour.\n\nIt has two paragraphs, and this one is long enough to be prose."[..], 3).unwrap());
    let rows = "{\"text\": \"First row of the compressed dump, a sentence of prose.\"}\n{\"html\": \"<p>Second row, as HTML, with a sentence of prose in it.</p>\"}\n";
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(rows.as_bytes()).unwrap();
    write(d, "c.jsonl.gz", &gz.finish().unwrap());
    let http = "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=windows-1251\r\n\r\n";
    let mut body = http.as_bytes().to_vec();
    // "Мост открыт" and a sentence, in windows-1251
    body.extend_from_slice(b"<html><body><p>\xcc\xee\xf1\xf2 \xee\xf2\xea\xf0\xfb\xf2 \xef\xee\xf1\xeb\xe5 \xf0\xe5\xec\xee\xed\xf2\xe0.</p></body></html>");
    let mut warc = format!(
        "WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: https://gazeta.example/most\r\nContent-Type: application/http; msgtype=response\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    warc.extend_from_slice(&body);
    warc.extend_from_slice(b"\r\n\r\n");
    write(d, "d.warc", &warc);
    let (_o, docs, errs, _s) = run(&[d], &[]);
    assert!(errs.is_empty(), "{errs:?}");
    assert_eq!(docs.len(), 5);
    assert_eq!(by_path(&docs, "a.html.gz")["metadata"]["format"], "html");
    assert!(text(by_path(&docs, "a.html.gz")).contains("old stone bridge reopened"));
    assert!(text(by_path(&docs, "b.txt.zst")).contains("two paragraphs"));
    let rows: Vec<&Value> = docs
        .iter()
        .filter(|x| {
            x["metadata"]["path"]
                .as_str()
                .unwrap()
                .ends_with("c.jsonl.gz")
        })
        .collect();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[1]["metadata"]["record"], 1);
    assert_eq!(rows[1]["metadata"]["format"], "html");
    let w = by_path(&docs, "d.warc");
    assert_eq!(w["metadata"]["url"], "https://gazeta.example/most");
    assert_eq!(w["metadata"]["charset"], "windows-1251");
    assert!(text(w).contains("Мост открыт после ремонта."));
}

#[test]
fn inspect_width_cuts_or_prints_whole_blocks() {
    let dir = tempfile::tempdir().unwrap();
    let para = "The harbour commission met on Tuesday evening to weigh three offers for the old \
                grain terminal, and after two hours of questions it chose none of them, asking \
                the bidders to come back in spring with firmer figures for the dredging work.";
    let page = format!(
        "<html><head><title>Terminal bids</title></head><body><article><h1>Terminal bids</h1>\
         <p>{para}</p><p>{para}</p></article></body></html>"
    );
    let file = write(dir.path(), "bids.html", page.as_bytes());
    let inspect = |extra: &[&str]| {
        let o = Command::new(env!("CARGO_BIN_EXE_gristmill"))
            .current_dir(root())
            .arg("inspect")
            .arg(&file)
            .args(extra)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        String::from_utf8(o.stdout).unwrap()
    };
    let cut = inspect(&[]);
    assert!(cut.contains("The harbour commission met"));
    assert!(cut.contains('…'));
    assert!(!cut.contains("for the dredging work."));
    let narrow = inspect(&["--width", "20"]);
    assert!(narrow.contains("The harbour commissi…"));
    let whole = inspect(&["--width", "0"]);
    assert!(whole.contains(para));
    assert!(!whole.contains('…'));
}
