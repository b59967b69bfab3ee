//! Deterministic demo data for the reference schema: thousands of members over several years,
//! mentors, invitations and soft-deleted rows. The same options always give the same rows, so
//! the dev stack, tests and benchmarks can rely on it.

use chrono::{Duration, NaiveDateTime};
use sqlx::{MySql, MySqlPool, QueryBuilder};

/// What to generate. `end` is the latest join date (usually now), so recent-month stats
/// have data whenever the demo is loaded.
#[derive(Debug, Clone, Copy)]
pub struct DemoOptions {
    pub members: usize,
    pub years: u32,
    pub seed: u64,
    pub end: NaiveDateTime,
}

impl DemoOptions {
    pub fn new(members: usize, end: NaiveDateTime) -> Self {
        DemoOptions {
            members,
            years: 6,
            seed: 0x5747_5342_4f54,
            end,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct DemoUser {
    pub id: u64,
    pub name: String,
    pub email: String,
    pub is_mentor: bool,
    pub invited_by: Option<u64>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub deleted_at: Option<NaiveDateTime>,
}

const FIRST: &[&str] = &[
    "Ada",
    "Grace",
    "Alan",
    "Katherine",
    "Linus",
    "Margaret",
    "Dennis",
    "Barbara",
    "Ken",
    "Frances",
    "Edsger",
    "Radia",
    "Donald",
    "Hedy",
    "John",
    "Sophie",
    "Guido",
    "Anita",
    "Bjarne",
    "Joan",
    "Zoë",
    "José",
    "Łukasz",
    "Amélie",
    "Søren",
    "Chloé",
    "Björn",
    "Aiyana",
    "Kwame",
    "Mei",
    "Ravi",
    "Yuki",
    "Olúwadámilọ́lá",
    "Nguyễn",
    "Priya",
    "Mateo",
    "Fatima",
    "Ingrid",
    "Tomás",
    "Ngozi",
];

const LAST: &[&str] = &[
    "Lovelace",
    "Hopper",
    "Turing",
    "Johnson",
    "Torvalds",
    "Hamilton",
    "Ritchie",
    "Liskov",
    "Thompson",
    "Allen",
    "Dijkstra",
    "Perlman",
    "Knuth",
    "Lamarr",
    "McCarthy",
    "Wilson",
    "van Rossum",
    "Borg",
    "Stroustrup",
    "Clarke",
    "Müller",
    "García",
    "Kowalski",
    "Dubois",
    "Nielsen",
    "O'Brien",
    "Andersson",
    "Okafor",
    "Mensah",
    "Wang",
    "Sharma",
    "Tanaka",
    "Adeyemi",
    "Trần",
    "Iyer",
    "Rossi",
    "Haddad",
    "Berg",
    "Silva",
    "Eze",
];

/// splitmix64: tiny, fast and the same everywhere; no dependency for a demo.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
}

/// The rows, in id order (ids follow join order, as auto-increment would).
pub fn generate(options: &DemoOptions) -> Vec<DemoUser> {
    let mut rng = Rng(options.seed);
    let span = Duration::days(365 * i64::from(options.years)).num_seconds() as f64;
    let start = options.end - Duration::seconds(span as i64);
    // sqrt skews joins towards recent years: a community that keeps growing.
    let mut offsets: Vec<i64> = (0..options.members)
        .map(|_| (span * rng.unit().sqrt()) as i64)
        .collect();
    offsets.sort_unstable();

    let mut users: Vec<DemoUser> = Vec::with_capacity(options.members);
    let mut mentors: Vec<u64> = Vec::new();
    for (i, offset) in offsets.into_iter().enumerate() {
        let id = i as u64 + 1;
        let created_at = start + Duration::seconds(offset);
        let is_mentor = rng.chance(if i < options.members / 4 { 0.10 } else { 0.03 });
        let invited_by = if users.is_empty() || !rng.chance(0.35) {
            None
        } else if !mentors.is_empty() && rng.chance(0.65) {
            Some(mentors[rng.below(mentors.len())])
        } else {
            Some(rng.below(users.len()) as u64 + 1)
        };
        let remaining = (options.end - created_at).num_seconds().max(1);
        let deleted_at = rng
            .chance(0.07)
            .then(|| created_at + Duration::seconds(rng.below(remaining as usize) as i64));
        let updated_at = deleted_at.unwrap_or(created_at);
        let name = format!(
            "{} {}",
            FIRST[rng.below(FIRST.len())],
            LAST[rng.below(LAST.len())]
        );
        if is_mentor {
            mentors.push(id);
        }
        users.push(DemoUser {
            id,
            name,
            email: format!("member{id}@example.org"),
            is_mentor,
            invited_by,
            created_at,
            updated_at,
            deleted_at,
        });
    }
    users
}

/// Inserts the rows in batches (the table must be empty).
pub async fn load(pool: &MySqlPool, users: &[DemoUser]) -> sqlx::Result<()> {
    for batch in users.chunks(1_000) {
        let mut insert = QueryBuilder::<MySql>::new(
            "INSERT INTO users (id, name, email, is_mentor, invited_by, created_at, updated_at, deleted_at) ",
        );
        insert.push_values(batch, |mut row, u| {
            row.push_bind(u.id)
                .push_bind(&u.name)
                .push_bind(&u.email)
                .push_bind(u.is_mentor)
                .push_bind(u.invited_by)
                .push_bind(u.created_at)
                .push_bind(u.updated_at)
                .push_bind(u.deleted_at);
        });
        insert.build().execute(pool).await?;
    }
    Ok(())
}

/// Loads the demo rows when `users` is empty; says whether it did.
pub async fn seed_if_empty(pool: &MySqlPool, options: &DemoOptions) -> sqlx::Result<bool> {
    let existing: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users")
        .fetch_one(pool)
        .await?;
    if existing > 0 {
        return Ok(false);
    }
    load(pool, &generate(options)).await?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn end() -> NaiveDateTime {
        chrono::NaiveDate::from_ymd_opt(2026, 11, 1)
            .unwrap()
            .and_hms_opt(12, 0, 0)
            .unwrap()
    }

    #[test]
    fn the_same_options_give_the_same_rows() {
        let options = DemoOptions::new(3_000, end());
        assert_eq!(generate(&options), generate(&options));
    }

    #[test]
    fn the_rows_look_like_a_living_community() {
        let users = generate(&DemoOptions::new(5_000, end()));
        let mentors = users.iter().filter(|u| u.is_mentor).count();
        let invited = users.iter().filter(|u| u.invited_by.is_some()).count();
        let deleted = users.iter().filter(|u| u.deleted_at.is_some()).count();
        assert!((100..600).contains(&mentors), "{mentors} mentors");
        assert!((1_200..2_300).contains(&invited), "{invited} invited");
        assert!((200..600).contains(&deleted), "{deleted} deleted");
        let years: std::collections::BTreeSet<_> = users
            .iter()
            .map(|u| u.created_at.format("%Y").to_string())
            .collect();
        assert!(years.len() >= 6, "{years:?}");
        for u in &users {
            assert!(
                u.invited_by.is_none_or(|by| by < u.id),
                "invited by a later member"
            );
            assert!(u.deleted_at.is_none_or(|d| d >= u.created_at && d <= end()));
            assert!(u.created_at <= end());
        }
    }
}
