//! Benchmark harness for `bench/compare.sh`: runs ONE tool over a list of gzipped HTML pages on
//! one thread and prints one JSON line with its per-page timings.
//!
//! Tools: `gristmill` (Pipeline::process from raw bytes: decode, extract, strip, segment,
//! record), `rs-trafilatura` (extract), `dom_smoothie` (Readability::new + parse, text only),
//! `scraper` (html5ever parse of the page and nothing else: the floor), `gunzip` (gunzip and
//! decode only). The timed call is the tool's work on one page; reading, gunzip and decoding
//! to a `String` are outside it (gristmill decodes inside `process`, so its call also pays
//! for decoding). Whole-process time and peak RSS are measured around this program by the
//! script. Not part of gristmill: this crate has its own workspace.

use std::io::Read;
use std::time::Instant;

fn usage() -> ! {
    eprintln!("usage: peers {{gristmill|rs-trafilatura|dom_smoothie|scraper|gunzip}} LIST_FILE");
    std::process::exit(1)
}

fn gunzip(path: &str) -> Vec<u8> {
    let f = std::fs::File::open(path).unwrap_or_else(|e| {
        eprintln!("peers: {path}: {e}");
        std::process::exit(1)
    });
    let mut out = Vec::new();
    if path.ends_with(".gz") {
        flate2::read::GzDecoder::new(f)
            .read_to_end(&mut out)
            .unwrap_or_else(|e| {
                eprintln!("peers: {path}: {e}");
                std::process::exit(1)
            });
    } else {
        std::io::BufReader::new(f)
            .read_to_end(&mut out)
            .expect("read page");
    }
    out
}

/// Bytes to text: UTF-8 when valid, else the encoding chardetng guesses.
fn decode(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => {
            let mut det = chardetng::EncodingDetector::new();
            det.feed(bytes, true);
            let enc = det.guess(None, true);
            enc.decode(bytes).0.into_owned()
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() != 2 {
        usage();
    }
    let tool = args[0].as_str();
    let list = std::fs::read_to_string(&args[1]).expect("read list file");
    let paths: Vec<&str> = list.lines().filter(|l| !l.trim().is_empty()).collect();

    let pipe = if tool == "gristmill" {
        let cfg = gristmill::PipelineConfig::load(None).expect("gristmill config");
        Some(gristmill::Pipeline::from_config(cfg).expect("gristmill pipeline"))
    } else {
        None
    };
    let smoothie_cfg = dom_smoothie::Config {
        text_mode: dom_smoothie::TextMode::Formatted,
        ..Default::default()
    };

    let mut ms: Vec<f64> = Vec::with_capacity(paths.len());
    let mut bytes_html: u64 = 0;
    let mut chars_out: u64 = 0;
    let mut failures = 0u32;
    for path in &paths {
        if tool == "gunzip" {
            let t = Instant::now();
            let s = decode(&gunzip(path));
            ms.push(t.elapsed().as_secs_f64() * 1e3);
            bytes_html += s.len() as u64;
            chars_out += std::hint::black_box(s).len() as u64;
            continue;
        }
        let raw = gunzip(path);
        bytes_html += raw.len() as u64;
        let t;
        let out_len: usize;
        match tool {
            "gristmill" => {
                let src = gristmill::Source::from_bytes(path, raw);
                t = Instant::now();
                out_len = match pipe.as_ref().map(|p| p.process(&src)) {
                    Some(Ok(r)) => r.text.len(),
                    _ => {
                        failures += 1;
                        0
                    }
                };
            }
            "rs-trafilatura" => {
                let html = decode(&raw);
                t = Instant::now();
                out_len = match rs_trafilatura::extract(&html) {
                    Ok(r) => r.content_text.len(),
                    Err(_) => {
                        failures += 1;
                        0
                    }
                };
            }
            "dom_smoothie" => {
                let html = decode(&raw);
                t = Instant::now();
                out_len = match dom_smoothie::Readability::new(
                    html.as_str(),
                    None,
                    Some(smoothie_cfg.clone()),
                )
                .and_then(|mut r| r.parse())
                {
                    Ok(a) => a.text_content.len(),
                    Err(_) => {
                        failures += 1;
                        0
                    }
                };
            }
            "scraper" => {
                let html = decode(&raw);
                t = Instant::now();
                let doc = scraper::Html::parse_document(&html);
                out_len = std::hint::black_box(&doc).tree.values().count();
            }
            _ => usage(),
        }
        ms.push(t.elapsed().as_secs_f64() * 1e3);
        chars_out += out_len as u64;
    }
    let total: f64 = ms.iter().sum();
    ms.sort_by(|a, b| a.total_cmp(b));
    let pct = |p: f64| -> f64 {
        if ms.is_empty() {
            return 0.0;
        }
        let i = ((ms.len() - 1) as f64 * p).round() as usize;
        ms[i]
    };
    println!(
        "{{\"tool\":\"{tool}\",\"pages\":{},\"bytes_html\":{bytes_html},\"out_bytes\":{chars_out},\"failures\":{failures},\"call_total_ms\":{total:.1},\"median_ms\":{:.3},\"p95_ms\":{:.3}}}",
        ms.len(),
        pct(0.5),
        pct(0.95)
    );
}
