//! The report of a book (`[book]`, docs/report.md): report.html leads with
//! the book as a whole, ranks no insured against another ("best", "least
//! down time", recommendations), details at most `[book] top` insureds, each
//! in its own colour, shows the accumulation, and `fateshare report DIR`
//! redraws it byte for byte from the folder's files.

use crate::common;
use std::path::Path;

/// The page without its style sheet and the scenario text it quotes
/// (`<style>` and `<pre>` blocks).
fn prose(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    loop {
        let next = ["<pre", "<style"]
            .iter()
            .filter_map(|t| rest.find(t).map(|i| (i, *t)))
            .min();
        let Some((i, tag)) = next else { break };
        out.push_str(&rest[..i]);
        let close = if tag == "<pre" { "</pre>" } else { "</style>" };
        match rest[i..].find(close) {
            Some(j) => rest = &rest[i + j + close.len()..],
            None => return out,
        }
    }
    out.push_str(rest);
    out
}

fn bundled_book(out: &Path, trials: &str) {
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/portfolio-cloud-book.toml");
    common::run_quiet(&file, out, &["--trials", trials, "--seed", "3"]);
}

#[test]
fn a_books_report_leads_with_the_book_and_ranks_no_insured() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    bundled_book(&out, "400");
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    // Leads with the book.
    let first = html.find("<section id=").expect("sections");
    assert!(
        html[first..].starts_with("<section id=\"book\">"),
        "{}",
        &html[first..first + 40]
    );
    let book = html.find("id=\"book-table\"").expect("the book's table");
    assert!(book < html.find("<details>").unwrap_or(html.len()));
    assert!(html.contains("AAL [95% CI]") && html.contains("OEP 1 in 250"));
    // No design sections and no statement ranking insureds as alternatives.
    let text = prose(&html).to_lowercase();
    for phrase in [
        "best",
        "least down time",
        "recommendation",
        "no clear winner",
        "cheapest",
        "loses least",
        "backup or cover",
    ] {
        assert!(!text.contains(phrase), "the book's page says \"{phrase}\"");
    }
    for id in ["headline", "results", "charts", "insurance", "drills"] {
        assert!(
            !html.contains(&format!("<section id=\"{id}\">")),
            "section {id} on a book's page"
        );
    }
    // At most `[book] top` = 10 insureds in detail, each its own colour.
    let rows = html.matches("<tr class=\"insured\">").count();
    assert_eq!(rows, 10);
    let table = &html[html.find("id=\"book-insureds\"").unwrap()..];
    let table = &table[..table.find("</table>").unwrap()];
    let mut colours: Vec<&str> = table
        .split("fill=\"")
        .skip(1)
        .map(|s| &s[..s.find('"').unwrap()])
        .collect();
    assert_eq!(colours.len(), rows);
    colours.sort_unstable();
    colours.dedup();
    assert_eq!(colours.len(), rows, "a colour is reused");
    // Accumulation by provider and component (region), from accumulation.csv.
    assert!(html.contains("<section id=\"accumulation\">"));
    assert!(html.contains("By provider") && html.contains("By component"));
    assert!(html.contains("aws"), "the providers are tagged");
    // `fateshare report DIR` redraws the same page from the folder's files.
    common::outputs::assert_report_redraws(&out, "report DIR on a book");
}

#[test]
fn the_terminal_ranks_no_insured_either() {
    let dir = tempfile::tempdir().unwrap();
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/portfolio-cloud-book.toml");
    let out = dir.path().join("out");
    let o = common::run(&[
        "run",
        file.to_str().unwrap(),
        "--trials",
        "100",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0));
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(
        text.contains("Decisions per insured, in the book's order"),
        "{text}"
    );
    assert!(!text.contains("cheapest expected total cost of risk first"));
    // Each insured's rows together: the first two rows are insured-001's.
    let rows: Vec<&str> = text
        .lines()
        .skip_while(|l| !l.starts_with("Decisions per insured"))
        .skip(2)
        .take(2)
        .collect();
    assert!(
        rows.iter().all(|r| r.starts_with("insured-001")),
        "{rows:?}"
    );
}

#[test]
fn the_books_figures_are_its_trials_totals() {
    use fateshare::insurance::ep::EpCurve;
    use fateshare::insurance::portfolio::PML_RETURN_PERIODS;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    bundled_book(&out, "300");
    // The AAL and the AEP 1 in 100 shown are those of the per-trial totals of
    // policy_trials.csv; the OEP those of the largest event per period summed
    // from il_S1_splt.csv by EventId.
    let trials = std::fs::read_to_string(out.join("policy_trials.csv")).unwrap();
    let mut total = vec![0.0f64; 300];
    for l in trials.lines().skip(1) {
        let f: Vec<&str> = l.split(',').collect();
        total[f[0].parse::<usize>().unwrap()] += f[2].parse::<f64>().unwrap();
    }
    let mut events = std::collections::HashMap::<(usize, u64), f64>::new();
    let splt = std::fs::read_to_string(out.join("il_S1_splt.csv")).unwrap();
    for l in splt.lines().skip(1) {
        let f: Vec<&str> = l.split(',').collect();
        let key = (f[0].parse::<usize>().unwrap() - 1, f[2].parse().unwrap());
        *events.entry(key).or_default() += f[10].parse::<f64>().unwrap();
    }
    let mut largest = vec![0.0f64; 300];
    for ((t, _), x) in events {
        largest[t] = largest[t].max(x);
    }
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    let mean = total.iter().sum::<f64>() / 300.0;
    let shown = fateshare::fmtnum::money(mean);
    assert!(html.contains(&shown), "AAL {shown} not shown");
    let aep = EpCurve::new(total.iter().copied());
    let oep = EpCurve::new(largest.iter().copied());
    for rp in PML_RETURN_PERIODS {
        for (curve, what) in [(&aep, "AEP"), (&oep, "OEP")] {
            if let Some(x) = curve.loss_at(rp) {
                let s = fateshare::fmtnum::money(x);
                assert!(html.contains(&s), "{what} 1 in {rp}: {s} not shown");
            }
        }
    }
    // The largest event of a period is at most its total.
    for (l, t) in largest.iter().zip(&total) {
        assert!(l <= &(t * (1.0 + 1e-12)));
    }
}

#[test]
fn a_book_with_treaties_shows_its_net_and_redraws_the_same_page() {
    // The bundled book with a 30% quota share and a cat XL, beside a copy of
    // its exposure file.
    let dir = tempfile::tempdir().unwrap();
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    std::fs::copy(
        src.join("portfolio-cloud-book.csv"),
        dir.path().join("portfolio-cloud-book.csv"),
    )
    .unwrap();
    let text = std::fs::read_to_string(src.join("portfolio-cloud-book.toml")).unwrap()
        + "\n[[treaty]]\nid = \"qs\"\nkind = \"quota_share\"\ncession = 0.3\n\
           [[treaty]]\nid = \"cat\"\nkind = \"cat_xl\"\nattachment = 5000000\nlimit = 20000000\nreinstatements = 1\n";
    let file = dir.path().join("book.toml");
    std::fs::write(&file, text).unwrap();
    let out = dir.path().join("out");
    common::run_quiet(&file, &out, &["--trials", "300", "--seed", "3"]);
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    let table = &html[html.find("id=\"book-table\"").unwrap()..];
    let table = &table[..table.find("</table>").unwrap()];
    for row in ["gross", "ceded", "net of treaties"] {
        assert!(table.contains(&format!("<strong>{row}</strong>")), "{row}");
    }
    // The net row is treaties.csv's book net: its expected loss is shown.
    let treaties = std::fs::read_to_string(out.join("treaties.csv")).unwrap();
    let header: Vec<&str> = treaties.lines().next().unwrap().split(',').collect();
    let col = |n: &str| header.iter().position(|h| *h == n).unwrap();
    let net = treaties
        .lines()
        .map(|l| l.split(',').collect::<Vec<_>>())
        .find(|f| f[col("kind")] == "book" && f[col("view")] == "net")
        .expect("the book's net row");
    let expected: f64 = net[col("expected")].parse().unwrap();
    assert!(table.contains(&fateshare::fmtnum::money(expected)));
    assert!(html.find("<section id=\"book\">") < html.find("<section id=\"treaties\">"));
    common::outputs::assert_report_redraws(&out, "report DIR on a book with treaties");
}

/// Past `--format auto`'s threshold (600 years × 120 insureds = 72,000 rows)
/// the book's per-trial tables are Parquet, and `report DIR` reads the book
/// back from them (payouts, events, accumulation) and redraws it byte for byte.
#[test]
fn a_book_past_the_threshold_is_written_and_read_back_as_parquet() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    bundled_book(&out, "600");
    for t in ["trials", "policy_trials"] {
        assert!(out.join(format!("{t}.parquet")).exists(), "{t}.parquet");
        assert!(!out.join(format!("{t}.csv")).exists(), "{t}.csv");
    }
    common::outputs::assert_report_redraws(&out, "report DIR on a Parquet book");
}
