//! A bounded, deterministic fuzz run on stable Rust: structure-aware
//! mutations of the bundled scenarios (numbers replaced by hostile values,
//! strings by control characters, formulas and long text, keys and table
//! entries removed) through parse → validate → model → a few trials. It
//! asserts that nothing panics, that whatever `validate` accepts runs, with
//! finite results and within the event budget (bounded memory), and that
//! what it refuses comes back as problems naming places. The longer,
//! coverage-guided run is the `cargo fuzz` target in fuzz/ (nightly only).

#[path = "common/fuzz_input.rs"]
mod fuzz_input;

use rand::rngs::Xoshiro256PlusPlus;
use rand::{RngExt, SeedableRng};
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
