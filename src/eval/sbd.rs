//! Sentence-boundary benchmark: Golden-Rules-style files `sbd/golden_rules_<name>.json`
//! (`[{id, text, sentences}]`) scored as `../shared/tools/eval_sbd.py score` does (a case
//! passes only when the whole list of whitespace-trimmed sentences matches), plus a
//! throughput measurement of the splitter alone over a text corpus.
//!
//! Not for: the extraction benchmarks (those are in `eval`), or any tuning: the splitter
//! never sees case ids.

use super::EvalError;
use crate::segment::Splitter;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// One Golden-Rules case.
#[derive(Debug, Clone, Deserialize)]
pub struct Case {
    pub id: serde_json::Value,
    pub text: String,
    pub sentences: Vec<String>,
}

/// One gold file: its name (`en`, `en52`, `de`...), the language used to split it, cases.
#[derive(Debug, Clone)]
pub struct GoldFile {
    pub name: String,
    pub lang: String,
    pub cases: Vec<Case>,
}

/// A failed case: what was expected and what the splitter returned.
#[derive(Debug, Clone, Serialize)]
pub struct Failure {
    pub id: serde_json::Value,
    pub text: String,
    pub expected: Vec<String>,
    pub got: Vec<String>,
}

/// Score of one gold file.
#[derive(Debug, Clone, Serialize)]
pub struct FileScore {
    pub name: String,
    pub lang: String,
    pub passed: usize,
    pub total: usize,
    pub failures: Vec<Failure>,
}

fn read_err(p: &Path, e: impl ToString) -> EvalError {
    EvalError::Read {
        path: p.display().to_string(),
        message: e.to_string(),
    }
}

/// The gold file names (`en`, `en52`, ...) found in `<data_root>/sbd`, sorted.
pub fn available(data_root: &Path) -> Result<Vec<String>, EvalError> {
    let dir = data_root.join("sbd");
    let rd = std::fs::read_dir(&dir).map_err(|e| read_err(&dir, e))?;
    let mut names: Vec<String> = rd
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let f = e.file_name().to_string_lossy().into_owned();
            f.strip_prefix("golden_rules_")
                .and_then(|r| r.strip_suffix(".json"))
                .map(str::to_string)
        })
        .collect();
    names.sort();
    Ok(names)
}

/// Path of the gold file `name` under `data_root`.
pub fn gold_path(data_root: &Path, name: &str) -> PathBuf {
    data_root
        .join("sbd")
        .join(format!("golden_rules_{name}.json"))
}

/// Load one gold file; its language is the name's leading letters (`en52` -> `en`).
pub fn load(data_root: &Path, name: &str) -> Result<GoldFile, EvalError> {
    let p = gold_path(data_root, name);
    let s = std::fs::read_to_string(&p).map_err(|e| read_err(&p, e))?;
    let cases: Vec<Case> = serde_json::from_str(&s).map_err(|e| read_err(&p, e))?;
    let lang: String = name
        .chars()
        .take_while(|c| c.is_ascii_alphabetic())
        .collect();
    Ok(GoldFile {
        name: name.to_string(),
        lang,
        cases,
    })
}

fn normalized(v: &[impl AsRef<str>]) -> Vec<String> {
    v.iter()
        .map(|s| s.as_ref().trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

/// Split every case and compare with the gold sentences.
pub fn score(splitter: &Splitter, gold: &GoldFile) -> FileScore {
    let mut passed = 0;
    let mut failures = Vec::new();
    for case in &gold.cases {
        let got = normalized(&splitter.split(&case.text, &gold.lang));
        let expected = normalized(&case.sentences);
        if got == expected {
            passed += 1;
        } else {
            failures.push(Failure {
                id: case.id.clone(),
                text: case.text.clone(),
                expected,
                got,
            });
        }
    }
    FileScore {
        name: gold.name.clone(),
        lang: gold.lang.clone(),
        passed,
        total: gold.cases.len(),
        failures,
    }
}

/// Predictions in the shape `eval_sbd.py score --pred` reads: `{"<id>": [sentences]}`.
pub fn predictions_json(splitter: &Splitter, gold: &GoldFile) -> serde_json::Value {
    let mut m = serde_json::Map::new();
    for case in &gold.cases {
        let id = match &case.id {
            serde_json::Value::String(s) => s.clone(),
            v => v.to_string(),
        };
        let sents = splitter.split(&case.text, &gold.lang);
        m.insert(id, serde_json::json!(sents));
    }
    serde_json::Value::Object(m)
}

/// A table of pass counts, one row per file, with the total.
pub fn report(scores: &[FileScore], verbose: bool) -> String {
    let mut out = String::new();
    out.push_str(&format!(
        "{:<8} {:<5} {:>9} {:>8}\n",
        "file", "lang", "passed", "pct"
    ));
    let (mut p, mut t) = (0, 0);
    for s in scores {
        let pct = if s.total > 0 {
            100.0 * s.passed as f64 / s.total as f64
        } else {
            0.0
        };
        out.push_str(&format!(
            "{:<8} {:<5} {:>4}/{:<4} {:>7.2}%\n",
            s.name, s.lang, s.passed, s.total, pct
        ));
        p += s.passed;
        t += s.total;
    }
    if scores.len() > 1 {
        out.push_str(&format!("{:<8} {:<5} {:>4}/{:<4}\n", "total", "", p, t));
    }
    if verbose {
        for s in scores {
            for f in &s.failures {
                out.push_str(&format!("FAIL {} #{}: {:?}\n", s.name, f.id, f.text));
                out.push_str(&format!(
                    "  expected: {:?}\n  got:      {:?}\n",
                    f.expected, f.got
                ));
            }
        }
    }
    out
}

/// Throughput of the splitter alone over documents (one call per document, one thread).
#[derive(Debug, Clone, Serialize)]
pub struct Speed {
    pub docs: usize,
    pub mb: f64,
    pub seconds: f64,
    pub mb_per_s: f64,
    pub sents: usize,
    pub sents_per_s: f64,
}

/// Record separator of the speed corpus built by `eval_sbd.py corpus`.
pub const DOC_SEP: &str = "\n\u{241e}\n";

/// Split every document `rounds` times and report MB/s (bytes of UTF-8 per second).
pub fn speed(splitter: &Splitter, docs: &[&str], lang: &str, rounds: usize) -> Speed {
    let rounds = rounds.max(1);
    let bytes: usize = docs.iter().map(|d| d.len()).sum();
    if let Some(d) = docs.first() {
        std::hint::black_box(splitter.split(d, lang));
    }
    let mut sents = 0;
    let t0 = Instant::now();
    for _ in 0..rounds {
        for d in docs {
            sents += std::hint::black_box(splitter.split(d, lang)).len();
        }
    }
    let seconds = t0.elapsed().as_secs_f64().max(1e-9);
    let mb = (bytes * rounds) as f64 / 1e6;
    Speed {
        docs: docs.len() * rounds,
        mb,
        seconds,
        mb_per_s: mb / seconds,
        sents,
        sents_per_s: sents as f64 / seconds,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_a_small_file() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("sbd")).unwrap();
        std::fs::write(
            gold_path(dir.path(), "en"),
            r#"[{"id": 1, "text": "One here. Two there.", "sentences": ["One here.", "Two there."]},
                {"id": 2, "text": "One. Two.", "sentences": ["One. Two."]}]"#,
        )
        .unwrap();
        assert_eq!(available(dir.path()).unwrap(), ["en"]);
        let g = load(dir.path(), "en").unwrap();
        let s = score(&Splitter::new(), &g);
        assert_eq!((s.passed, s.total), (1, 2));
        assert_eq!(s.failures[0].id, serde_json::json!(2));
        let r = report(&[s], true);
        assert!(r.contains("1/2") && r.contains("FAIL en #2"));
        let p = predictions_json(&Splitter::new(), &g);
        assert_eq!(p["1"], serde_json::json!(["One here.", "Two there."]));
    }
}
