//! Synthetic books: an exposure file of any size drawn with a seeded
//! generator from the shares stated in scenarios/portfolio-cloud-book.toml
//! (every share an assumption, listed in [`SHARES`] and docs/insurance.md
//! § Books). Same seed and size give the same file, byte for byte.

use super::exposure::COLUMNS;
use rand::rngs::Xoshiro256PlusPlus;
use rand::{RngExt, SeedableRng};
use std::collections::BTreeSet;

/// The shares the rows are drawn from, as stated in the bundled book.
pub const SHARES: &str = "primary region: aws-us-east-1 25%, aws-us-east-2 10%, aws-us-west-2 8%, aws-eu-west-1 7%, azure-eastus 15%, azure-westeurope 10%, gcp-us-central1 15%, gcp-europe-west1 10%; redundancy: one region 60%, a second region of the same cloud 25%, a second cloud 15% (failover after 5 min); DNS: dns-a 45%, dns-b 30%, dns-c 15%, dns-a-or-b 10%; CDN: cdn-a 50%, cdn-b 40%, none 10%; identity: idp-a 45%, idp-b 35%, idp-c 20%; endpoint agent 40% (hit 0.9); own releases 2/yr, lognormal 0.5 h / 3 h; loss per hour 5k-200k log-uniform, per outage 5k-20k, grace 5 min; sector: e-commerce 30%, saas 30%, media 20%, fintech 20%; cover: parametric on the primary region 60% (waiting 8, 10 or 12 h, pay per hour = loss per hour, at most 24 h per event, limit 100k, 250k, 500k or 1M per event and per year, priced std_dev 0.25), indemnity 40% (deductible 8 h of loss + the per-outage cost, share 0.9, 2M per event, 5M per year, priced cost_of_capital 10% at 99.5%); expenses 30%";

const REGIONS: [(&str, &str, f64); 8] = [
    ("aws-us-east-1", "aws", 0.25),
    ("aws-us-east-2", "aws", 0.10),
    ("aws-us-west-2", "aws", 0.08),
    ("aws-eu-west-1", "aws", 0.07),
    ("azure-eastus", "azure", 0.15),
    ("azure-westeurope", "azure", 0.10),
    ("gcp-us-central1", "gcp", 0.15),
    ("gcp-europe-west1", "gcp", 0.10),
];
const DNS: [(&str, f64); 4] = [
    ("dns-a", 0.45),
    ("dns-b", 0.30),
    ("dns-c", 0.15),
    ("dns-a-or-b", 0.10),
];
const CDN: [(&str, f64); 3] = [("cdn-a", 0.5), ("cdn-b", 0.4), ("", 0.1)];
const IDP: [(&str, f64); 3] = [("idp-a", 0.45), ("idp-b", 0.35), ("idp-c", 0.20)];
const SECTORS: [(&str, f64); 4] = [
    ("e-commerce", 0.3),
    ("saas", 0.3),
    ("media", 0.2),
    ("fintech", 0.2),
];
/// The cause the endpoint agent's insureds are hit by.
pub const AGENT_CAUSE: &str = "endpoint-agent-push";
const LIMITS: [f64; 4] = [100_000.0, 250_000.0, 500_000.0, 1_000_000.0];
const WAITING: [f64; 3] = [8.0, 10.0, 12.0];

/// Component and cause ids a base scenario must have for generated rows.
pub fn required_ids() -> (Vec<&'static str>, Vec<&'static str>) {
    let mut comps: Vec<&str> = REGIONS.iter().map(|r| r.0).collect();
    comps.extend(DNS.iter().map(|d| d.0));
    comps.extend(CDN.iter().map(|c| c.0).filter(|c| !c.is_empty()));
    comps.extend(IDP.iter().map(|i| i.0));
    (comps, vec![AGENT_CAUSE])
}

/// The ids the base scenario lacks (components, then causes).
pub fn missing(components: &BTreeSet<String>, causes: &BTreeSet<String>) -> Vec<String> {
    let (c, k) = required_ids();
    c.into_iter()
        .filter(|id| !components.contains(*id))
        .chain(k.into_iter().filter(|id| !causes.contains(*id)))
        .map(str::to_string)
        .collect()
}

fn pick<T: Copy>(rng: &mut Xoshiro256PlusPlus, items: &[(T, f64)]) -> T {
    let u: f64 = rng.random();
    let mut acc = 0.0;
    for &(item, share) in items {
        acc += share;
        if u < acc {
            return item;
        }
    }
    items[items.len() - 1].0
}

fn region(rng: &mut Xoshiro256PlusPlus) -> (&'static str, &'static str) {
    let items: Vec<((&str, &str), f64)> = REGIONS.iter().map(|r| ((r.0, r.1), r.2)).collect();
    pick(rng, &items)
}

/// Rounds to thousands (figures as an underwriter writes them).
fn thousands(x: f64) -> f64 {
    (x / 1000.0).round() * 1000.0
}

/// `n` insureds drawn with `seed`, as exposure-file text (header first).
pub fn exposure(n: usize, seed: u64) -> String {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let mut out = String::new();
    out.push_str(&format!(
        "# {n} synthetic insureds drawn by `fateshare book generate --insureds {n} --seed {seed}` (assumptions: docs/insurance.md § Books)\n"
    ));
    out.push_str(&COLUMNS.join(","));
    out.push('\n');
    let width = n.to_string().len().max(3);
    for i in 1..=n {
        let id = format!("{i:0width$}");
        let (primary, cloud) = region(&mut rng);
        let u: f64 = rng.random();
        let second = if u < 0.60 {
            None
        } else {
            let same = u < 0.85;
            let mut r = region(&mut rng);
            while r.0 == primary || (r.1 == cloud) != same {
                r = region(&mut rng);
            }
            Some(r.0)
        };
        let dns = pick(&mut rng, &DNS);
        let cdn = pick(&mut rng, &CDN);
        let idp = pick(&mut rng, &IDP);
        let agent = rng.random::<f64>() < 0.4;
        let per_hour = thousands((5_000f64.ln() + rng.random::<f64>() * 40f64.ln()).exp());
        let per_outage = thousands(5_000.0 + rng.random::<f64>() * 15_000.0);
        let sector = pick(&mut rng, &SECTORS);
        let parametric = rng.random::<f64>() < 0.6;
        let waiting = WAITING[rng.random_range(0..WAITING.len())];
        let limit = LIMITS[rng.random_range(0..LIMITS.len())];
        let services: Vec<&str> = [dns, cdn, idp]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect();
        let regions = match second {
            Some(s) => format!("{primary} {s}"),
            None => primary.to_string(),
        };
        let mut description = regions.replace(' ', " + ");
        for s in [dns, if cdn.is_empty() { "no CDN" } else { cdn }, idp] {
            description.push_str(", ");
            description.push_str(s);
        }
        if agent {
            description.push_str(", endpoint agent");
        }
        let money = |x: f64| format!("{x:.0}");
        let cell = |name: &str| -> String {
            match name {
                "id" => id.clone(),
                "description" => format!("\"{description}\""),
                "sector" => sector.to_string(),
                "regions" => regions.clone(),
                "failover_minutes" if second.is_some() => "5".into(),
                "services" => services.join(" "),
                "causes" if agent => format!("{AGENT_CAUSE}=0.9"),
                "own_per_year" => "2".into(),
                "own_median_hours" => "0.5".into(),
                "own_p95_hours" => "3".into(),
                "loss_per_hour" => money(per_hour),
                "loss_per_outage" => money(per_outage),
                "grace_minutes" => "5".into(),
                "cover" => (if parametric {
                    "parametric"
                } else {
                    "indemnity"
                })
                .into(),
                "portfolio" => "cloud-book".into(),
                "expense_ratio" => "0.3".into(),
                _ if parametric => match name {
                    "index" => primary.to_string(),
                    "waiting_hours" => money(waiting),
                    "pay_per_hour" => money(per_hour),
                    "max_hours_per_event" => "24".into(),
                    "event_limit" | "annual_limit" => money(limit),
                    "basis_threshold" => money(waiting * per_hour),
                    "pricing" => "std_dev".into(),
                    "loading" => "0.25".into(),
                    _ => String::new(),
                },
                _ => match name {
                    "deductible" => money(8.0 * per_hour + per_outage),
                    "share" => "0.9".into(),
                    "event_limit" => "2000000".into(),
                    "annual_limit" => "5000000".into(),
                    "pricing" => "cost_of_capital".into(),
                    "rate" => "0.1".into(),
                    "level" => "0.995".into(),
                    _ => String::new(),
                },
            }
        };
        let row: Vec<String> = COLUMNS.iter().map(|c| cell(c)).collect();
        out.push_str(&row.join(","));
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_file_and_other_seed_other_file() {
        assert_eq!(exposure(50, 3), exposure(50, 3));
        assert_ne!(exposure(50, 3), exposure(50, 4));
        // Header comment, header, one line per insured.
        assert_eq!(exposure(50, 3).lines().count(), 52);
    }

    #[test]
    fn shares_are_drawn_as_stated() {
        // 20,000 rows: each share within 4 standard errors.
        let text = exposure(20_000, 1);
        let rows: Vec<Vec<String>> = csv::ReaderBuilder::new()
            .comment(Some(b'#'))
            .from_reader(text.as_bytes())
            .records()
            .map(|r| r.unwrap().iter().map(str::to_string).collect())
            .collect();
        let col = |name: &str| COLUMNS.iter().position(|c| *c == name).unwrap();
        let n = rows.len() as f64;
        let share =
            |f: &dyn Fn(&Vec<String>) -> bool| rows.iter().filter(|r| f(r)).count() as f64 / n;
        let within = |what: &str, got: f64, p: f64| {
            let se = (p * (1.0 - p) / n).sqrt();
            assert!((got - p).abs() <= 4.0 * se, "{what}: {got} vs {p}");
        };
        for (id, _, p) in REGIONS {
            within(
                id,
                share(&|r| r[col("regions")].split(' ').next() == Some(id)),
                p,
            );
        }
        within(
            "one region",
            share(&|r| !r[col("regions")].contains(' ')),
            0.6,
        );
        within("agent", share(&|r| !r[col("causes")].is_empty()), 0.4);
        within(
            "parametric",
            share(&|r| r[col("cover")] == "parametric"),
            0.6,
        );
        within(
            "no CDN",
            share(&|r| !r[col("services")].contains("cdn-")),
            0.1,
        );
    }
}
