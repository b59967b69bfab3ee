use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    service_kit::telemetry::init("info");
    let result = match bot::Config::from_env() {
        Ok(config) => bot::startup::run(config).await,
        Err(error) => Err(error),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!(%error, "bot stopped");
            ExitCode::FAILURE
        }
    }
}
