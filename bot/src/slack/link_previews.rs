//! `chat.unfurl`'s `unfurls`: each link of one message (its URL exactly as shared) to the
//! [`Blocks`] that preview it, as templates rendered them, written out once
//! (`{"<url>": {"blocks": […]}, …}`). Pure.

use serde_json::Value;

use super::json::json_inner;
use super::message::{Blocks, array_len, write_array};

/// The previews of one message's links, in the order they were added.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LinkPreviews {
    previews: Vec<(String, Vec<Blocks>)>,
}

impl LinkPreviews {
    /// `url`'s preview; a URL previewed already keeps its first.
    pub fn insert(&mut self, url: &str, blocks: Vec<Blocks>) {
        if !self.contains(url) {
            self.previews.push((url.to_string(), blocks));
        }
    }

    pub fn contains(&self, url: &str) -> bool {
        self.previews.iter().any(|(u, _)| u == url)
    }

    pub fn len(&self) -> usize {
        self.previews.len()
    }

    pub fn is_empty(&self) -> bool {
        self.previews.is_empty()
    }

    /// The map as `chat.unfurl`'s `unfurls` takes it.
    pub fn to_json(&self) -> String {
        let capacity = self.previews.iter();
        let capacity = capacity.map(|(url, blocks)| url.len() + 16 + array_len(blocks));
        let mut out = String::with_capacity(2 + capacity.sum::<usize>());
        out.push('{');
        for (i, (url, blocks)) in self.previews.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push('"');
            out.push_str(&json_inner(url));
            out.push_str(r#"":{"blocks":"#);
            write_array(&mut out, blocks);
            out.push('}');
        }
        out.push('}');
        out
    }

    /// The map as a JSON tree, for checks in tests and tools (never on the way out).
    pub fn to_value(&self) -> Value {
        serde_json::from_str(&self.to_json()).unwrap_or(Value::Null)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_url_as_shared_maps_to_its_blocks_once() {
        let divider = Blocks::one(r#"{"type":"divider"}"#.into());
        let context = Blocks::one(
            r#"{"type":"context","elements":[{"type":"mrkdwn","text":"`/stats members`"}]}"#.into(),
        );
        let url = "https://stats.example.org/v1/stats/members?x=\"1\"";
        let mut previews = LinkPreviews::default();
        assert!(previews.is_empty());
        previews.insert(url, vec![divider.clone(), context]);
        previews.insert(url, vec![divider.clone()]);
        previews.insert(
            "https://stats.example.org/v1/stats/growth.csv",
            vec![divider],
        );
        assert_eq!(previews.len(), 2);
        let value = previews.to_value();
        assert_eq!(value[url]["blocks"].as_array().unwrap().len(), 2);
        assert_eq!(value[url]["blocks"][1]["type"], "context");
        assert_eq!(
            value["https://stats.example.org/v1/stats/growth.csv"]["blocks"][0]["type"],
            "divider"
        );
    }
}
