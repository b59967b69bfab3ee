//! The Home tab's view (`views.publish`'s `view`: `{"type": "home", "blocks": […]}`), typed like
//! a message: its [`Blocks`] as templates rendered them, written out once. Its limits
//! ([`MAX_VIEW_BLOCKS`] blocks, [`MAX_VIEW_BYTES`] bytes) are checked from the blocks' counts and
//! rendered lengths, never by reading the view back. Pure.

use serde_json::Value;

use super::blocks::{MAX_VIEW_BLOCKS, MAX_VIEW_BYTES};
use super::message::{Blocks, array_len, write_array};

/// What comes before the blocks array in a view as written.
const OPEN: &str = r#"{"type":"home","blocks":"#;

/// A Home tab view, typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HomeView {
    blocks: Vec<Blocks>,
}

impl HomeView {
    /// The view of `blocks`, in order.
    pub fn new(blocks: Vec<Blocks>) -> HomeView {
        HomeView { blocks }
    }

    /// Whether a view of `blocks` would stay within Slack's limits for a view.
    pub fn fits(blocks: &[Blocks]) -> bool {
        count(blocks) <= MAX_VIEW_BLOCKS && json_len(blocks) <= MAX_VIEW_BYTES
    }

    pub fn block_count(&self) -> usize {
        count(&self.blocks)
    }

    /// The bytes [`HomeView::to_json`] writes.
    pub fn json_len(&self) -> usize {
        json_len(&self.blocks)
    }

    /// The view as `views.publish` takes it.
    pub fn to_json(&self) -> String {
        let mut out = String::with_capacity(self.json_len());
        out.push_str(OPEN);
        write_array(&mut out, &self.blocks);
        out.push('}');
        out
    }

    /// The view as a JSON tree, for checks in tests and tools (never on the way out).
    pub fn to_value(&self) -> Value {
        serde_json::from_str(&self.to_json()).unwrap_or(Value::Null)
    }
}

fn count(blocks: &[Blocks]) -> usize {
    blocks.iter().map(Blocks::count).sum()
}

fn json_len(blocks: &[Blocks]) -> usize {
    OPEN.len() + array_len(blocks) + 1
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::slack::blocks::check_view;

    fn dividers(n: usize) -> Blocks {
        Blocks::rendered(vec![r#"{"type":"divider"}"#; n].join(",\n  "), n)
    }

    #[test]
    fn a_view_is_its_blocks_as_rendered_counted_and_measured_as_written() {
        let view = HomeView::new(vec![dividers(3), dividers(1)]);
        let json = view.to_json();
        assert_eq!(view.json_len(), json.len());
        assert_eq!(view.block_count(), 4);
        let value = view.to_value();
        assert_eq!(value["type"], "home");
        assert_eq!(value["blocks"].as_array().unwrap().len(), 4);
        check_view(&value).unwrap();
    }

    #[test]
    fn a_view_fits_within_a_hundred_blocks_and_its_bytes() {
        assert!(HomeView::fits(&[dividers(60), dividers(40)]));
        assert!(!HomeView::fits(&[dividers(60), dividers(41)]));
        let big = |bytes: usize| {
            let text = "x".repeat(bytes);
            Blocks::one(format!(
                r#"{{"type":"section","text":{{"type":"mrkdwn","text":"{text}"}}}}"#
            ))
        };
        let overhead = HomeView::new(vec![big(0)]).json_len();
        assert!(HomeView::fits(&[big(MAX_VIEW_BYTES - overhead)]));
        assert!(!HomeView::fits(&[big(MAX_VIEW_BYTES - overhead + 1)]));
    }
}
