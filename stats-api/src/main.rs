use std::process::ExitCode;

use stats_api::{Application, Settings, routes, startup};

#[tokio::main]
async fn main() -> ExitCode {
    service_kit::telemetry::init("info,sqlx=warn");
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!("stats-api cannot start: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let settings = Settings::from_env()?;
    if service_kit::on_lambda() {
        let state = startup::build_state(&settings).await?;
        return lambda_http::run(routes::router(state)).await;
    }
    let app = Application::build(settings.clone()).await?;
    tracing::info!(addr = %app.local_addr(), "stats-api listening");
    let (state, path) = (app.state(), settings.catalogue_path.clone());
    tokio::spawn(async move {
        if let Err(e) = startup::reload_on_hangup(state, path).await {
            tracing::error!("cannot listen for SIGHUP, so the catalogue cannot be reloaded: {e}");
        }
    });
    app.run_with_shutdown(service_kit::shutdown::signal())
        .await?;
    Ok(())
}
