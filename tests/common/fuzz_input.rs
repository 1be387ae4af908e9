//! The check one fuzz input gets, shared by `tests/fuzz.rs` (stable, in
//! `cargo test`) and the `cargo fuzz` target in fuzz/ (nightly): parse and
//! validate the text; what validate accepts must fit the event budget and
//! run a few trials to finite results; what it refuses must come back as
//! one line per problem naming the file. Panics on any breach.

/// Checks one scenario text; returns whether validate accepted it.
pub fn check_input(text: &str) -> bool {
    match fateshare::scenario::compile_text(text, "fuzz.toml") {
        Err(e) => {
            assert!(!e.problems.is_empty());
            let shown = e.to_string();
            assert_eq!(shown.lines().count(), e.problems.len(), "{shown}");
            assert!(shown.lines().all(|l| l.starts_with("fuzz.toml")), "{shown}");
            false
        }
        Ok((_, model)) => {
            check_model(text, &model);
            true
        }
    }
}

/// What validate accepted (from `text`, shown on failure) fits the event
/// budget (bounded memory) and runs a few trials to finite results.
pub fn check_model(text: &str, model: &fateshare::model::Model) {
    use fateshare::engine::{self, RunOptions};
    use fateshare::model::Settings;
    let events = fateshare::budget::events_per_trial(model, model.settings.horizon_hours);
    assert!(
        events <= fateshare::budget::EVENTS_PER_TRIAL.default,
        "{text}"
    );
    let settings = Settings {
        trials: 3,
        ..model.settings
    };
    let sim = engine::simulate(model, &settings, &RunOptions::default());
    for o in &sim.outcomes {
        assert!(
            o.downtime_hours.is_finite() && o.loss.is_finite(),
            "non-finite result from:\n{text}"
        );
    }
}
