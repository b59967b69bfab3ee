//! The reference schema's migrations (`migrations/` at the repository root), embedded.

pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations");
