//! `/stats members`: the community's size in a sentence, from the `members` stat
//! (columns `total`, `invited_by_mentor`, `newest_name`, `newest_joined_at`).

use std::borrow::Cow;

use askama::Template;
use serde_json::Value;

use super::{Command, Plan};
use crate::error::{Error, Result};
use crate::explanation::ArgIssue;
use crate::render::{self, Context};
use crate::slack::blocks;
use crate::slack::message::Message;
use crate::slack::slash_command::Args;
use stats_contract::{ResponseType, StatInfo, StatResult};

const NAME: &str = "members";
const DESCRIPTION: &str =
    "How many members there are, how many a mentor invited, and who joined last.";
/// Keeps the sentence far inside a section's 3000 characters whatever the name.
const MAX_NAME: usize = 200;

pub struct Members {
    response_type: ResponseType,
}

impl Members {
    /// Follows the catalogue's `response_type` for `members` when it declares one.
    pub fn new(catalogue: &[StatInfo]) -> Self {
        let response_type = catalogue
            .iter()
            .find(|s| s.name == NAME)
            .map(|s| s.response_type)
            .unwrap_or_default();
        Members { response_type }
    }
}

impl Command for Members {
    fn name(&self) -> &str {
        NAME
    }

    fn description(&self) -> &str {
        DESCRIPTION
    }

    fn plan(&self, args: &Args) -> Result<Plan, ArgIssue> {
        if !args.is_empty() {
            return Err(ArgIssue::TooMany { max: 0 });
        }
        Ok(Plan::Fetch {
            stat: NAME.to_string(),
            params: Vec::new(),
        })
    }

    fn render(&self, _ctx: &Context<'_>, data: Option<&StatResult>) -> Result<Message> {
        let data = data.ok_or_else(|| Error::Rendering("members rendered without data".into()))?;
        Ok(Message::rendered(view(self.response_type, data)?.render()?))
    }

    fn response_type(&self) -> ResponseType {
        self.response_type
    }
}

#[derive(Template)]
#[template(path = "commands/members.json")]
struct MembersView<'a> {
    response_type: &'static str,
    total: i64,
    total_text: String,
    invited: Option<Count>,
    newest: Option<Newest<'a>>,
}

struct Count {
    count: i64,
    text: String,
}

struct Newest<'a> {
    name: Cow<'a, str>,
    joined: Option<JoinDate>,
}

/// The pieces of `<!date^{unix}^{date}|{fallback}>`.
struct JoinDate {
    unix: i64,
    fallback: String,
}

fn view(response_type: ResponseType, data: &StatResult) -> Result<MembersView<'_>> {
    let total = integer(data.value(0, "total"))
        .ok_or_else(|| Error::Rendering("members: no integer `total`".into()))?;
    let invited = integer(data.value(0, "invited_by_mentor")).map(|count| Count {
        count,
        text: render::group_thousands(count),
    });
    let newest = match data.value(0, "newest_name") {
        Value::String(name) if total > 0 => Some(Newest {
            name: blocks::clip(name, MAX_NAME),
            joined: data
                .value(0, "newest_joined_at")
                .as_str()
                .and_then(render::slack_date)
                .map(|(unix, fallback)| JoinDate { unix, fallback }),
        }),
        _ => None,
    };
    Ok(MembersView {
        response_type: response_type.as_str(),
        total,
        total_text: render::group_thousands(total),
        invited,
        newest,
    })
}

/// Integers may arrive as JSON numbers or, from a DECIMAL `SUM()`, as strings.
fn integer(value: &Value) -> Option<i64> {
    match value {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.parse().ok(),
        _ => None,
    }
}
