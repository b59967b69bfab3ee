//! The Web API calls the event features make, on the client's one `send` loop (the token, the
//! retry policy, the pace): `conversations.replies` (a thread, paged, every author's message:
//! `history_page::own` tells the bot's), `chat.postEphemeral`, `chat.unfurl` and `views.publish`.

use std::time::{Duration, Instant};

use super::{SlackClient, json_string};
use crate::slack::history_page::{HistoryMessage, HistoryPage, PAGE_LIMIT};
use crate::slack::link_previews::LinkPreviews;
use crate::slack::message::Message;
use crate::slack::retry::GiveUp;
use crate::slack::view::HomeView;

use super::Sent;

/// A thread read at most this many pages deep (1,000 messages): a busy thread's newest
/// messages are read last, and anything past this is not worth the calls.
const MAX_PAGES: usize = 5;

/// Where `chat.unfurl` puts its previews: a message posted (`channel` + `ts`), or one still
/// being written (`unfurl_id` + `source`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UnfurlTarget {
    Posted { channel: String, ts: String },
    Composer { unfurl_id: String, source: String },
}

impl UnfurlTarget {
    /// Its two fields as a call's body begins with them.
    fn fields_json(&self) -> String {
        let field = |key: &str, value: &str| format!(r#""{key}":{}"#, json_string(value));
        match self {
            UnfurlTarget::Posted { channel, ts } => {
                format!("{},{}", field("channel", channel), field("ts", ts))
            }
            UnfurlTarget::Composer { unfurl_id, source } => {
                format!(
                    "{},{}",
                    field("unfurl_id", unfurl_id),
                    field("source", source)
                )
            }
        }
    }
}

impl SlackClient {
    /// The messages of the thread under `ts` in `channel` (its first message included), oldest
    /// first, with their metadata and authors, between `oldest` and `latest` when given; paged,
    /// at most [`MAX_PAGES`] pages.
    pub async fn replies(
        &self,
        channel: &str,
        ts: &str,
        oldest: Option<&str>,
        latest: Option<&str>,
        budget: Duration,
    ) -> Result<Vec<HistoryMessage>, GiveUp> {
        let started = Instant::now();
        let mut messages = Vec::new();
        let mut cursor: Option<String> = None;
        for _ in 0..MAX_PAGES {
            let page = self
                .replies_page(
                    channel,
                    ts,
                    (oldest, latest),
                    cursor.as_deref(),
                    started,
                    budget,
                )
                .await?;
            messages.extend(page.messages);
            match page.next_cursor {
                Some(next) => cursor = Some(next),
                None => break,
            }
        }
        Ok(messages)
    }

    /// One page of `conversations.replies` (Slack answers it as it answers history).
    pub(super) async fn replies_page(
        &self,
        channel: &str,
        ts: &str,
        (oldest, latest): (Option<&str>, Option<&str>),
        cursor: Option<&str>,
        started: Instant,
        budget: Duration,
    ) -> Result<HistoryPage, GiveUp> {
        let limit = PAGE_LIMIT.to_string();
        let mut query = vec![
            ("channel", channel),
            ("ts", ts),
            ("include_all_metadata", "true"),
            ("limit", limit.as_str()),
        ];
        query.extend(oldest.map(|o| ("oldest", o)));
        query.extend(latest.map(|l| ("latest", l)));
        query.extend(cursor.map(|c| ("cursor", c)));
        let body = self
            .read("conversations.replies", &query, started, budget)
            .await?;
        Ok(HistoryPage::read(&body))
    }

    /// `chat.postEphemeral`: `message` to `user` alone in `channel` (in a thread when the
    /// message has `thread_ts`), within `budget`. Ephemeral messages are in no history.
    pub async fn post_ephemeral(
        &self,
        channel: &str,
        user: &str,
        message: &Message,
        budget: Duration,
    ) -> Sent {
        // A message only `user` sees, in `channel` (a thread's, with `thread_ts` in the message).
        let (channel_json, user_json) = (json_string(channel), json_string(user));
        let body = message.to_json_with(&[("channel", &channel_json), ("user", &user_json)]);
        self.post_json("chat.postEphemeral", body, Some(channel), None, budget)
            .await
    }

    /// `chat.unfurl`: previews for the links of one message, each URL (exactly as shared) to
    /// `{"blocks": […]}`.
    pub async fn unfurl(
        &self,
        target: &UnfurlTarget,
        previews: &LinkPreviews,
        budget: Duration,
    ) -> Sent {
        let body = format!(
            r#"{{{},"unfurls":{}}}"#,
            target.fields_json(),
            previews.to_json()
        );
        self.post_json("chat.unfurl", body, None, None, budget)
            .await
    }

    /// `views.publish`: `view` as `user_id`'s Home tab.
    pub async fn publish_view(&self, user_id: &str, view: &HomeView, budget: Duration) -> Sent {
        let body = format!(
            r#"{{"user_id":{},"view":{}}}"#,
            json_string(user_id),
            view.to_json()
        );
        self.post_json("views.publish", body, None, None, budget)
            .await
    }
}
