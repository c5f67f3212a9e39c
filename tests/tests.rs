//! The integration tests, one binary (linked once) with shared helpers in [`util`].

mod util;

mod batch_safety;
mod body_format;
mod body_kept;
mod clean_cli;
mod cli_conventions;
mod extract_by_text;
mod extract_latin;
mod extract_meta;
mod gold_check;
mod input_bad;
mod input_encodings;
mod input_html;
mod invisible_stage;
mod page_text;
mod properties;
mod report_browser;
mod repost_kinds;
mod review_check;
mod review_diff;
mod review_explain;
mod review_html;
mod review_stats;
mod rules_cli;
mod rules_docs;
mod rules_examples;
mod rules_scale;
mod rules_scopes;
mod spark_local;
mod stats_suspects;
mod streams;
mod suspects_kinds;
mod views;
