//! Text dumps -> blocks: paragraphs separated by blank lines, or one block per line when the
//! dump puts every paragraph on its own line. Hard-wrapped paragraphs are joined again.
//! The first line becomes the title candidate when it looks like one.

use crate::block::{Block, BlockKind, Doc};

/// Cut a text dump into blocks.
pub fn extract(s: &str) -> Doc {
    let mut doc = Doc::default();
    let lines: Vec<&str> = s.lines().collect();
    let mut group: Vec<&str> = Vec::new();
    let flush = |group: &mut Vec<&str>, blocks: &mut Vec<Block>| {
        if group.is_empty() {
            return;
        }
        if is_hard_wrapped(group) {
            blocks.push(Block::new(BlockKind::Line, group.join(" ")));
        } else {
            for l in group.iter() {
                blocks.push(Block::new(BlockKind::Line, *l));
            }
        }
        group.clear();
    };
    for line in lines {
        if line.trim().is_empty() {
            flush(&mut group, &mut doc.blocks);
        } else {
            group.push(line);
        }
    }
    flush(&mut group, &mut doc.blocks);
    for (i, b) in doc.blocks.iter_mut().enumerate() {
        b.features.position = i;
    }
    doc
}

/// A group of lines is one hard-wrapped paragraph when every line but the last is long, of
/// similar width, and does not end a sentence on its own... most of the time.
fn is_hard_wrapped(group: &[&str]) -> bool {
    if group.len() < 2 {
        return false;
    }
    let widths: Vec<usize> = group.iter().map(|l| l.trim_end().chars().count()).collect();
    let body = &widths[..widths.len() - 1];
    let max = *body.iter().max().unwrap_or(&0);
    if !(40..=120).contains(&max) {
        return false;
    }
    let near_max = body.iter().filter(|&&w| w + 15 >= max).count();
    let sentence_ends = group[..group.len() - 1]
        .iter()
        .filter(|l| crate::text::ends_with_sentence_punct(l))
        .count();
    near_max * 10 >= body.len() * 8 && sentence_ends * 2 <= body.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_paragraphs() {
        let d = extract("Title\n\nFirst para.\nSecond para.\n\n\nThird.");
        let t: Vec<&str> = d.blocks.iter().map(|b| b.text.as_str()).collect();
        assert_eq!(t, ["Title", "First para.", "Second para.", "Third."]);
    }

    #[test]
    fn hard_wrapped_paragraph_is_joined() {
        let p = "This is a long paragraph that was wrapped at a fixed width by\n\
                 the tool that produced the dump, and it continues over several\n\
                 lines until it finally ends here.";
        let d = extract(p);
        assert_eq!(d.blocks.len(), 1);
        assert!(d.blocks[0].text.contains("width by the tool"));
    }
}
