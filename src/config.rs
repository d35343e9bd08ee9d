//! Pipeline configuration: `pipelines/*.toml` <-> [`PipelineConfig`].
//!
//! The built-in defaults are the bundled `pipelines/default.toml`, compiled into the binary, so
//! a run without that file behaves exactly like a run with it. This module only parses and
//! validates; compiling patterns is the job of the stages that use them.

use serde::Deserialize;
use std::path::Path;

/// The default pipeline, identical to `pipelines/default.toml`.
pub const DEFAULT_TOML: &str = include_str!("../pipelines/default.toml");

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read pipeline config {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("invalid pipeline config {path}: {message}")]
    Parse { path: String, message: String },
    #[error("invalid pattern in category '{category}': {message}")]
    Pattern { category: String, message: String },
    #[error(transparent)]
    Model(#[from] crate::strip::model::ModelError),
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct PipelineConfig {
    /// Name written to each record's `source` field.
    #[serde(default = "default_name")]
    pub name: String,
    #[serde(default)]
    pub limits: Limits,
    #[serde(default)]
    pub run: RunConfig,
    #[serde(default)]
    pub extract: ExtractConfig,
    #[serde(default)]
    pub strip: StripConfig,
    #[serde(default)]
    pub segment: SegmentConfig,
    #[serde(default)]
    pub model: ModelConfig,
    /// Noise categories with their patterns; evaluated in order, first match wins.
    #[serde(default, rename = "category")]
    pub categories: Vec<CategoryConfig>,
}

fn default_name() -> String {
    "gristmill".to_string()
}

/// Per-document limits; exceeding one turns the document into an error record.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct Limits {
    /// Largest raw input (compressed size for .gz/.zst) accepted, in bytes.
    pub max_input_bytes: u64,
    /// Largest decompressed document, in bytes.
    pub max_decompressed_bytes: u64,
    /// Largest JSONL line, in bytes.
    pub max_line_bytes: u64,
    /// DOM nodes deeper than this are flattened into their ancestor at this depth.
    pub max_dom_depth: usize,
    /// Documents with more DOM nodes than this are rejected (`too_large`).
    pub max_dom_nodes: usize,
    /// Wall-clock budget per document in milliseconds; checked between stages (`timeout`).
    pub max_time_ms: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_input_bytes: 64 << 20,
            max_decompressed_bytes: 64 << 20,
            max_line_bytes: 64 << 20,
            max_dom_depth: 256,
            max_dom_nodes: 1_000_000,
            max_time_ms: 20_000,
        }
    }
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct RunConfig {
    /// Documents per parallel chunk.
    pub chunk_docs: usize,
    /// Input bytes per parallel chunk.
    pub chunk_bytes: u64,
}

impl Default for RunConfig {
    fn default() -> Self {
        RunConfig {
            chunk_docs: 64,
            chunk_bytes: 16 << 20,
        }
    }
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct ExtractConfig {
    /// Keep table rows in `text`.
    pub tables: bool,
    /// Keep list items in `text`.
    pub lists: bool,
    /// Keep `<pre>`/code blocks in `text`.
    pub code: bool,
}

impl Default for ExtractConfig {
    fn default() -> Self {
        ExtractConfig {
            tables: true,
            lists: true,
            code: true,
        }
    }
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct StripConfig {
    /// Learn lines repeated across documents of the same folder/site in a first pass.
    pub repeated: bool,
    /// A line seen in at least this many documents of one group is boilerplate.
    pub repeated_min_docs: u32,
    /// ... and in at least this share of the group's documents.
    pub repeated_min_share: f32,
    /// Cap on distinct line hashes remembered per run (bounds memory of the first pass).
    pub repeated_max_entries: usize,
    /// Chars of a dropped block kept as `preview` in `metadata.removed`.
    pub preview_chars: usize,
}

impl Default for StripConfig {
    fn default() -> Self {
        StripConfig {
            repeated: true,
            repeated_min_docs: 3,
            repeated_min_share: 0.3,
            repeated_max_entries: 4_000_000,
            preview_chars: 80,
        }
    }
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct SegmentConfig {
    /// Language used when none is detected.
    pub default_lang: String,
}

impl Default for SegmentConfig {
    fn default() -> Self {
        SegmentConfig {
            default_lang: "en".to_string(),
        }
    }
}

/// The learned block classifier of the HTML path (`strip::model`).
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct ModelConfig {
    /// `"builtin"` (the model compiled in from `models/blocks.json`), a path to a model file
    /// written by `gristmill train`, or `""` to leave HTML blocks to the heuristics alone.
    pub blocks: String,
    /// A block is kept when the model gives it at least this probability of being content.
    pub threshold: f32,
    /// The line classifier of the text path (`strip::textmodel`): `"builtin"` (compiled in
    /// from `models/text_blocks.json`), a path, or `""` for the heuristics alone.
    pub text_blocks: String,
    /// A line the heuristics kept is dropped when the text model gives it less than this.
    pub text_threshold: f32,
    /// A line the structural rules dropped is kept when the text model gives it at least
    /// this (lines a noise pattern dropped are never brought back).
    pub text_restore: f32,
    /// Drop threshold of the text model on a page the structural rules kept whole (no run
    /// of prose: a grid or a list of short lines).
    pub text_whole_threshold: f32,
}

impl Default for ModelConfig {
    fn default() -> Self {
        ModelConfig {
            blocks: "builtin".to_string(),
            threshold: 0.4,
            text_blocks: "builtin".to_string(),
            text_threshold: 0.3,
            text_restore: 0.5,
            text_whole_threshold: 0.0,
        }
    }
}

/// One noise category. All patterns are regular expressions (Rust `regex` syntax); matching
/// is done on the normalised block text.
#[derive(Debug, Clone, Deserialize, PartialEq, Default)]
#[serde(deny_unknown_fields, default)]
pub struct CategoryConfig {
    pub name: String,
    pub description: String,
    /// Patterns matched against a whole block: a match drops the block.
    pub block: Vec<String>,
    /// Patterns that open a noise section: the matching block and the short, non-prose
    /// blocks after it are dropped, up to the next block of prose or heading.
    pub section: Vec<String>,
    /// Patterns for spans removed from inside kept blocks (trailing source chips and the
    /// like). The span is cut, the rest of the block stays.
    pub inline: Vec<String>,
    /// HTML class/id tokens that put an element (and its blocks) in this category.
    pub class_tokens: Vec<String>,
}

impl Default for PipelineConfig {
    fn default() -> Self {
        PipelineConfig::from_toml_str(DEFAULT_TOML, "<built-in>")
            .expect("built-in pipeline config is valid")
    }
}

impl PipelineConfig {
    pub fn from_toml_str(s: &str, path: &str) -> Result<Self, ConfigError> {
        let cfg: PipelineConfig = toml::from_str(s).map_err(|e| ConfigError::Parse {
            path: path.to_string(),
            message: e.to_string(),
        })?;
        cfg.validate(path)?;
        Ok(cfg)
    }

    pub fn from_file(path: &Path) -> Result<Self, ConfigError> {
        let s = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.display().to_string(),
            source,
        })?;
        Self::from_toml_str(&s, &path.display().to_string())
    }

    /// Load `path` if given; otherwise `pipelines/default.toml` if present, else built-ins.
    pub fn load(path: Option<&Path>) -> Result<Self, ConfigError> {
        match path {
            Some(p) => Self::from_file(p),
            None => {
                let p = Path::new("pipelines/default.toml");
                if p.is_file() {
                    Self::from_file(p)
                } else {
                    Ok(Self::default())
                }
            }
        }
    }

    fn validate(&self, path: &str) -> Result<(), ConfigError> {
        let bad = |message: String| ConfigError::Parse {
            path: path.to_string(),
            message,
        };
        let m = &self.model;
        for (name, p) in [
            ("threshold", m.threshold),
            ("text_threshold", m.text_threshold),
            ("text_restore", m.text_restore),
            ("text_whole_threshold", m.text_whole_threshold),
        ] {
            if !(0.0..=1.0).contains(&p) {
                return Err(bad(format!("model.{name} must lie in 0..=1")));
            }
        }
        if self.run.chunk_docs == 0 {
            return Err(bad("run.chunk_docs must be at least 1".into()));
        }
        for c in &self.categories {
            if c.name.trim().is_empty() {
                return Err(bad("every [[category]] needs a name".into()));
            }
            // Syntax only (the error `regex::Regex::new` would give, without compiling the
            // automata: that is done once, by `strip::Rules::compile`, which also reports a
            // pattern too big to compile).
            for p in c.block.iter().chain(&c.section).chain(&c.inline) {
                regex_syntax::Parser::new()
                    .parse(p)
                    .map_err(|e| ConfigError::Pattern {
                        category: c.name.clone(),
                        message: e.to_string(),
                    })?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_config_parses_and_has_categories() {
        let cfg = PipelineConfig::default();
        assert!(cfg.categories.iter().any(|c| c.name == "widget"));
        assert!(cfg.categories.iter().any(|c| c.name == "comments"));
    }

    #[test]
    fn bad_pattern_is_reported_with_category() {
        let err = PipelineConfig::from_toml_str(
            "[[category]]\nname = \"x\"\nblock = [\"(unclosed\"]\n",
            "t.toml",
        )
        .unwrap_err();
        assert!(err.to_string().contains("'x'"), "{err}");
    }

    #[test]
    fn unknown_key_is_rejected() {
        assert!(PipelineConfig::from_toml_str("nmae = \"x\"\n", "t.toml").is_err());
    }
}
