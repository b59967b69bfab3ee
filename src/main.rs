use std::process::ExitCode;

use clap::{Parser, Subcommand};
use statsbot::{dev, slash};

/// statsbot: Slack's /stats, answered from your community's own database.
#[derive(Parser)]
#[command(version)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the whole stack locally on demo data (database `statsbot_dev` at DATABASE_URL).
    Dev,
    /// Send a signed slash command to the bot, as Slack would, and show the answer.
    Slash {
        /// What you would type in Slack, e.g. "/stats members".
        typed: String,
        /// The bot's /slack/commands URL (default: the running dev stack).
        #[arg(long)]
        url: Option<String>,
        /// Print the raw Block Kit JSON.
        #[arg(long)]
        json: bool,
        #[arg(long, default_value = "U0DEV0USER")]
        user: String,
        #[arg(long, default_value = "T0DEV0TEAM")]
        team: String,
    },
    /// Apply the reference schema's migrations to DATABASE_URL.
    Migrate,
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    if !matches!(cli.command, Command::Slash { .. }) {
        service_kit::telemetry::init("info,sqlx=warn");
    }
    let result = match cli.command {
        Command::Dev => match dev::DevOptions::from_env() {
            Ok(options) => dev::run(options).await,
            Err(e) => Err(e),
        },
        Command::Slash {
            typed,
            url,
            json,
            user,
            team,
        } => {
            slash::run(slash::SlashOptions {
                typed,
                url,
                json,
                user,
                team,
            })
            .await
        }
        Command::Migrate => migrate().await,
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Migrates the database DATABASE_URL names, or `statsbot_dev` when it names none.
async fn migrate() -> statsbot::Result<()> {
    let url =
        std::env::var("DATABASE_URL").unwrap_or_else(|_| "mysql://root@127.0.0.1:3306".into());
    let database = stats_api::Settings::new(url.as_str(), vec![])
        .connect_options()?
        .get_database()
        .unwrap_or(dev::DEV_DATABASE)
        .to_string();
    dev::migrate(&url, &database).await?;
    let migrated = devkit::schema::url_with_database(&url, &database);
    println!(
        "Migrations applied to {}.",
        service_kit::database_url::location(&migrated)
    );
    Ok(())
}
