use std::process::ExitCode;

use clap::{Parser, Subcommand};
use service_kit::{Env, database_url};
use statsbot::events::{self, EventOptions, Sent};
use statsbot::{alert, ask, catalogue_check, dev, digest, slash};

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
    Dev {
        /// Answer /stats in your Slack workspace over Socket Mode: no public URL needed
        /// (SLACK_APP_TOKEN and SLACK_BOT_TOKEN from the app made from
        /// infra/slack-app-manifest.socket.yaml).
        #[arg(long)]
        socket: bool,
    },
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
        /// Then press a button of the answer, as Slack would: `share`, `run:members`,
        /// `help_next`, or its label; repeat to press one on each message in turn.
        #[arg(long)]
        press: Vec<String>,
        /// Save each chart the answers link to as a PNG in this folder (and print the links).
        #[arg(long, value_name = "DIR")]
        save_charts: Option<std::path::PathBuf>,
    },
    /// Mention the bot in the dev stack's channel, as Slack would send it, and show its reply.
    Mention {
        /// The words after @statsbot, e.g. "how many members".
        words: String,
        /// In this thread (a `ts` a reply printed): a follow-up of the bot's earlier answer.
        #[arg(long, value_name = "TS")]
        thread: Option<String>,
        /// Then send the same event again, as Slack does when it missed the acknowledgement.
        #[arg(long)]
        redeliver: bool,
        #[command(flatten)]
        who: Who,
    },
    /// DM the bot in the dev stack, as Slack would send it, and show its reply.
    Dm {
        words: String,
        #[command(flatten)]
        who: Who,
    },
    /// Paste a link in the dev stack's channel and show its preview (a stats API link unfurls).
    Unfurl {
        url: String,
        #[command(flatten)]
        who: Who,
    },
    /// Open the app's Home tab in the dev stack and show the dashboard published.
    Home {
        #[command(flatten)]
        who: Who,
    },
    /// Apply the reference schema's migrations to DATABASE_URL.
    Migrate,
    /// Render a digest from the running dev stack (BOT_DIGESTS, else the stack's file).
    Digest {
        /// The digest's name, e.g. `weekly`.
        name: String,
        /// Post it now (to the dev stack's Slack stand-in, or SLACK_API_URL).
        #[arg(long)]
        post: bool,
        /// Print the raw Block Kit JSON.
        #[arg(long)]
        json: bool,
    },
    /// Ask the running dev stack's stats API a question in words; show how it read them.
    Ask {
        /// The question, e.g. "how many joined this week".
        question: String,
    },
    /// Check an alert now against the running dev stack: its state and the message it would post.
    ///
    /// The alert is read from BOT_ALERTS, else the file the running stack reads (the shipped
    /// example unless it was started with BOT_ALERTS).
    Alert {
        /// The alert's name, e.g. `headcount`.
        name: String,
        /// Do what the check asks: post, update or resolve it (in the dev stack's Slack
        /// stand-in, or SLACK_API_URL).
        #[arg(long)]
        post: bool,
        /// Print the raw Block Kit JSON.
        #[arg(long)]
        json: bool,
    },
    /// Check a stats catalogue as the stats API's start-up does (exit 1 on any problem).
    Catalogue {
        #[command(subcommand)]
        command: CatalogueCommand,
    },
}

/// Who sends an event, and how it is shown.
#[derive(clap::Args)]
struct Who {
    #[arg(long, default_value = "U0DEV0USER")]
    user: String,
    #[arg(long, default_value = "T0DEV0TEAM")]
    team: String,
    /// Print the raw Block Kit JSON.
    #[arg(long)]
    json: bool,
}

impl Who {
    fn options(self, sent: Sent) -> EventOptions {
        EventOptions {
            sent,
            user: self.user,
            team: self.team,
            json: self.json,
        }
    }
}

#[derive(Subcommand)]
enum CatalogueCommand {
    /// Every broken entry, named; against the database at DATABASE_URL unless --offline.
    Check {
        /// The catalogue file (default: the shipped catalogue).
        file: Option<std::path::PathBuf>,
        /// Only the static checks: no database needed, the SQL is not tried.
        #[arg(long)]
        offline: bool,
    },
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let quiet = matches!(
        cli.command,
        Command::Slash { .. }
            | Command::Ask { .. }
            | Command::Mention { .. }
            | Command::Dm { .. }
            | Command::Unfurl { .. }
            | Command::Home { .. }
    );
    if !quiet {
        service_kit::telemetry::init("info,sqlx=warn");
    }
    let result = match cli.command {
        Command::Dev { socket } => {
            let mut options = dev::DevOptions::from_env();
            options.socket = socket;
            dev::run(options).await
        }
        Command::Slash {
            typed,
            url,
            json,
            user,
            team,
            press,
            save_charts,
        } => {
            slash::run(slash::SlashOptions {
                typed,
                url,
                json,
                user,
                team,
                press,
                save_charts,
            })
            .await
        }
        Command::Mention {
            words,
            thread,
            redeliver,
            who,
        } => {
            let sent = Sent::Mention {
                words,
                thread,
                redeliver,
            };
            events::run(who.options(sent)).await
        }
        Command::Dm { words, who } => events::run(who.options(Sent::Dm { words })).await,
        Command::Unfurl { url, who } => events::run(who.options(Sent::Unfurl { url })).await,
        Command::Home { who } => events::run(who.options(Sent::Home)).await,
        Command::Migrate => migrate().await,
        Command::Ask { question } => ask::run(&question).await,
        Command::Digest { name, post, json } => {
            digest::run(digest::DigestOptions { name, post, json }).await
        }
        Command::Alert { name, post, json } => {
            alert::run(alert::AlertOptions { name, post, json }).await
        }
        Command::Catalogue {
            command: CatalogueCommand::Check { file, offline },
        } => check_catalogue(file.as_deref(), offline).await,
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// `catalogue check`: prints every problem and fails when there is any.
async fn check_catalogue(file: Option<&std::path::Path>, offline: bool) -> statsbot::Result<()> {
    // The stats API's own default (the dev database), as the service would check it.
    let url = Env::process()
        .optional("DATABASE_URL")
        .unwrap_or_else(database_url::default_database_url);
    let checked = catalogue_check::check(file, &url, offline).await?;
    let location = database_url::location(&url);
    let report = catalogue_check::report(&checked, (!offline).then_some(location.as_str()));
    match checked.result {
        Ok(_) => {
            println!("{report}");
            Ok(())
        }
        Err(_) => Err(statsbot::Error::CatalogueBroken(report)),
    }
}

/// Migrates the database DATABASE_URL names, or `statsbot_dev` when it names none.
async fn migrate() -> statsbot::Result<()> {
    let url = database_url::server_url(&Env::process());
    let database = stats_api::Settings::new(url.as_str(), vec![])
        .connect_options()?
        .get_database()
        .unwrap_or(dev::DEV_DATABASE)
        .to_string();
    dev::migrate(&url, &database).await?;
    let migrated = devkit::schema::url_with_database(&url, &database);
    println!(
        "Migrations applied to {}.",
        database_url::location(&migrated)
    );
    Ok(())
}
