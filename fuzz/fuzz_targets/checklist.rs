//! Arbitrary bytes as a checklist: parse → score → rewrite → parse again.
//! No panic; the rewrite is idempotent; bytes outside the blocks survive.
#![no_main]

use libfuzzer_sys::fuzz_target;
use release_dashboard::core::analysis::analyse;
use release_dashboard::core::document::Document;
use release_dashboard::core::markers::find_blocks;
use release_dashboard::app::update::plan::rewrite_checklist;
use release_dashboard::core::report::Report;
use release_dashboard::core::settings::Settings;

const NAMES: [&str; 2] = ["READINESS_SCORE", "CI_SNAPSHOT"];

/// Built once: compiling the category regexes per input would dominate.
fn settings() -> &'static Settings {
    static SETTINGS: std::sync::OnceLock<Settings> = std::sync::OnceLock::new();
    SETTINGS.get_or_init(|| Settings::defaults("c.md".into()))
}

fn update(bytes: &[u8]) -> Option<Vec<u8>> {
    let settings = settings();
    let analysis = analyse("c.md", bytes, settings).ok()?;
    let report = Report {
        checklist: "c.md".into(),
        score: analysis.score.clone(),
        threshold: settings.threshold,
        ci: None,
        changed: false,
        warnings: vec![],
    };
    let now = jiff::Timestamp::from_second(1_795_510_800).ok()?;
    rewrite_checklist(&analysis, &report, &settings.markers, None, false, now, &[])
        .ok()
        .map(|(bytes, _)| bytes)
}

/// The text with each managed block's content cut out.
fn outside(bytes: &[u8]) -> Option<String> {
    let doc = Document::decode(bytes).ok()?;
    let blocks = find_blocks(&doc.text, &NAMES).ok()?;
    let mut out = String::new();
    let mut at = 0;
    for b in &blocks {
        out.push_str(&doc.text[at..b.content.start]);
        at = b.content.end;
    }
    out.push_str(&doc.text[at..]);
    Some(out)
}

fuzz_target!(|data: &[u8]| {
    let Some(once) = update(data) else { return };
    let twice = update(&once).expect("an updated checklist parses again");
    assert_eq!(once, twice, "update is not idempotent");
    let had_both = Document::decode(data)
        .ok()
        .and_then(|d| find_blocks(&d.text, &NAMES).ok())
        .is_some_and(|b| b.len() == 2);
    if had_both {
        assert_eq!(outside(data), outside(&once), "bytes outside the blocks changed");
    }
});
