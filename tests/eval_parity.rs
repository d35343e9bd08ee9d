//! `gristmill eval` must print the same figures as the reference scorer
//! (`../shared/tools/score.py`) on the same predictions. Runs on the committed sample in
//! `tests/fixtures/bench` (licences there).

use std::path::{Path, PathBuf};
use std::process::Command;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/bench")
}

fn scorer() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/tools/score.py");
    let python = Command::new("python3").arg("--version").output().is_ok();
    (p.is_file() && python).then_some(p)
}

fn run_json(cmd: &mut Command) -> serde_json::Value {
    let out = cmd.output().expect("command runs");
    assert!(
        out.status.success(),
        "{:?} failed: {}",
        cmd,
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON on stdout")
}

fn close(a: &serde_json::Value, b: &serde_json::Value, what: &str) {
    let (a, b) = (a.as_f64().unwrap(), b.as_f64().unwrap());
    assert!(
        (a - b).abs() < 1e-9,
        "{what}: gristmill {a} vs score.py {b}"
    );
}

fn check(dataset: &str) {
    let Some(scorer) = scorer() else {
        eprintln!("skipping {dataset}: ../shared/tools/score.py or python3 not available");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let preds = dir.path().join("preds.json");
    let ours = run_json(
        Command::new(env!("CARGO_BIN_EXE_gristmill"))
            .args(["eval", dataset, "--json", "--data-root"])
            .arg(fixtures())
            .arg("--out")
            .arg(&preds),
    );
    let reference = run_json(
        Command::new("python3")
            .arg(&scorer)
            .args([dataset])
            .arg(&preds)
            .arg("--data-root")
            .arg(fixtures())
            .arg("--json"),
    );
    assert_eq!(ours["n"], reference["n"], "{dataset}: page count");
    assert_eq!(reference["missing"], 0, "{dataset}: every page predicted");
    for k in ["f1", "precision", "recall"] {
        close(&ours[k], &reference[k], &format!("{dataset} {k}"));
    }
    if let Some(types) = reference["by_type"].as_object() {
        assert!(!types.is_empty());
        for (t, r) in types {
            for k in ["f1", "precision", "recall"] {
                close(&ours["by_type"][t][k], &r[k], &format!("{dataset} {t} {k}"));
            }
        }
    }
    // The sample is small but real: a broken extractor would score near zero.
    assert!(
        ours["f1"].as_f64().unwrap() > 0.3,
        "{dataset}: {}",
        ours["f1"]
    );
}

#[test]
fn aeb_matches_reference_scorer() {
    check("aeb");
}

#[test]
fn wcxb_matches_reference_scorer() {
    check("wcxb-dev");
}

#[test]
fn textdump_matches_reference_scorer() {
    check("textdump-dev");
}
