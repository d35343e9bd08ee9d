//! Batch learning of boilerplate: lines that recur across many documents of the same site or
//! folder (menus, footers, bylines of a template) are dropped with the reason "repeated across
//! N documents".
//!
//! The first pass of a run feeds every document's blocks to [`RepeatedLines::learn_doc`]; only
//! 64-bit hashes and counts are kept, never texts, and the table is capped
//! (`strip.repeated_max_entries`), so memory stays bounded on any dump. Counting is
//! commutative, so per-chunk tables merged in input order give the same result for any
//! number of threads.

use crate::block::{Doc, Verdict};
use crate::config::StripConfig;
use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};

/// Hash of a normalised line within a group; deterministic across runs and platforms.
fn line_key(group: &str, text: &str) -> u64 {
    let mut h = std::hash::DefaultHasher::new();
    group.hash(&mut h);
    for c in text.chars().filter(|c| c.is_alphanumeric()) {
        for l in c.to_lowercase() {
            l.hash(&mut h);
        }
    }
    h.finish()
}

fn group_key(group: &str) -> u64 {
    let mut h = std::hash::DefaultHasher::new();
    "\u{0}group".hash(&mut h);
    group.hash(&mut h);
    h.finish()
}

/// Counts of documents per line hash and per group.
#[derive(Debug, Clone, Default)]
pub struct RepeatedLines {
    lines: HashMap<u64, u32>,
    groups: HashMap<u64, u32>,
    max_entries: usize,
    min_docs: u32,
    min_share: f32,
}

impl RepeatedLines {
    pub fn new(cfg: &StripConfig) -> Self {
        RepeatedLines {
            lines: HashMap::new(),
            groups: HashMap::new(),
            max_entries: cfg.repeated_max_entries,
            min_docs: cfg.repeated_min_docs.max(2),
            min_share: cfg.repeated_min_share,
        }
    }

    /// Count each distinct line of `doc` once for `group`.
    pub fn learn_doc(&mut self, group: &str, doc: &Doc) {
        *self.groups.entry(group_key(group)).or_default() += 1;
        let mut seen = HashSet::new();
        for b in &doc.blocks {
            if b.text.chars().count() > 300 {
                continue; // long prose is never template boilerplate worth remembering
            }
            let k = line_key(group, &b.text);
            if !seen.insert(k) {
                continue;
            }
            if let Some(c) = self.lines.get_mut(&k) {
                *c += 1;
            } else if self.lines.len() < self.max_entries {
                self.lines.insert(k, 1);
            }
        }
    }

    /// Add the counts of another table (learned on a later part of the input).
    pub fn merge(&mut self, other: RepeatedLines) {
        for (g, c) in other.groups {
            *self.groups.entry(g).or_default() += c;
        }
        let mut keys: Vec<(u64, u32)> = other.lines.into_iter().collect();
        keys.sort_unstable();
        for (k, c) in keys {
            if let Some(v) = self.lines.get_mut(&k) {
                *v += c;
            } else if self.lines.len() < self.max_entries {
                self.lines.insert(k, c);
            }
        }
    }

    /// Number of documents of `group` that contain `text`, when it counts as repeated.
    pub fn repeated(&self, group: &str, text: &str) -> Option<u32> {
        let docs = *self.groups.get(&group_key(group))?;
        let n = *self.lines.get(&line_key(group, text))?;
        (n >= self.min_docs && n as f32 >= self.min_share * docs as f32).then_some(n)
    }

    pub fn entries(&self) -> usize {
        self.lines.len()
    }
}

/// Drop kept blocks that recur across the group's documents.
pub fn apply(doc: &mut Doc, rep: &RepeatedLines, group: &str) {
    for b in &mut doc.blocks {
        if !b.verdict.is_keep() || b.text.chars().count() > 300 {
            continue;
        }
        if let Some(n) = rep.repeated(group, &b.text) {
            b.features.repeat_count = n;
            b.verdict = Verdict::drop("repeated", format!("repeated across {n} documents"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::block::{Block, BlockKind};

    fn doc(lines: &[&str]) -> Doc {
        Doc {
            blocks: lines
                .iter()
                .map(|t| Block::new(BlockKind::Line, *t))
                .collect(),
            ..Doc::default()
        }
    }

    #[test]
    fn learns_per_group_and_merges() {
        let cfg = StripConfig::default();
        let mut a = RepeatedLines::new(&cfg);
        let mut b = RepeatedLines::new(&cfg);
        for i in 0..5 {
            let body = format!("Unique story number {i} with its own words.");
            let d = doc(&["Home | News | Sport", &body, "© 2025 Example Media"]);
            if i < 2 {
                a.learn_doc("site-a", &d)
            } else {
                b.learn_doc("site-a", &d)
            }
        }
        a.merge(b);
        assert_eq!(a.repeated("site-a", "Home | News | Sport"), Some(5));
        assert_eq!(
            a.repeated("site-a", "Unique story number 1 with its own words."),
            None
        );
        assert_eq!(a.repeated("site-b", "Home | News | Sport"), None);
        let mut d = doc(&["Home | News | Sport", "New text here."]);
        apply(&mut d, &a, "site-a");
        assert!(!d.blocks[0].verdict.is_keep());
        assert!(d.blocks[1].verdict.is_keep());
    }
}
