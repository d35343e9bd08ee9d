//! The documents written for this project in `corpus/html`, `corpus/text` and `corpus/jsonl`:
//! other sites, other noise, other languages and charsets than the seeds. Each test states
//! what a reader of the page would call its content and its noise.

use gristmill::source::{Item, Sources};
use gristmill::{Pipeline, PipelineConfig, Record};
use std::path::PathBuf;

fn process(rel: &str) -> Vec<Record> {
    let pipe = Pipeline::from_config(PipelineConfig::default()).unwrap();
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(rel);
    Sources::new(&[path], Default::default(), pipe.config.limits.clone())
        .filter_map(|item| match item {
            Item::Doc(src) => Some(pipe.process(&src).unwrap()),
            Item::Error { .. } => None,
        })
        .collect()
}

fn one(rel: &str) -> Record {
    process(rel).remove(0)
}

fn assert_has(r: &Record, parts: &[&str]) {
    for p in parts {
        assert!(
            r.text.contains(p),
            "{}: missing {p:?}\n---\n{}",
            r.id,
            r.text
        );
    }
}

fn assert_lacks(r: &Record, parts: &[&str]) {
    for p in parts {
        assert!(
            !r.text.contains(p),
            "{}: noise {p:?} left\n---\n{}",
            r.id,
            r.text
        );
    }
}

fn removed_categories(r: &Record) -> Vec<&str> {
    r.metadata
        .removed
        .iter()
        .map(|x| x.category.as_str())
        .collect()
}

#[test]
fn english_article_page() {
    let r = one("corpus/html/harbor-blog.html");
    let m = &r.metadata;
    assert_eq!(
        m.title.as_deref(),
        Some("Tidal Power Pilot Lights Up Harbor Town")
    );
    assert_eq!(m.author.as_deref(), Some("Maren Okafor"));
    assert_eq!(r.created.as_deref(), Some("2025-10-02T07:30:00Z"));
    assert_eq!(m.site.as_deref(), Some("Coastline Weekly"));
    assert_eq!(
        m.url.as_deref(),
        Some("https://coastline.example/energy/tidal-pilot")
    );
    assert_eq!(m.lang.as_deref(), Some("en"));
    assert_has(
        &r,
        &[
            "The small fishing town of Port Alder switched on its first tidal turbine",
            "\n\nWhy the channel was chosen\n\n",
            "who has studied the site since 2019.",
            "\n\nWhat comes next\n\n",
            "will go back into maintaining the pier.",
        ],
    );
    assert_lacks(
        &r,
        &[
            "We use cookies",
            "Home",
            "Share on Facebook",
            "Related stories",
            "Offshore wind auction",
            "Most read",
            "Ferry timetable",
            "All rights reserved",
            "Leave a reply",
            "3 Comments",
            "Hope the turbine survives",
            "The turbine is lowered into the channel",
        ],
    );
    let authors: Vec<Option<&str>> = m.comments.iter().map(|c| c.author.as_deref()).collect();
    assert_eq!(authors, [Some("Ines"), Some("old_salt"), Some("Dev P.")]);
    assert!(m.comments[2].text.contains("actual output numbers"));
    let cats = removed_categories(&r);
    for c in ["prompt", "navigation", "read_more", "footer"] {
        assert!(cats.contains(&c), "no {c} in {cats:?}");
    }
}

#[test]
fn french_page_in_windows_1252() {
    let r = one("corpus/html/vendanges-latin1.html");
    assert_eq!(r.metadata.charset, "windows-1252");
    assert_eq!(r.metadata.lang.as_deref(), Some("fr"));
    assert_eq!(r.metadata.author.as_deref(), Some("Élodie Marchand"));
    assert_eq!(
        r.metadata.title.as_deref(),
        Some("Les vendanges avancées d'un mois dans le Val de Loire")
    );
    assert_has(
        &r,
        &[
            "La chaleur de l'été a pressé les vignerons",
            "« Nous n'avions jamais commencé aussi tôt »",
            "\n\nUne main-d'œuvre difficile à trouver\n\n",
            "pour compléter leurs équipes.",
        ],
    );
    assert_lacks(
        &r,
        &["Accueil", "(AFP)", "Lire aussi", "Tous droits réservés"],
    );
    // French sentences: "13 %" and "1,5 point" do not split.
    assert!(r.metadata.sentences.iter().any(|s| s
        .starts_with("Le degré d'alcool potentiel atteint déjà 13 %")
        && s.ends_with("dix dernières années.")));
}

#[test]
fn german_text_dump() {
    let r = one("corpus/text/fahrradbruecke-de.txt");
    assert_eq!(r.metadata.lang.as_deref(), Some("de"));
    assert_eq!(
        r.metadata.title.as_deref(),
        Some("Neue Fahrradbrücke verbindet die Altstadt mit dem Hafenviertel")
    );
    assert_has(
        &r,
        &[
            "Nach zwei Jahren Bauzeit ist die neue Fahrradbrücke",
            "darunter Bürgermeisterin Dr. Katrin Vogel.",
            "\n\nKosten höher als geplant\n\n",
            "das die Arbeiten für sechs Wochen unterbrach.",
        ],
    );
    assert_lacks(
        &r,
        &[
            "Menü",
            "Startseite",
            "Cookies",
            "Lesen Sie auch",
            "Teilen",
            "Drucken",
            "Impressum",
            "© 2025",
        ],
    );
    // "Dr." and "3.000" do not end sentences.
    assert!(r
        .metadata
        .sentences
        .iter()
        .any(|s| s.starts_with("Rund 3.000 Menschen") && s.ends_with("Katrin Vogel.")));
}

#[test]
fn jsonl_rows_keep_their_ids_and_lose_prompts() {
    let recs = process("corpus/jsonl/city-dump.jsonl");
    assert_eq!(recs.len(), 2);
    assert_eq!(recs[0].metadata.source_id.as_deref(), Some("row-1"));
    assert_eq!(
        recs[0].metadata.url.as_deref(),
        Some("https://citynews.example/transport/tram-line")
    );
    assert_eq!(
        recs[0].metadata.title.as_deref(),
        Some("Tram line extension opens")
    );
    assert!(recs[0].text.starts_with("The eastern tram extension"));
    assert!(!recs[0].text.contains("© 2025"));
    assert_eq!(recs[1].id, format!("{}#1", recs[1].metadata.path));
    assert!(recs[1]
        .text
        .contains("help keep it cool for fish in summer"));
    assert!(!recs[1].text.contains("Share this article"));
}
