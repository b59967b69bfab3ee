//! An admin's loop: `statsbot catalogue check` before a deploy, and live edits on the dev stack.

use std::process::Command;
use std::time::{Duration, Instant};

use devkit::test_database::TestDatabase;
use statsbot::catalogue_watch::Reload;
use statsbot::dev::Stack;

use crate::helpers::{CatalogueFile, ask_dev, dev_stack};

const GOOD: &str = r#"
[[stats]]
name = "active"
title = "Active members"
description = "Members who joined in the last N days."
display = "figures"
sql = """
SELECT COUNT(*) AS joined FROM users
 WHERE deleted_at IS NULL AND created_at >= NOW() - INTERVAL :days DAY
"""

[[stats.params]]
name = "days"
type = "integer"
default = 30
min = 1
max = 365
"#;

/// Three broken entries and a good one: a typo'd key, a parameter without a type, and SQL the
/// database cannot prepare.
const BROKEN: &str = r#"
[[stats]]
name = "typo"
title = "Typo"
description = "A mistyped key."
dispaly = "figures"
sql = "SELECT 1 AS one"

[[stats]]
name = "untyped"
title = "Untyped"
description = "A parameter without a type."
display = "figures"
sql = "SELECT :n AS n"
[[stats.params]]
name = "n"
default = 1

[[stats]]
name = "wrong_column"
title = "Wrong column"
description = "SQL that does not prepare."
display = "figures"
sql = "SELECT COUNT(*) AS n FROM users WHERE created = NOW()"

[[stats]]
name = "fine"
title = "Fine"
description = "Nothing wrong here."
display = "figures"
sql = "SELECT COUNT(*) AS n FROM users"
"#;

fn catalogue_check(file: &CatalogueFile, database_url: &str, offline: bool) -> (bool, String) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_statsbot"));
    command
        .args(["catalogue", "check"])
        .arg(&file.0)
        .env("DATABASE_URL", database_url);
    if offline {
        command.arg("--offline");
    }
    let output = command.output().expect("statsbot runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.success(), text)
}

#[tokio::test]
async fn catalogue_check_names_every_broken_entry_and_fails() {
    let db = TestDatabase::new().await;
    let file = CatalogueFile::new(BROKEN);
    let (ok, text) = catalogue_check(&file, &db.url(), false);
    assert!(!ok, "exit status 0 for a broken catalogue:\n{text}");
    assert!(
        text.contains("`typo`") && text.contains("did you mean `display`?"),
        "{text}"
    );
    assert!(text.contains("`untyped`, parameter `n`"), "{text}");
    assert!(
        text.contains("`wrong_column`") && text.contains("created"),
        "{text}"
    );
    assert!(
        !text.contains("`fine`"),
        "a good entry is not reported:\n{text}"
    );
    assert!(
        !text.contains(&db.url()) || !db.url().contains('@'),
        "{text}"
    );
}

#[tokio::test]
async fn catalogue_check_passes_a_good_catalogue_with_and_without_a_database() {
    let db = TestDatabase::new().await;
    let file = CatalogueFile::new(GOOD);
    let (ok, text) = catalogue_check(&file, &db.url(), false);
    assert!(ok, "{text}");
    assert!(text.contains("active"), "{text}");
    // Offline: nothing listens on this port, and nothing is asked of it.
    let (ok, text) = catalogue_check(&file, "mysql://root@127.0.0.1:9", true);
    assert!(ok, "{text}");
}

async fn ask(stack: &Stack, text: &str) -> String {
    ask_dev(stack, text, "").await.to_string()
}

/// The bot does not know it: as a command (a stats API without `/v1/ask`), or as a question.
fn unknown(answer: &str) -> bool {
    answer.contains("I don't know") || answer.contains("I couldn't match")
}

#[tokio::test]
async fn a_saved_edit_is_served_at_once_and_a_broken_one_changes_nothing() {
    let db = TestDatabase::new().await;
    let shipped = stats_api::catalogue::DEFAULT_CATALOGUE;
    let file = CatalogueFile::new(shipped);
    // Trusted for a minute: the edit must reach the bot by the reload, not by expiry.
    let stack = dev_stack(&db, &file, &[("BOT_CATALOGUE_TTL_SECONDS", "60")]).await;
    let mut reloads = stack.reloads();
    assert!(unknown(&ask(&stack, "active").await));

    std::fs::write(&file.0, format!("{shipped}\n{GOOD}")).unwrap();
    let saved = Instant::now();
    let reload = tokio::time::timeout(Duration::from_secs(5), reloads.recv())
        .await
        .expect("the edit was noticed")
        .unwrap();
    let shipped_stats = stats_api::catalogue::check_text(shipped)
        .unwrap()
        .stats
        .len();
    assert!(
        matches!(reload, Reload::Served { stats } if stats == shipped_stats + 1),
        "{reload:?}"
    );
    let answer = ask(&stack, "active 7").await;
    assert!(answer.contains("Active members"), "{answer}");
    assert!(ask(&stack, "help").await.contains("active"));
    assert!(
        saved.elapsed() < Duration::from_secs(2),
        "{:?}",
        saved.elapsed()
    );

    // A broken edit: reported, and the last good catalogue keeps serving.
    std::fs::write(&file.0, format!("{shipped}\n{GOOD}\n{BROKEN}")).unwrap();
    let reload = tokio::time::timeout(Duration::from_secs(5), reloads.recv())
        .await
        .expect("the broken edit was noticed")
        .unwrap();
    let Reload::Refused(mistakes) = reload else {
        panic!("a broken edit was served: {reload:?}");
    };
    assert!(
        mistakes.iter().any(|m| m.entry.as_deref() == Some("typo")),
        "{mistakes:?}"
    );
    assert!(ask(&stack, "active 7").await.contains("Active members"));
    assert!(unknown(&ask(&stack, "fine").await));
    stack.stop().await;
}
