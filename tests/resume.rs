//! `--resume` after a SIGKILL mid-run and `--incremental` runs, through the CLI binary on
//! corpora generated here. A resumed run must write every input exactly once and the same
//! bytes as an uninterrupted run.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_gristmill");

/// Small chunks so that a run records its progress often.
const PIPELINE: &str = "\
[run]
chunk_docs = 16
chunk_bytes = 1048576
";

fn cmd(inp: &Path, out: &Path, cfg: &Path, epoch: &str) -> Command {
    let mut c = Command::new(BIN);
    c.arg("run")
        .arg(inp)
        .arg("-o")
        .arg(out)
        .arg("-p")
        .arg(cfg)
        .args(["-q", "-j", "1"])
        .env("SOURCE_DATE_EPOCH", epoch)
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    c
}

fn words(seed: usize, n: usize) -> String {
    const W: [&str; 12] = [
        "river", "stone", "market", "winter", "garden", "signal", "harbor", "letter", "engine",
        "forest", "candle", "bridge",
    ];
    let mut s = String::new();
    for k in 0..n {
        s.push_str(W[(seed * 7 + k * 5 + k / 3) % W.len()]);
        s.push(if k % 9 == 8 { '.' } else { ' ' });
    }
    s.push('.');
    s
}

/// A corpus of text and HTML files, some empty (error records), and a JSONL dump whose rows
/// span several chunks.
fn corpus(inp: &Path, files: usize) {
    std::fs::create_dir_all(inp.join("b")).unwrap();
    for i in 0..files {
        let (name, body) = match i % 10 {
            0 => (format!("b/{i:05}.txt"), String::new()),
            1..=4 => (
                format!("{i:05}.html"),
                format!(
                    "<html><head><title>Page {i}</title></head><body><article><h1>Page {i}</h1>\
                     <p>{}</p><p>{}</p></article></body></html>",
                    words(i, 60),
                    words(i + 1, 40)
                ),
            ),
            _ => (
                format!("b/{i:05}.txt"),
                format!("{}\n\n{}\n", words(i, 50), words(i * 3, 30)),
            ),
        };
        std::fs::write(inp.join(name), body).unwrap();
    }
    let mut rows = String::new();
    for r in 0..200 {
        if r % 50 == 7 {
            rows.push_str("{not json\n");
        } else {
            rows.push_str(&format!(
                "{{\"id\": {r}, \"text\": \"{}\"}}\n",
                words(r, 40)
            ));
        }
    }
    std::fs::write(inp.join("dump.jsonl"), rows).unwrap();
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn summary(out: &Path) -> serde_json::Value {
    serde_json::from_str(&read(&out.join("summary.json"))).unwrap()
}

#[test]
fn resume_after_sigkill_writes_every_input_once() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let inp = dir.join("in");
    let files = 1500;
    corpus(&inp, files);
    let cfg = dir.join("p.toml");
    std::fs::write(&cfg, PIPELINE).unwrap();

    // The reference: one uninterrupted run.
    let full = dir.join("full");
    let st = cmd(&inp, &full, &cfg, "1700000000").status().unwrap();
    assert!(st.success());
    let full_docs = read(&full.join("documents.jsonl"));
    let full_errs = read(&full.join("errors.jsonl"));
    let total = files + 200;
    assert_eq!(full_docs.lines().count() + full_errs.lines().count(), total);
    assert!(!full.join("progress.json").exists());

    // Killed once it is part of the way through.
    let out = dir.join("out");
    let mut child = cmd(&inp, &out, &cfg, "1700000000").spawn().unwrap();
    let progress = out.join("progress.json");
    let deadline = Instant::now() + Duration::from_secs(300);
    let done_at_kill = loop {
        if let Ok(s) = std::fs::read_to_string(&progress) {
            if let Ok(v) = serde_json::from_str::<serde_json::Value>(&s) {
                let done = v["inputs_done"].as_u64().unwrap();
                if done as usize >= total / 3 {
                    child.kill().unwrap(); // SIGKILL
                    break done;
                }
            }
        }
        assert!(
            child.try_wait().unwrap().is_none(),
            "run ended before it was killed"
        );
        assert!(Instant::now() < deadline, "no progress after 300 s");
        std::thread::sleep(Duration::from_millis(5));
    };
    child.wait().unwrap();
    assert!((done_at_kill as usize) < total, "killed mid-run");
    assert!(
        !out.join("documents.jsonl").exists(),
        "the killed run did not finish"
    );
    assert!(out.join("documents.jsonl.tmp").exists());

    // Resumed with another clock: the records keep the first run's timestamp.
    let st = cmd(&inp, &out, &cfg, "1800000000")
        .arg("--resume")
        .status()
        .unwrap();
    assert!(st.success());
    assert_eq!(read(&out.join("documents.jsonl")), full_docs);
    assert_eq!(read(&out.join("errors.jsonl")), full_errs);
    assert!(!progress.exists(), "progress manifest removed at the end");
    assert!(!out.join("documents.jsonl.tmp").exists());
    let (a, b) = (summary(&full), summary(&out));
    for k in [
        "inputs",
        "documents",
        "errors",
        "chars_kept",
        "errors_by_kind",
    ] {
        assert_eq!(a[k], b[k], "summary field {k}");
    }

    // A resume with nothing to resume is a fresh run; one with another config is refused.
    let st = cmd(&inp, &out, &cfg, "1700000000")
        .arg("--resume")
        .status()
        .unwrap();
    assert!(st.success());
    assert_eq!(read(&out.join("documents.jsonl")), full_docs);
    let out2 = dir.join("out2");
    let mut child = cmd(&inp, &out2, &cfg, "1700000000").spawn().unwrap();
    while !out2.join("progress.json").exists() {
        assert!(
            child.try_wait().unwrap().is_none(),
            "run ended before it was killed"
        );
        std::thread::sleep(Duration::from_millis(2));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let cfg2 = dir.join("p2.toml");
    std::fs::write(
        &cfg2,
        format!("{PIPELINE}\n[segment]\ndefault_lang = \"de\"\n"),
    )
    .unwrap();
    let st = cmd(&inp, &out2, &cfg2, "1700000000")
        .arg("--resume")
        .status()
        .unwrap();
    assert_eq!(
        st.code(),
        Some(1),
        "resume with another pipeline is refused"
    );
}

fn texts(out: &Path) -> Vec<(String, String, String)> {
    read(&out.join("documents.jsonl"))
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            (
                v["metadata"]["path"].as_str().unwrap().to_string(),
                v["text"].as_str().unwrap().to_string(),
                v["added"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn incremental_processes_only_new_and_changed_inputs() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let inp = dir.join("in");
    std::fs::create_dir(&inp).unwrap();
    let cfg = dir.join("p.toml");
    std::fs::write(&cfg, format!("{PIPELINE}\n[strip]\nrepeated = false\n")).unwrap();
    let w = |name: &str, body: &str| std::fs::write(inp.join(name), body).unwrap();
    w("a.txt", "Alpha is the first text.");
    w("b.txt", "Bravo is the second text.");
    w("c.txt", "Charlie is the third text.");
    w("d.txt", "");
    let out = dir.join("out");
    let run = |epoch: &str| {
        let st = cmd(&inp, &out, &cfg, epoch)
            .arg("--incremental")
            .status()
            .unwrap();
        assert!(st.success());
        summary(&out)
    };
    let s = run("1700000000");
    assert_eq!(s["inputs"], 4);
    let first = texts(&out);
    assert_eq!(first.len(), 3);
    assert_eq!(read(&out.join("errors.jsonl")).lines().count(), 1);

    // Change b, delete c, add e and a0; a and d are untouched.
    w("b.txt", "Bravo was rewritten, and is longer now.");
    std::fs::remove_file(inp.join("c.txt")).unwrap();
    w("e.txt", "Echo is new.");
    w("a0.txt", "Alpha zero sorts between a and b.");
    let s = run("1800000000");
    assert_eq!(s["inputs"], 3, "only b, e and a0 are processed");
    let second = texts(&out);
    let names: Vec<&str> = second
        .iter()
        .map(|(p, _, _)| p.rsplit('/').next().unwrap())
        .collect();
    assert_eq!(names, ["a.txt", "a0.txt", "b.txt", "e.txt"], "input order");
    assert_eq!(second[0], first[0], "a's record is kept as it was");
    assert_eq!(second[2].1, "Bravo was rewritten, and is longer now.");
    assert_ne!(second[2].2, first[1].2, "b was processed again");
    assert_eq!(read(&out.join("errors.jsonl")).lines().count(), 1, "d kept");

    // Nothing changed: nothing processed, output unchanged.
    let before = read(&out.join("documents.jsonl"));
    let s = run("1900000000");
    assert_eq!(s["inputs"], 0);
    assert_eq!(read(&out.join("documents.jsonl")), before);
    assert!(!out.join("documents.new.jsonl").exists());
}
