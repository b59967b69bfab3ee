//! Charts through the whole stack: `/stats signups` answers with an image block whose link the
//! dev stack's stats API signed for its own address; it opens without a token (as Slack's image
//! proxy fetches it), `slash --save-charts` saves it, and a changed link is refused.

use devkit::test_database::TestDatabase;
use stats_api::catalogue::DEFAULT_CATALOGUE;

use crate::helpers::{CatalogueFile, ask_dev, dev_stack};

#[tokio::test]
async fn a_series_answer_carries_a_signed_chart_that_opens_without_a_token() {
    let db = TestDatabase::new().await;
    let catalogue = CatalogueFile::new(DEFAULT_CATALOGUE);
    let stack = dev_stack(&db, &catalogue, &[]).await;

    let reply = ask_dev(&stack, "signups 6", "").await;
    let images = statsbot::saved_charts::image_urls(&reply);
    assert_eq!(images.len(), 1, "{reply}");
    let link = &images[0];
    assert!(
        link.starts_with(&format!("{}/v1/stats/signups.png?", stack.state.api_url)),
        "{link}"
    );
    assert!(link.contains("months=6"), "{link}");
    let alt = reply["blocks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["type"] == "image")
        .unwrap()["alt_text"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(alt.starts_with("Chart: Signups per month: "), "{alt}");

    // What --save-charts does: fetched without a token, written as signups.png.
    let dir = std::env::temp_dir().join(format!("statsbot-e2e-charts-{}", std::process::id()));
    let saved = statsbot::saved_charts::save(&images, &dir).await.unwrap();
    assert_eq!(saved, [dir.join("signups.png")]);
    let bytes = std::fs::read(&saved[0]).unwrap();
    let decoder = png::Decoder::new(std::io::Cursor::new(bytes.as_slice()));
    let info = decoder.read_info().unwrap();
    assert_eq!((info.info().width, info.info().height), (800, 400));
    let _ = std::fs::remove_dir_all(&dir);

    // One character changed, and the link opens nothing.
    let changed = link.replace("months=6", "months=7");
    let refused = reqwest::get(&changed).await.unwrap();
    assert_eq!(refused.status(), 403);
    let err = statsbot::saved_charts::save(&[changed], &dir)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("bad_signature"), "{err}");

    // A figures stat has no chart.
    let members = ask_dev(&stack, "members", "").await;
    assert!(
        statsbot::saved_charts::image_urls(&members).is_empty(),
        "{members}"
    );
    stack.stop().await;
}
