//! Every shipped stat against the truth, computed from the generated rows without SQL.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate, Utc};

use crate::helpers::spawn_app;

#[tokio::test]
async fn members_equals_its_definition() {
    let app = spawn_app().await;
    let users = &app.db.users;
    let live: Vec<_> = users.iter().filter(|u| u.deleted_at.is_none()).collect();
    let mentors: Vec<u64> = users.iter().filter(|u| u.is_mentor).map(|u| u.id).collect();
    let invited_by_mentor = live
        .iter()
        .filter(|u| u.invited_by.is_some_and(|by| mentors.contains(&by)))
        .count();
    let newest = live
        .iter()
        .max_by_key(|u| (u.created_at, u.id))
        .expect("demo data has members");

    let (status, body) = app.get_json("/v1/stats/members").await;
    assert_eq!(status, 200, "{body}");
    let row = &body["rows"][0];
    assert_eq!(row["total"], live.len() as u64);
    assert_eq!(row["invited_by_mentor"], invited_by_mentor as u64);
    assert_eq!(row["newest_name"], newest.name.as_str());
    let joined = newest
        .created_at
        .and_utc()
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    assert_eq!(row["newest_joined_at"], joined.as_str());
    assert_eq!(body["display"], "figures");
    assert_eq!(body["truncated"], false);
    let types: Vec<_> = body["columns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            format!(
                "{}:{}",
                c["name"].as_str().unwrap(),
                c["type"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(
        types,
        [
            "total:integer",
            "invited_by_mentor:integer",
            "newest_name:string",
            "newest_joined_at:datetime"
        ]
    );
}

#[tokio::test]
async fn members_of_an_empty_community_is_zero_with_no_newest() {
    let app = spawn_app().await;
    sqlx::query("UPDATE users SET deleted_at = created_at")
        .execute(&app.db.pool)
        .await
        .unwrap();
    let (status, body) = app.get_json("/v1/stats/members").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["rows"][0]["total"], 0);
    assert!(body["rows"][0]["newest_name"].is_null());
}

fn month_start(d: NaiveDate, back: u32) -> NaiveDate {
    let months = d.year() * 12 + d.month0() as i32 - back as i32;
    NaiveDate::from_ymd_opt(months.div_euclid(12), months.rem_euclid(12) as u32 + 1, 1).unwrap()
}

#[tokio::test]
async fn signups_counts_live_members_per_month_including_empty_months() {
    let app = spawn_app().await;
    let today = Utc::now().date_naive();
    for months in [1u32, 6, 12] {
        let mut expected: Vec<(String, u64)> = (0..months)
            .rev()
            .map(|back| (month_start(today, back).format("%Y-%m").to_string(), 0))
            .collect();
        for u in app.db.users.iter().filter(|u| u.deleted_at.is_none()) {
            let key = u.created_at.format("%Y-%m").to_string();
            if let Some(slot) = expected.iter_mut().find(|(m, _)| *m == key) {
                slot.1 += 1;
            }
        }
        let path = if months == 12 {
            "/v1/stats/signups".to_string() // the default
        } else {
            format!("/v1/stats/signups?months={months}")
        };
        let (status, body) = app.get_json(&path).await;
        assert_eq!(status, 200, "{body}");
        let got: Vec<(String, u64)> = body["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r["month"].as_str().unwrap().to_string(),
                    r["signups"].as_u64().unwrap(),
                )
            })
            .collect();
        assert_eq!(got, expected, "months={months}");
        assert_eq!(body["params"]["months"], months);
    }
}

#[tokio::test]
async fn mentors_are_ranked_by_live_members_invited() {
    let app = spawn_app().await;
    let users = &app.db.users;
    let mut invited: HashMap<u64, u64> = HashMap::new();
    for u in users.iter().filter(|u| u.deleted_at.is_none()) {
        if let Some(by) = u.invited_by {
            *invited.entry(by).or_default() += 1;
        }
    }
    let mut expected: Vec<(u64, String, u64)> = users
        .iter()
        .filter(|u| u.is_mentor && u.deleted_at.is_none())
        .map(|u| {
            (
                u.id,
                u.name.clone(),
                invited.get(&u.id).copied().unwrap_or(0),
            )
        })
        .collect();
    expected.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(&b.0)));
    expected.truncate(7);

    let (status, body) = app.get_json("/v1/stats/mentors?limit=7").await;
    assert_eq!(status, 200, "{body}");
    let got: Vec<(String, u64)> = body["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["mentor"].as_str().unwrap().to_string(),
                r["invited"].as_u64().unwrap(),
            )
        })
        .collect();
    let expected: Vec<(String, u64)> = expected.into_iter().map(|(_, n, c)| (n, c)).collect();
    assert_eq!(got, expected);
    assert!(got[0].1 > 0, "the top mentor invited someone");
    assert_eq!(body["display"], "ranked");
}

/// Live members who joined in `(now - to_days_ago - days, now - to_days_ago]`.
fn joined_between(
    users: &[devkit::demo_data::DemoUser],
    now: chrono::NaiveDateTime,
    days: i64,
    periods_ago: i64,
) -> u64 {
    let end = now - chrono::Duration::days(days * periods_ago);
    let start = end - chrono::Duration::days(days);
    users
        .iter()
        .filter(|u| u.deleted_at.is_none() && u.created_at > start && u.created_at <= end)
        .count() as u64
}

#[tokio::test]
async fn growth_counts_live_members_who_joined_in_the_last_days_and_the_days_before() {
    let app = spawn_app().await;
    let users = &app.db.users;
    for days in [7i64, 30, 1] {
        let path = if days == 7 {
            "/v1/stats/growth".to_string() // the default
        } else {
            format!("/v1/stats/growth?days={days}")
        };
        // The answer is the truth at some moment of the request: before or after it.
        let before = Utc::now().naive_utc();
        let (status, body) = app.get_json(&path).await;
        let after = Utc::now().naive_utc();
        assert_eq!(status, 200, "{body}");
        let row = &body["rows"][0];
        let got = (
            row["joined"].as_u64().unwrap(),
            row["joined_the_period_before"].as_u64().unwrap(),
        );
        let truth = |now| {
            (
                joined_between(users, now, days, 0),
                joined_between(users, now, days, 1),
            )
        };
        assert!(
            got == truth(before) || got == truth(after),
            "days={days}: {got:?} vs {:?}",
            truth(before)
        );
        assert_eq!(row["change"].as_i64().unwrap(), got.0 as i64 - got.1 as i64);
        let unit = if days == 1 { "day" } else { "days" };
        assert_eq!(row["period"], format!("last {days} {unit}"));
        assert_eq!(body["display"], "figures");
    }
    let (status, _) = app.get_json("/v1/stats/growth?days=0").await;
    assert_eq!(status, 400, "a period of no days");
}
