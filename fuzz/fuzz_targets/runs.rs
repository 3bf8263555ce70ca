//! Arbitrary bytes as a runs file: no panic, and CI health of what parses.
#![no_main]

use libfuzzer_sys::fuzz_target;
use release_dashboard::core::ci::ci_health;
use release_dashboard::core::runs::parse_runs;

fuzz_target!(|data: &[u8]| {
    if let Ok(file) = parse_runs(data) {
        let health = ci_health(&file.runs, "main", 100);
        assert!(health.runs <= 100);
        assert_eq!(health.success + health.failed + health.other, health.runs);
    }
});
