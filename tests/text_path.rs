//! The plain-text path end to end: noise categories, the seed dumps, batch learning of
//! repeated lines over a synthetic site, and documents made only of short lines.

use gristmill::emit::Record;
use gristmill::run::{run, RunOptions};
use gristmill::{FormatHint, Pipeline, PipelineConfig, Source};
use std::path::Path;

fn process(text: &str) -> Record {
    let pipe = Pipeline::from_config(PipelineConfig::default()).expect("default config");
    let mut src = Source::from_bytes("test/page.txt", text.as_bytes().to_vec());
    src.hint = FormatHint::Text;
    pipe.process(&src).expect("processed")
}

fn removed_categories(r: &Record) -> Vec<String> {
    let mut c: Vec<String> = r
        .metadata
        .removed
        .iter()
        .map(|x| x.category.clone())
        .collect();
    c.sort();
    c.dedup();
    c
}

const BODY: [&str; 4] = [
    "The county council voted on Tuesday to rebuild the old stone bridge over the Wren, closed since a flood cracked its middle arch two winters ago.",
    "Engineers had warned that a repair would cost nearly as much as a new span, and residents who cross the river every day to reach the market have waited long enough.",
    "Work is due to start in the spring, once the water is low, and the council expects the bridge to carry traffic again before the end of next year.",
    "Shopkeepers on both banks said they hoped the decision would bring back the visitors they lost while the detour added twenty minutes to every trip.",
];

/// A dump with the article in the middle and one kind of noise around or inside it.
fn page(before: &[&str], inside: &[&str], after: &[&str]) -> String {
    let mut lines: Vec<&str> = vec!["Council Backs New Bridge Over the Wren"];
    lines.extend_from_slice(before);
    lines.push(BODY[0]);
    lines.push(BODY[1]);
    lines.extend_from_slice(inside);
    lines.push(BODY[2]);
    lines.push(BODY[3]);
    lines.extend_from_slice(after);
    lines.join("\n\n")
}

fn assert_body(r: &Record) {
    for p in BODY {
        assert!(
            r.text.contains(p),
            "body paragraph lost: {p}\n--- text:\n{}",
            r.text
        );
    }
}

fn assert_absent(r: &Record, noise: &[&str]) {
    for n in noise {
        assert!(
            !r.text.contains(n),
            "noise kept: {n}\n--- text:\n{}",
            r.text
        );
    }
}

#[test]
fn widget_lines_are_dropped() {
    let r = process(&page(
        &[],
        &[],
        &[
            "Write-to-Earn opportunity",
            "Time to Read",
            "You earned: 0",
            "Post Rewards",
            "Profit Subtotal, Twei 3",
            "Available from LVL 7",
        ],
    ));
    assert_body(&r);
    assert_absent(
        &r,
        &[
            "Time to Read",
            "You earned",
            "Twei",
            "LVL 7",
            "Post Rewards",
        ],
    );
    assert!(removed_categories(&r).contains(&"widget".to_string()));
}

#[test]
fn comment_section_goes_to_metadata_with_authors() {
    let r = process(&page(
        &[],
        &[],
        &[
            "2 Comments",
            "Avatar of Tomasz K",
            "Tomasz K",
            "Finally. My kids have been walking the long way round to school for two years.",
            "Avatar of riverwatcher",
            "riverwatcher",
            "I will believe it when the first lorry crosses it.",
            "Leave a comment",
        ],
    ));
    assert_body(&r);
    assert_absent(
        &r,
        &["2 Comments", "Avatar of", "Tomasz K", "Leave a comment"],
    );
    let c = &r.metadata.comments;
    assert_eq!(c.len(), 2, "{c:?}");
    assert_eq!(c[0].author.as_deref(), Some("Tomasz K"));
    assert!(c[0].text.starts_with("Finally."));
    assert_eq!(c[1].author.as_deref(), Some("riverwatcher"));
}

#[test]
fn comment_count_in_the_byline_is_not_a_thread() {
    let r = process(&page(&["By Ana Ruiz", "14 comments"], &[], &[]));
    assert_body(&r);
    assert!(r.metadata.comments.is_empty(), "{:?}", r.metadata.comments);
}

#[test]
fn read_more_and_related_links_are_dropped() {
    let r = process(&page(
        &[],
        &["Read more: Ferry fares to rise in April"],
        &["Related: How the flood of 2023 changed the valley"],
    ));
    assert_body(&r);
    assert_absent(&r, &["Ferry fares", "How the flood"]);
    assert!(removed_categories(&r).contains(&"read_more".to_string()));
}

#[test]
fn captions_with_agency_credits_are_dropped() {
    let r = process(&page(
        &[],
        &["Workers inspect the cracked arch of the bridge over the Wren on March 2, 2024. (AFP)"],
        &[],
    ));
    assert_body(&r);
    assert_absent(&r, &["cracked arch", "(AFP)"]);
}

#[test]
fn datelines_section_names_and_separators_are_dropped() {
    let r = process(&page(
        &["Today : Mar 3, 2024", "Business News", "3 March 2024", "—"],
        &["*"],
        &[],
    ));
    assert_body(&r);
    assert_absent(
        &r,
        &["Today", "Business News", "3 March 2024", "\n—\n", "\n*\n"],
    );
}

#[test]
fn trailing_and_leading_source_chips_are_cut() {
    let text = [
        "Council Backs New Bridge Over the Wren",
        "The county council voted on Tuesday to rebuild the old stone bridge over the Wren. Valley Post +3 by Mid Wales Radio",
        "Engineers had warned that a repair would cost nearly as much as a new span. +2",
        "Residents who cross the river every day to reach the market have waited long enough. * Riverside Herald",
        "Borderland Times The council expects the bridge to carry traffic again before the end of next year.",
    ]
    .join("\n\n");
    let r = process(&text);
    assert!(r
        .text
        .contains("rebuild the old stone bridge over the Wren.\n"));
    assert!(r.text.contains("nearly as much as a new span.\n"));
    assert!(r.text.contains("have waited long enough.\n"));
    assert!(r
        .text
        .contains("\nThe council expects the bridge to carry traffic again"));
    assert_absent(
        &r,
        &[
            "Valley Post",
            "+3",
            "+2",
            "Riverside Herald",
            "Borderland Times",
        ],
    );
    assert!(removed_categories(&r).contains(&"citation".to_string()));
}

#[test]
fn share_subscribe_cookie_and_newsletter_prompts_are_dropped() {
    let r = process(&page(
        &["We use cookies to improve your experience. Accept all cookies"],
        &[
            "Share this article",
            "Sign up for our morning newsletter and never miss a story",
        ],
        &["Subscribe to the Wren Valley Courier", "Follow us"],
    ));
    assert_body(&r);
    assert_absent(
        &r,
        &[
            "cookies",
            "Share this",
            "newsletter",
            "Subscribe",
            "Follow us",
        ],
    );
}

#[test]
fn menus_before_and_footers_after_the_body_are_dropped() {
    let r = process(&page(
        &[
            "Home",
            "News",
            "Sport",
            "Weather",
            "Local Events",
            "Contact",
        ],
        &[],
        &[
            "More from the valley",
            "Ferry timetable",
            "Market days",
            "© 2024 Wren Valley Courier",
            "Privacy Policy",
            "Terms of Use",
        ],
    ));
    assert_body(&r);
    assert_absent(
        &r,
        &[
            "Sport",
            "Weather",
            "Local Events",
            "Ferry timetable",
            "© 2024",
            "Privacy",
        ],
    );
}

#[test]
fn a_share_bar_after_the_body_ends_the_text() {
    let teasers = [
        "Five garden chores that are best left until the first frost has come and gone.",
        "Why a small terrace house in the valley now costs more than a farm did ten years ago.",
    ];
    let r = process(&page(
        &[],
        &[],
        &[
            "Share on Facebook",
            "From our partners",
            teasers[0],
            teasers[1],
        ],
    ));
    assert_body(&r);
    assert_absent(
        &r,
        &["Share on", "From our partners", teasers[0], teasers[1]],
    );
    // Tag lists and author boxes end the text the same way.
    let r = process(&page(
        &[],
        &[],
        &[
            "Tags:",
            "bridges",
            "Wren Valley",
            "About the author",
            teasers[1],
        ],
    ));
    assert_body(&r);
    assert_absent(&r, &["Tags", "Wren Valley", "About the author", teasers[1]]);
    // A share bar in the middle of the article does not end it: prose follows.
    let r = process(&page(&[], &["Share on Facebook"], &[]));
    assert_body(&r);
}

#[test]
fn headings_and_standfirst_stay() {
    let text = [
        "Council Backs New Bridge Over the Wren",
        "A flood cracked the old arch two winters ago; now the county will pay for a new one.",
        BODY[0],
        BODY[1],
        "What happens next",
        BODY[2],
        BODY[3],
    ]
    .join("\n\n");
    let r = process(&text);
    assert_body(&r);
    assert!(
        r.text.contains("A flood cracked the old arch"),
        "{}",
        r.text
    );
    assert!(r.text.contains("What happens next"), "{}", r.text);
    assert_eq!(
        r.metadata.title.as_deref(),
        Some("Council Backs New Bridge Over the Wren")
    );
}

#[test]
fn a_document_of_short_lines_only_is_not_emptied() {
    let r = process("Apples\nPears\nPlums\nCherries\nQuinces\n");
    for w in ["Apples", "Pears", "Plums", "Cherries", "Quinces"] {
        assert!(r.text.contains(w), "{w} lost: {:?}", r.text);
    }
    let r = process("Opening hours\n\nMon-Fri 9-17\n\nSat 10-14\n\nClosed on Sundays.");
    assert!(r.text.contains("Mon-Fri 9-17"), "{:?}", r.text);
    assert!(r.text.contains("Closed on Sundays."), "{:?}", r.text);
}

// ---------------------------------------------------------------------------------------
// The seed dumps in corpus/seeds.

fn seed(prefix: &str) -> (String, Record) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/seeds");
    let mut entries: Vec<_> = std::fs::read_dir(&dir)
        .expect("corpus/seeds")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with(prefix))
        })
        .collect();
    entries.sort();
    let raw = std::fs::read_to_string(&entries[0]).expect("seed readable");
    let r = process(&raw);
    (raw, r)
}

/// Whitespace runs (including no-break spaces, which normalisation turns into spaces) as
/// one space: the words and their order are what must survive.
fn squeeze(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Lines of a seed that are body paragraphs: long, not a caption, before any comment
/// section or reward widget.
fn body_lines(raw: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for l in raw.lines().map(str::trim) {
        if l.ends_with("Comments") || l.contains("to-Earn") {
            break;
        }
        if l.split_whitespace().count() >= 15 && !l.ends_with("(AP)") {
            out.push(l);
        }
    }
    out
}

const SEED_NOISE: &[&str] = &[
    "Time to Read",
    "You earned",
    "Post Profit",
    "Post Loss",
    "Twei",
    "Available from LVL",
    "Comments",
    "Avatar of",
    "Add your comment",
    "Your comment",
    "Read more",
    "(AP)",
    "Today :",
    "World News",
    "17 November 2025",
    "IRNA +2",
    "+1",
    "* KabulNow",
    "Dawn The",
];

#[test]
fn seeds_keep_every_body_paragraph_and_no_noise() {
    for prefix in ["000", "001", "002", "003"] {
        let (raw, r) = seed(prefix);
        let text = squeeze(&r.text);
        for p in body_lines(&raw) {
            assert!(text.contains(&squeeze(p)), "seed {prefix}: lost {p}");
        }
        for n in SEED_NOISE {
            assert!(!r.text.contains(n), "seed {prefix}: kept {n}");
        }
        assert!(
            !r.text.lines().any(|l| l.trim() == "-"),
            "seed {prefix}: separator"
        );
    }
}

#[test]
fn seed_headings_and_standfirsts_stay() {
    let (_, r) = seed("001");
    assert!(r
        .text
        .contains("Regional mediators scramble to prevent renewed violence"));
    let (_, r) = seed("002");
    for h in [
        "Iran Steps Forward Amid Regional Tensions",
        "Background to the Conflict",
        "Recent Escalation and Failed Negotiations",
        "Pakistan's Reception of Iran's Offer",
    ] {
        assert!(r.text.contains(h), "seed 002: heading {h} lost");
    }
    let (_, r) = seed("003");
    for h in [
        "Iran has offered to mediate between Pakistan and Afghanistan following the collapse of peace talks in Istanbul.",
        "Talks collapse in Istanbul",
        "Fragile Ceasefire",
    ] {
        assert!(r.text.contains(h), "seed 003: {h} lost");
    }
}

#[test]
fn seed_with_chips_keeps_the_sentences_and_cuts_the_chips() {
    let (raw, r) = seed("004");
    for n in SEED_NOISE {
        assert!(!r.text.contains(n), "seed 004: kept {n}");
    }
    assert!(r
        .text
        .contains("\nThe Iran-Afghanistan rapprochement is driven by multiple factors."));
    assert!(r.text.contains("between Afghanistan and Pakistan.\n"));
    assert!(r
        .text
        .contains("regional forum could possibly take place within weeks.\n"));
    // The headline is the title; every body line survives up to its chip.
    let mut lines = raw.lines().filter(|l| l.split_whitespace().count() >= 15);
    let headline = lines.next().expect("headline");
    assert_eq!(r.metadata.title.as_deref(), Some(headline.trim()));
    let text = squeeze(&r.text);
    for l in lines {
        let head: String = squeeze(l).chars().skip(6).take(60).collect();
        assert!(text.contains(&head), "seed 004: lost {head}");
    }
}

#[test]
fn seed_comments_land_in_metadata_with_authors() {
    let (_, r) = seed("002");
    let authors: Vec<Option<&str>> = r
        .metadata
        .comments
        .iter()
        .map(|c| c.author.as_deref())
        .collect();
    assert_eq!(
        authors,
        [
            Some("Muchacha"),
            Some("Bella Ciao"),
            Some("Ongania"),
            Some("Manolo Noriega"),
            Some("eliphas")
        ]
    );
    assert!(r.metadata.comments[0]
        .text
        .starts_with("This is a positive diplomatic move."));
    assert!(!r.text.contains("This is a positive diplomatic move."));
}

// ---------------------------------------------------------------------------------------
// Batch learning of repeated lines over a synthetic site.

const TOPICS: [&str; 8] = [
    "the orchard",
    "the ferry",
    "the library",
    "the old mill",
    "the school roof",
    "the harbour wall",
    "the night bus",
    "the allotments",
];

fn site_page(i: usize) -> String {
    let t = TOPICS[i];
    [
        format!("Courier story {i}: news about {t}"),
        "Home".to_string(),
        "Archive".to_string(),
        format!("Volunteers spent the weekend working on {t}, and the organisers said more help would be welcome next month."),
        // A promo that reads like prose and sits inside the article on every page.
        "The Wren Valley Courier is an independent newsroom that has served the valley since 1921.".to_string(),
        format!("The parish council will discuss {t} again at its meeting on the first Thursday of the month, which is open to everyone."),
        format!("Anyone with questions about {t} can write to the parish clerk, who promised to answer every letter within a week."),
        "Ferry timetable".to_string(),
    ]
    .join("\n\n")
}

fn run_site(repeated: bool) -> Vec<serde_json::Value> {
    let tmp = tempfile::tempdir().expect("tempdir");
    let site = tmp.path().join("courier");
    std::fs::create_dir_all(&site).expect("mkdir");
    for i in 0..TOPICS.len() {
        std::fs::write(site.join(format!("story-{i}.txt")), site_page(i)).expect("write");
    }
    let mut cfg = PipelineConfig::default();
    cfg.strip.repeated = repeated;
    let opts = RunOptions {
        jobs: 2,
        ..RunOptions::new(vec![site.clone()], tmp.path().join("out"))
    };
    let summary = run(cfg, &opts).expect("run");
    assert_eq!(summary.inputs, TOPICS.len() as u64);
    let out = std::fs::read_to_string(tmp.path().join("out/documents.jsonl")).expect("output");
    out.lines()
        .map(|l| serde_json::from_str(l).expect("json line"))
        .collect()
}

#[test]
fn repeated_lines_are_learned_across_a_site() {
    let docs = run_site(true);
    assert_eq!(docs.len(), TOPICS.len());
    for (i, d) in docs.iter().enumerate() {
        let text = d["text"].as_str().expect("text");
        assert!(!text.contains("independent newsroom"), "page {i}: {text}");
        assert!(
            text.contains("Volunteers spent the weekend"),
            "page {i}: {text}"
        );
        assert!(
            text.contains("write to the parish clerk"),
            "page {i}: {text}"
        );
        let removed = d["metadata"]["removed"].as_array().expect("removed");
        assert!(
            removed.iter().any(|x| x["category"] == "repeated"
                && x["reason"]
                    .as_str()
                    .is_some_and(|r| r.contains(&format!("{} documents", TOPICS.len())))),
            "page {i}: {removed:?}"
        );
    }
    // Without the first pass the promo stays: the test above measures the learning.
    let docs = run_site(false);
    let text = docs[0]["text"].as_str().expect("text");
    assert!(text.contains("independent newsroom"), "{text}");
}

// ---------------------------------------------------------------------------------------
// The learned line classifier (`strip::textmodel`) and the heuristics without it.

fn process_with(cfg: PipelineConfig, text: &str) -> Record {
    let pipe = Pipeline::from_config(cfg).expect("config");
    let mut src = Source::from_bytes("test/page.txt", text.as_bytes().to_vec());
    src.hint = FormatHint::Text;
    pipe.process(&src).expect("processed")
}

#[test]
fn the_line_classifier_can_be_switched_off() {
    let text = page(
        &["Home", "Opinion", "Podcasts", "Weather"],
        &[],
        &["Bus timetable", "Parking permits", "Road works"],
    );
    let mut cfg = PipelineConfig::default();
    assert_eq!(cfg.model.text_blocks, "builtin");
    cfg.model.text_blocks = String::new();
    for r in [process_with(cfg, &text), process(&text)] {
        assert_body(&r);
        assert_absent(&r, &["Podcasts", "Parking permits", "Road works"]);
    }
    let mut cfg = PipelineConfig::default();
    cfg.model.text_blocks = String::new();
    let off = process_with(cfg, &text);
    assert!(!off
        .metadata
        .removed
        .iter()
        .any(|x| x.reason.contains("line classifier")));
    // A model file trained on other features is refused at start-up.
    let dir = std::env::temp_dir().join(format!("gm-textmodel-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("m.json");
    std::fs::write(&bad, r#"{"features":["words"],"base":0.0,"trees":[]}"#).unwrap();
    let mut cfg = PipelineConfig::default();
    cfg.model.text_blocks = bad.display().to_string();
    assert!(Pipeline::from_config(cfg).is_err());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_price_list_keeps_its_items_with_the_classifier_on() {
    let text = "Spring seed catalogue\n\nTomato 'Gardener's Delight'\n\n$3.95\n\nRunner bean 'Scarlet'\n\n$2.75\n\nSweet pea mix\n\n$4.20\n\nCourgette 'Defender'\n\n$3.10\n";
    let r = process(text);
    for w in ["$3.95", "$2.75", "$4.20", "$3.10", "Sweet pea mix"] {
        assert!(r.text.contains(w), "{w} lost: {:?}", r.text);
    }
}
