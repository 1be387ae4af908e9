//! A bounded, deterministic fuzz run on stable Rust: structure-aware
//! mutations of the bundled scenarios (numbers replaced by hostile values,
//! strings by control characters, formulas and long text, keys and table
//! entries removed) through parse → validate → model → a few trials. It
//! asserts that nothing panics, that whatever `validate` accepts runs, with
//! finite results and within the event budget (bounded memory), and that
//! what it refuses comes back as problems naming places. A book whose
//! `[book] exposure` names a file beside it (the bundled
//! portfolio-cloud-book) is written, mutated, next to a copy of its exposure
//! file whose rows are mutated too (hostile cells, short rows, duplicated or
//! removed rows, unknown components), and loaded as `fateshare` loads it:
//! refusals name the file (and, for the rows, the line), and the command
//! line exits 2 on them. The longer, coverage-guided run is the `cargo fuzz`
//! target in fuzz/ (nightly only).

#[path = "common/fuzz_input.rs"]
mod fuzz_input;

use crate::common;
use rand::rngs::Xoshiro256PlusPlus;
use rand::{RngExt, SeedableRng};
use std::path::Path;
use toml::{Table, Value};

const FLOATS: [f64; 14] = [
    0.0,
    -1.0,
    1e-320,
    1e-300,
    0.5,
    1.0,
    3.0,
    1e6,
    1e12,
    1e300,
    1.7e308,
    f64::INFINITY,
    f64::NEG_INFINITY,
    f64::NAN,
];
const INTS: [i64; 6] = [0, -1, 1, 3, i64::MAX, 1 << 53];
const TEXTS: [&str; 5] = ["", "x\u{1b}[31m\n\u{0}y", "=HYPERLINK(\"x\")", "a", "-"];

/// Every path to a leaf value, as keys and indices.
fn leaves(v: &Value, path: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    match v {
        Value::Table(t) => {
            for (k, x) in t {
                path.push(k.clone());
                leaves(x, path, out);
                path.pop();
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                path.push(i.to_string());
                leaves(x, path, out);
                path.pop();
            }
        }
        _ => out.push(path.clone()),
    }
    if !path.is_empty() {
        out.push(path.clone());
    }
}

fn at<'v>(v: &'v mut Value, path: &[String]) -> Option<&'v mut Value> {
    path.iter().try_fold(v, |v, k| match v {
        Value::Table(t) => t.get_mut(k),
        Value::Array(a) => k.parse::<usize>().ok().and_then(|i| a.get_mut(i)),
        _ => None,
    })
}

fn remove(v: &mut Value, path: &[String]) {
    let Some((last, head)) = path.split_last() else {
        return;
    };
    match at(v, head) {
        Some(Value::Table(t)) => {
            t.remove(last);
        }
        Some(Value::Array(a)) => {
            if let Ok(i) = last.parse::<usize>() {
                if i < a.len() {
                    a.remove(i);
                }
            }
        }
        _ => {}
    }
}

fn mutate(doc: &Table, rng: &mut Xoshiro256PlusPlus) -> Table {
    let mut v = Value::Table(doc.clone());
    for _ in 0..rng.random_range(1..4) {
        let mut paths = Vec::new();
        leaves(&v, &mut Vec::new(), &mut paths);
        if paths.is_empty() {
            break;
        }
        let path = paths[rng.random_range(0..paths.len())].clone();
        if rng.random_range(0..8) == 0 {
            remove(&mut v, &path);
            continue;
        }
        let Some(x) = at(&mut v, &path) else { continue };
        let new = match &*x {
            Value::Float(_) | Value::Integer(_) if rng.random_range(0..2) == 0 => {
                Value::Float(FLOATS[rng.random_range(0..FLOATS.len())])
            }
            Value::Float(_) | Value::Integer(_) => {
                Value::Integer(INTS[rng.random_range(0..INTS.len())])
            }
            Value::String(s) if rng.random_range(0..4) == 0 => Value::String(s.repeat(300)),
            Value::String(_) => Value::String(TEXTS[rng.random_range(0..TEXTS.len())].into()),
            other => other.clone(),
        };
        *x = new;
    }
    match v {
        Value::Table(t) => t,
        _ => unreachable!(),
    }
}

/// The `[book] exposure` file a scenario names, if any.
fn exposure_of(doc: &Table) -> Option<String> {
    doc.get("book")?
        .get("exposure")?
        .as_str()
        .map(str::to_string)
}

/// Mutates an exposure file's rows: a cell made hostile (numbers, text,
/// an unknown component, another row's id), a field dropped, a row
/// duplicated or removed. The leading comment lines stay.
fn mutate_rows(csv_text: &str, rng: &mut Xoshiro256PlusPlus) -> String {
    let comments: String = csv_text
        .lines()
        .take_while(|l| l.starts_with('#'))
        .map(|l| format!("{l}\n"))
        .collect();
    let mut rows: Vec<Vec<String>> = csv::ReaderBuilder::new()
        .has_headers(false)
        .comment(Some(b'#'))
        .flexible(true)
        .from_reader(csv_text.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect();
    for _ in 0..rng.random_range(1..3) {
        if rows.len() < 3 {
            break;
        }
        let r = rng.random_range(1..rows.len());
        let c = rng.random_range(0..rows[r].len());
        match rng.random_range(0..10) {
            0 => {
                rows[r].remove(c);
            }
            1 => {
                let copy = rows[r].clone();
                rows.insert(r, copy);
            }
            2 => {
                rows.remove(r);
            }
            3 => {
                let other = rng.random_range(1..rows.len());
                rows[r][0] = rows[other][0].clone();
            }
            4 => rows[r][c] = "no-such-component".into(),
            5 | 6 => rows[r][c] = FLOATS[rng.random_range(0..FLOATS.len())].to_string(),
            7 => rows[r][c] = INTS[rng.random_range(0..INTS.len())].to_string(),
            _ => rows[r][c] = TEXTS[rng.random_range(0..TEXTS.len())].to_string(),
        }
    }
    let mut w = csv::WriterBuilder::new()
        .flexible(true)
        .from_writer(Vec::new());
    for r in &rows {
        w.write_record(r).unwrap();
    }
    comments + &String::from_utf8(w.into_inner().unwrap()).unwrap()
}

/// One mutated book in `dir`: `text` as fuzz.toml beside `csv` under the
/// exposure file's original name, loaded as the command line loads it.
/// Returns whether it was accepted and, if refused, the problems shown.
fn check_book(dir: &Path, text: &str, exposure: &str, csv: &str) -> (bool, String) {
    let scenario = dir.join("fuzz.toml");
    std::fs::write(&scenario, text).unwrap();
    std::fs::write(dir.join(exposure), csv).unwrap();
    match fateshare::scenario::load(&scenario) {
        Err(e) => {
            assert!(!e.problems.is_empty());
            let shown = e.to_string();
            assert_eq!(shown.lines().count(), e.problems.len(), "{shown}");
            let here = dir.display().to_string();
            assert!(shown.lines().all(|l| l.starts_with(&here)), "{shown}");
            (false, shown)
        }
        Ok((_, model)) => {
            fuzz_input::check_model(text, &model);
            (true, String::new())
        }
    }
}

#[test]
fn mutated_books_and_exposure_rows_never_panic() {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(11);
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios");
    let path = Path::new(dir).join("portfolio-cloud-book.toml");
    let doc: Table = std::fs::read_to_string(&path).unwrap().parse().unwrap();
    let exposure = exposure_of(&doc).expect("the bundled book names its exposure file");
    let csv = std::fs::read_to_string(Path::new(dir).join(&exposure)).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let (mut accepted, mut refused, mut cli) = (0, 0, 0);
    for round in 0..120 {
        // A third of the rounds mutate the scenario, a third the rows, a third both.
        let (text, rows) = match round % 3 {
            0 => (
                toml::to_string(&mutate(&doc, &mut rng)).unwrap(),
                csv.clone(),
            ),
            1 => (toml::to_string(&doc).unwrap(), mutate_rows(&csv, &mut rng)),
            _ => (
                toml::to_string(&mutate(&doc, &mut rng)).unwrap(),
                mutate_rows(&csv, &mut rng),
            ),
        };
        let result = std::panic::catch_unwind(|| check_book(tmp.path(), &text, &exposure, &rows));
        let (ok, shown) = match result {
            Ok(r) => r,
            Err(_) => panic!("fuzz input failed (see the panic above):\n{text}\n{rows}"),
        };
        if ok {
            accepted += 1;
            continue;
        }
        refused += 1;
        if round % 3 == 1 {
            // Only the rows changed: the problem names the exposure file and a line.
            assert!(
                shown.contains(&exposure) && shown.contains("line "),
                "{shown}"
            );
        }
        if cli < 6 {
            // The command line: exit 2, the same problems on stderr, nothing written.
            cli += 1;
            let scenario = tmp.path().join("fuzz.toml");
            let out = tmp.path().join("out");
            let o = common::run(&[
                "run",
                scenario.to_str().unwrap(),
                "--trials",
                "10",
                "--out",
                out.to_str().unwrap(),
                "-q",
            ]);
            let err = String::from_utf8_lossy(&o.stderr);
            assert_eq!(o.status.code(), Some(2), "{err}");
            let first = shown.lines().next().unwrap();
            assert!(err.contains(first), "{err}\nvs\n{shown}");
            assert!(!out.exists(), "nothing written on refusal");
        }
    }
    eprintln!("fuzz books: {accepted} accepted, {refused} refused");
    assert!(
        accepted > 5 && refused > 20,
        "{accepted} accepted, {refused} refused"
    );
}

#[test]
fn mutated_scenarios_never_panic_and_validate_accepts_what_runs() {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(10);
    let mut files: Vec<_> = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    assert!(!files.is_empty());
    let (mut accepted, mut refused) = (0, 0);
    for round in 0..800 {
        let path = &files[round % files.len()];
        let doc: Table = std::fs::read_to_string(path).unwrap().parse().unwrap();
        let text = toml::to_string(&mutate(&doc, &mut rng)).unwrap();
        let result = std::panic::catch_unwind(|| fuzz_input::check_input(&text));
        match result {
            Ok(true) => accepted += 1,
            Ok(false) => refused += 1,
            Err(_) => panic!("fuzz input failed (see the panic above):\n{text}"),
        }
    }
    eprintln!("fuzz: {accepted} accepted, {refused} refused");
    // The mutations must exercise both sides.
    assert!(
        accepted > 20 && refused > 20,
        "{accepted} accepted, {refused} refused"
    );
}
