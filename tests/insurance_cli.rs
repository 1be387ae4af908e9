//! The binary with `[[policy]]` tables: bad policies get a one-line message
//! naming the file and the policy, exit status 2, and nothing written; good
//! runs write the insurance and ORD files, identical for any thread count.

use crate::common;
use common::{assert_rejected, run, write};

const GOOD: &str = r#"name = "covered"
[simulation]
trials = 2000
[[component]]
id = "region"
outages = { per_year = 3.0, duration = { dist = "lognormal", median_hours = 4.0, p95_hours = 16.0 } }
[[component]]
id = "app"
outages = { per_year = 4.0, duration = { dist = "exponential", mean_hours = 1.0 } }
[[component]]
id = "site"
needs = ["region", "app"]
[[architecture]]
id = "shop"
serves = "site"
cost_per_year = 1000
loss = { per_hour = 1000, per_outage = 100 }
[[policy]]
id = "cover"
kind = "parametric"
index = "region"
insured = "shop"
waiting_hours = 4
pay_per_hour = 1000
max_hours_per_event = 24
event_limit = 20000
annual_limit = 30000
pricing = { method = "std_dev", loading = 0.25, expense_ratio = 0.3 }
portfolio = "book"
[[policy]]
id = "bi"
kind = "indemnity"
insured = "shop"
deductible = 2000
share = 0.8
pricing = { method = "wang", lambda = 0.2 }
portfolio = "book"
"#;

const INSURANCE_FILES: [&str; 19] = [
    "policies.csv",
    "decisions.csv",
    "portfolios.csv",
    "policy_trials.csv",
    "il_S1_summary-info.csv",
    "il_S1_palt.csv",
    "il_S1_alct.csv",
    "il_S1_ept.csv",
    "il_S1_splt.csv",
    "gul_S1_summary-info.csv",
    "gul_S1_palt.csv",
    "gul_S1_alct.csv",
    "gul_S1_ept.csv",
    "gul_S1_splt.csv",
    "il_S2_summary-info.csv",
    "il_S2_palt.csv",
    "il_S2_alct.csv",
    "il_S2_ept.csv",
    "il_S2_splt.csv",
];

fn good_with(from: &str, to: &str) -> String {
    assert!(GOOD.contains(from), "test setup: {from:?} not in GOOD");
    GOOD.replacen(from, to, 1)
}

#[test]
fn unknown_ids() {
    assert_rejected(
        &good_with("index = \"region\"", "index = \"regoin\""),
        &[
            "policy \"cover\"",
            "unknown component or architecture \"regoin\"",
            "did you mean \"region\"",
        ],
    );
    assert_rejected(
        &good_with(
            "insured = \"shop\"\ndeductible",
            "insured = \"store\"\ndeductible",
        ),
        &[
            "policy \"bi\"",
            "insured names unknown architecture \"store\"",
        ],
    );
}

#[test]
fn negative_amounts_and_limits() {
    assert_rejected(
        &good_with("pay_per_hour = 1000", "pay_per_hour = -1000"),
        &["policy \"cover\"", "pay_per_hour is -1000", "0 or more"],
    );
    assert_rejected(
        &good_with("annual_limit = 30000", "annual_limit = -1"),
        &["policy \"cover\"", "annual_limit is -1"],
    );
    assert_rejected(
        &good_with("event_limit = 20000", "event_limit = -5"),
        &["policy \"cover\"", "event_limit is -5"],
    );
    assert_rejected(
        &good_with("deductible = 2000", "deductible = -2000"),
        &["policy \"bi\"", "deductible is -2000"],
    );
    assert_rejected(
        &good_with("waiting_hours = 4", "waiting_hours = -4"),
        &["policy \"cover\"", "waiting_hours is -4"],
    );
}

#[test]
fn compare_pricing_is_checked_like_pricing() {
    assert_rejected(
        &good_with(
            "pricing = { method = \"wang\", lambda = 0.2 }",
            "pricing = { method = \"wang\", lambda = 0.2 }\ncompare_pricing = [{ method = \"std_dev\", loading = 0.1 }, { method = \"variance\" }]",
        ),
        &[
            "policy \"bi\"",
            "compare_pricing[1]: unknown method \"variance\"",
        ],
    );
    assert_rejected(
        &good_with(
            "pricing = { method = \"wang\", lambda = 0.2 }",
            "pricing = { method = \"wang\", lambda = 0.2 }\ncompare_pricing = [{ method = \"wang\", lambda = -1 }]",
        ),
        &["policy \"bi\"", "compare_pricing[0].lambda is -1"],
    );
}

#[test]
fn share_outside_zero_one() {
    for share in ["0", "1.5", "-0.2"] {
        assert_rejected(
            &good_with("share = 0.8", &format!("share = {share}")),
            &[
                "policy \"bi\"",
                &format!("share = {share} is outside (0, 1]"),
            ],
        );
    }
}

#[test]
fn pricing_methods_and_their_parameters() {
    assert_rejected(
        &good_with("method = \"std_dev\"", "method = \"variance\""),
        &[
            "policy \"cover\"",
            "unknown method \"variance\"",
            "\"wang\"",
        ],
    );
    assert_rejected(
        &good_with(
            "method = \"wang\", lambda = 0.2",
            "method = \"wang\", loading = 0.2",
        ),
        &[
            "policy \"bi\"",
            "method \"wang\" does not take loading",
            "method \"wang\" needs lambda",
        ],
    );
    assert_rejected(
        &good_with(
            "loading = 0.25, expense_ratio = 0.3",
            "loading = 0.25, expense_ratio = 1.0",
        ),
        &["policy \"cover\"", "expense_ratio = 1 is outside [0, 1)"],
    );
    assert_rejected(
        &good_with(
            "method = \"wang\", lambda = 0.2",
            "method = \"cost_of_capital\", rate = 0.1, level = 1.5",
        ),
        &["policy \"bi\"", "pricing.level = 1.5"],
    );
    assert_rejected(
        &good_with("loading = 0.25,", "loading = -0.25,"),
        &["policy \"cover\"", "pricing.loading is -0.25"],
    );
    assert_rejected(
        &good_with("method = \"std_dev\"", "methd = \"std_dev\""),
        &["unknown field `methd`"],
    );
}

#[test]
fn fields_that_do_not_apply_to_the_kind() {
    assert_rejected(
        &good_with("deductible = 2000", "deductible = 2000\nwaiting_hours = 8"),
        &[
            "policy \"bi\"",
            "kind \"indemnity\" does not take waiting_hours",
        ],
    );
    assert_rejected(
        &good_with("waiting_hours = 4", "waiting_hours = 4\nshare = 0.5"),
        &[
            "policy \"cover\"",
            "kind \"parametric\" does not take share",
        ],
    );
    assert_rejected(
        &good_with(
            "kind = \"indemnity\"",
            "kind = \"indemnity\"\nindex = \"region\"",
        ),
        &["policy \"bi\"", "does not take index"],
    );
    assert_rejected(
        &good_with("kind = \"parametric\"", "kind = \"parametrc\""),
        &["policy \"cover\"", "unknown kind \"parametrc\""],
    );
    assert_rejected(
        &good_with("pay_per_hour = 1000\n", ""),
        &["policy \"cover\"", "needs pay_per_hour"],
    );
    assert_rejected(
        &good_with("index = \"region\"\n", ""),
        &["policy \"cover\"", "needs index"],
    );
    assert_rejected(
        &good_with("waiting_hours = 4", "waiting_hour = 4"),
        &["unknown field `waiting_hour`"],
    );
}

#[test]
fn duplicate_policy_ids_and_insured_without_loss() {
    assert_rejected(
        &good_with("id = \"bi\"", "id = \"cover\""),
        &["policy \"cover\"", "already used by another policy"],
    );
    assert_rejected(
        &good_with("loss = { per_hour = 1000, per_outage = 100 }\n", ""),
        &[
            "policy \"cover\"",
            "policy \"bi\"",
            "insured architecture \"shop\" has no loss table",
        ],
    );
    assert_rejected(
        &good_with("portfolio = \"book\"", "portfolio = \"Book!\""),
        &["policy \"cover\"", "portfolio = \"Book!\""],
    );
}

#[test]
fn writes_insurance_and_ord_files_identically_for_any_thread_count() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "good.toml", GOOD);
    let o = run(&["validate", file.to_str().unwrap()]);
    assert!(String::from_utf8_lossy(&o.stdout).contains("2 policies"));
    let mut outputs = Vec::new();
    for threads in ["1", "2"] {
        let out = dir.path().join(format!("out{threads}"));
        let o = run(&[
            "run",
            file.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--threads",
            threads,
            "--events",
        ]);
        let stdout = String::from_utf8_lossy(&o.stdout);
        assert_eq!(
            o.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
        assert!(
            stdout.contains("Policies") && stdout.contains("Decisions") && stdout.contains("book"),
            "{stdout}"
        );
        outputs.push(
            INSURANCE_FILES
                .map(|f| std::fs::read(out.join(f)).unwrap_or_else(|e| panic!("{f}: {e}"))),
        );
    }
    assert!(
        outputs[0] == outputs[1],
        "outputs differ between 1 and 2 threads"
    );
    let text = |i: usize| String::from_utf8(outputs[0][i].clone()).unwrap();
    let first = |i: usize| text(i).lines().next().unwrap().to_string();
    assert!(first(0).starts_with(
        "policy,kind,insured,index,expected_payout,expected_payout_ci_low,expected_payout_ci_high,sd_payout,\
         attachment_probability,exhaustion_probability,premium,expected_loss_on_line,loss_ratio,\
         insured_expected_loss_before,insured_expected_loss_after,insured_tvar99_before,insured_tvar99_after,\
         p_no_payout_given_bad_year,p_payout_given_no_need,tail_loss_paid_share,payout_loss_correlation"
    ));
    assert_eq!(first(1), "architecture,option,cost_per_year,premium,expected_retained_loss,total_cost_of_risk,retained_loss_tvar99");
    assert_eq!(first(3), "trial,policy,payout,events_paid");
    assert_eq!(text(3).lines().count(), 1 + 2000 * 2);
    // One summary set per perspective and grouping, each numbered from 1;
    // tiv is the annual limit (empty when unlimited).
    assert_eq!(text(4), "summary_id,policy,tiv\n1,cover,30000\n2,bi,\n");
    assert_eq!(text(9), "summary_id,architecture,tiv\n1,shop,\n");
    assert_eq!(text(14), "summary_id,portfolio,tiv\n1,book,\n");
    assert_eq!(first(5), "SummaryId,SampleType,MeanLoss,SDLoss");
    assert_eq!(
        first(6),
        "SummaryId,MeanLoss,SDLoss,SampleSize,LowerCI,UpperCI,StandardError,RelativeError"
    );
    assert_eq!(first(7), "SummaryId,EPCalc,EPType,ReturnPeriod,Loss");
    assert_eq!(
        first(8),
        "Period,PeriodWeight,EventId,Year,Month,Day,Hour,Minute,SummaryId,SampleId,Loss,ImpactedExposure,DurationHours"
    );
    // ept: EPCalc 2, EPType 1-4, return periods up to the 2000 periods (not 500 or 1000...
    // 1000 is allowed, 2000 >= 1000).
    for line in text(7).lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        assert_eq!(f[1], "2");
        assert!(["1", "2", "3", "4"].contains(&f[2]));
    }
    // alt MeanLoss of the policy = expected_payout in policies.csv.
    let alt_cover: f64 = text(5)
        .lines()
        .nth(1)
        .unwrap()
        .split(',')
        .nth(2)
        .unwrap()
        .parse()
        .unwrap();
    let policies_cover: f64 = text(0)
        .lines()
        .nth(1)
        .unwrap()
        .split(',')
        .nth(4)
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(alt_cover, policies_cover);
    // splt: EventIds name events (docs/insurance.md §13): an id belongs to
    // one period, and within a period and SummaryId ids ascend with the
    // start; a policy's losses add up to policy_trials.
    let splt = text(8);
    let mut per_trial = vec![0.0f64; 2000];
    let mut period_of = std::collections::HashMap::new();
    let mut last = ("", "", 0u64);
    for line in splt.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        let id: u64 = f[2].parse().unwrap();
        assert!(id >= 1);
        assert_eq!(*period_of.entry(id).or_insert(f[0]), f[0], "event {id}");
        if (last.0, last.1) == (f[0], f[8]) {
            assert!(id >= last.2, "{line}");
        }
        last = (f[0], f[8], id);
        assert_eq!(f[1], "0.0005");
        let (month, day, hour): (u32, u32, u32) = (
            f[4].parse().unwrap(),
            f[5].parse().unwrap(),
            f[6].parse().unwrap(),
        );
        assert!((1..=12).contains(&month) && (1..=31).contains(&day) && hour < 24);
        assert_eq!(f[9], "1");
        if f[8] == "1" {
            assert_eq!(
                f[11], "20000",
                "ImpactedExposure of the parametric cover: its event limit"
            );
            per_trial[f[0].parse::<usize>().unwrap() - 1] += f[10].parse::<f64>().unwrap();
        }
    }
    for line in text(3).lines().skip(1).filter(|l| l.contains(",cover,")) {
        let f: Vec<&str> = line.split(',').collect();
        let (t, payout): (usize, f64) = (f[0].parse().unwrap(), f[2].parse().unwrap());
        assert!(
            (per_trial[t] - payout).abs() <= 1e-9 * payout.max(1.0),
            "trial {t}"
        );
    }
    // Perspectives are never mixed: il_S1 and il_S2 group the same payouts
    // (both policies are in "book"), so their SummaryIds add up to the same
    // total, period by period and on average; gul_S1 holds the insured's losses.
    let column_sum = |i: usize, col: usize| -> f64 {
        text(i)
            .lines()
            .skip(1)
            .map(|l| l.split(',').nth(col).unwrap().parse::<f64>().unwrap())
            .sum()
    };
    let (s1, s2) = (column_sum(5, 2), column_sum(15, 2));
    assert!(s1 > 0.0 && (s1 - s2).abs() <= 1e-9 * s1, "{s1} vs {s2}");
    let by_period = |i: usize| {
        let mut v = vec![0.0f64; 2000];
        for l in text(i).lines().skip(1) {
            let f: Vec<&str> = l.split(',').collect();
            v[f[0].parse::<usize>().unwrap() - 1] += f[10].parse::<f64>().unwrap();
        }
        v
    };
    for (t, (a, b)) in by_period(8).iter().zip(by_period(18)).enumerate() {
        assert!((a - b).abs() <= 1e-9 * a.max(1.0), "period {t}: {a} vs {b}");
    }
    assert!(text(13)
        .lines()
        .skip(1)
        .all(|l| l.split(',').nth(8) == Some("1")));
}

#[test]
fn ord_flag_and_per_trial_switch() {
    let dir = tempfile::tempdir().unwrap();
    // Without policies, ORD files only with --ord.
    let plain = good_with("[[policy]]", "[[unused]]");
    let plain = plain.split("[[unused]]").next().unwrap().to_string();
    let file = write(dir.path(), "plain.toml", &plain);
    let out = dir.path().join("plain");
    let o = run(&[
        "run",
        file.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "-q",
    ]);
    assert_eq!(o.status.code(), Some(0));
    assert!(!out.join("gul_S1_ept.csv").exists() && !out.join("policies.csv").exists());
    let o = run(&[
        "run",
        file.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "-q",
        "--ord",
        "--events",
    ]);
    assert_eq!(o.status.code(), Some(0));
    for f in [
        "gul_S1_summary-info.csv",
        "gul_S1_palt.csv",
        "gul_S1_alct.csv",
        "gul_S1_ept.csv",
        "gul_S1_splt.csv",
    ] {
        assert!(out.join(f).exists(), "{f}");
    }
    // Without policies there is no insured perspective.
    assert!(!out.join("il_S1_ept.csv").exists());
    assert!(!out.join("policies.csv").exists());
    // --no-trials-csv leaves out the per-trial and per-event tables.
    let file = write(dir.path(), "good.toml", GOOD);
    let out = dir.path().join("lean");
    let o = run(&[
        "run",
        file.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "-q",
        "--no-trials-csv",
    ]);
    assert_eq!(o.status.code(), Some(0));
    let mut names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "charts",
            "decisions.csv",
            "gul_S1_alct.csv",
            "gul_S1_ept.csv",
            "gul_S1_palt.csv",
            "gul_S1_summary-info.csv",
            "il_S1_alct.csv",
            "il_S1_ept.csv",
            "il_S1_palt.csv",
            "il_S1_summary-info.csv",
            "il_S2_alct.csv",
            "il_S2_ept.csv",
            "il_S2_palt.csv",
            "il_S2_summary-info.csv",
            "outage_lengths.csv",
            "policies.csv",
            "portfolio_allocation.csv",
            "portfolio_premiums.csv",
            "portfolios.csv",
            "premiums.csv",
            "report.html",
            "scenario.toml",
            "summary.csv",
            "summary.json"
        ]
    );
}
