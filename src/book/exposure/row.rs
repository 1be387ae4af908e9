//! One exposure-file record being read: its cells parsed and checked, each
//! problem naming the line and column ([`super`] owns the file as a whole).

use super::*;

/// One record being read, collecting its problems.
pub(super) struct Row<'a> {
    pub(super) record: &'a csv::StringRecord,
    pub(super) column: &'a BTreeMap<&'static str, usize>,
    pub(super) line: u64,
    pub(super) problems: &'a mut Vec<Problem>,
}

impl Row<'_> {
    pub(super) fn place(&self, name: &str) -> String {
        match self.column.get(name) {
            Some(i) => format!("line {}, column {} ({name})", self.line, i + 1),
            None => format!("line {}", self.line),
        }
    }

    fn add(&mut self, name: &str, message: String) {
        let place = self.place(name);
        self.problems.push(problem(place, message));
    }

    /// The cell, `None` when the column is absent or the cell empty.
    fn cell(&self, name: &str) -> Option<&str> {
        let i = *self.column.get(name)?;
        self.record.get(i).filter(|s| !s.is_empty())
    }

    /// A number ≥ 0 (`positive`: > 0); `None` (with a problem) otherwise.
    fn number(&mut self, name: &str, positive: bool) -> Option<f64> {
        let s = self.cell(name)?.to_string();
        match s.parse::<f64>() {
            Ok(v) if v.is_finite() && (v > 0.0 || (!positive && v == 0.0)) => Some(v),
            Ok(v) if v.is_finite() => {
                let what = if name.contains("limit") {
                    "a limit is an amount of money ≥ 0 (leave the cell empty for no limit)"
                } else if positive {
                    "it must be greater than 0"
                } else {
                    "it must be 0 or more"
                };
                self.add(
                    name,
                    format!("{name} = {s} is negative or zero where {what}"),
                );
                None
            }
            _ => {
                self.add(
                    name,
                    format!("{name} = \"{s}\" is not a number; write e.g. 12000 or 0.5"),
                );
                None
            }
        }
    }

    /// A number in [0, 1] (`open_low`: (0, 1]; `open_high`: [0, 1)).
    fn share(&mut self, name: &str, open_low: bool, open_high: bool) -> Option<f64> {
        let v = self.number(name, false)?;
        let ok = (v > 0.0 || !open_low) && (v < 1.0 || (!open_high && v == 1.0));
        if !ok {
            let range = match (open_low, open_high) {
                (true, true) => "strictly between 0 and 1",
                (true, false) => "above 0 and at most 1",
                (false, true) => "from 0 up to (not including) 1",
                (false, false) => "between 0 and 1",
            };
            self.add(name, format!("{name} = {v} must be {range}"));
            return None;
        }
        Some(v)
    }

    /// Space-separated component ids, each one the scenario has.
    fn components(&mut self, name: &str, known: &Known) -> Vec<String> {
        let ids: Vec<String> = self
            .cell(name)
            .map(|s| s.split_whitespace().map(str::to_string).collect())
            .unwrap_or_default();
        for id in &ids {
            if !known.components.contains(id) {
                let message = format!(
                    "unknown component \"{id}\"; use the id of one of the scenario's [[component]] tables ({}), separated by spaces",
                    listing(known.components)
                );
                self.add(name, message);
            }
        }
        let distinct: BTreeSet<&String> = ids.iter().collect();
        if distinct.len() < ids.len() {
            self.add(
                name,
                format!("{name} names a component twice; name each once"),
            );
        }
        ids
    }

    pub(super) fn insured(&mut self, known: &Known) -> Option<Insured> {
        let before = self.problems.len();
        let id = self.cell("id").unwrap_or("").to_string();
        if id.is_empty() {
            self.add(
                "id",
                "the id is empty; give each insured an id such as 001".into(),
            );
        } else if !id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
        {
            self.add(
                "id",
                format!("id \"{id}\" may hold only letters, digits, '-', '_' and '.'"),
            );
        } else {
            for g in generated_ids(&id) {
                if known.components.contains(&g) {
                    self.add(
                        "id",
                        format!(
                            "id \"{id}\" would create \"{g}\", which the scenario already has; rename the insured or the scenario's component"
                        ),
                    );
                }
            }
        }
        let regions = self.components("regions", known);
        if regions.is_empty() {
            self.add(
                "regions",
                "no region; name the component(s) the insured runs on, in failover order (e.g. \"aws-us-east-1\" or \"aws-us-east-2 aws-us-east-1\")".into(),
            );
        }
        let failover_minutes = self.number("failover_minutes", false);
        if failover_minutes.is_some() && regions.len() == 1 {
            self.add(
                "failover_minutes",
                "failover_minutes needs two or more regions to fail over between; clear it or add a region".into(),
            );
        }
        let services = self.components("services", known);
        let own = self.own();
        let causes = self.causes(known, own.is_some());
        let loss = [
            ("loss_per_hour", "per_hour"),
            ("loss_per_outage", "per_outage"),
            ("grace_minutes", "grace_minutes"),
        ]
        .into_iter()
        .filter_map(|(column, field)| self.number(column, false).map(|v| (field, v)))
        .collect();
        let cover = self.cover(known);
        let text = |r: &Self, name: &str| r.cell(name).map(str::to_string);
        let insured = Insured {
            line: self.line,
            description: text(self, "description"),
            sector: text(self, "sector"),
            id,
            regions,
            failover_minutes,
            services,
            causes,
            own,
            loss,
            cover,
        };
        (self.problems.len() == before).then_some(insured)
    }

    fn own(&mut self) -> Option<Own> {
        let names = ["own_per_year", "own_median_hours", "own_p95_hours"];
        let given = names.iter().filter(|n| self.cell(n).is_some()).count();
        if given == 0 {
            return None;
        }
        if given < 3 {
            self.add(
                names[0],
                "own outages need all of own_per_year, own_median_hours and own_p95_hours (lognormal durations); fill all three or clear them".into(),
            );
            return None;
        }
        let per_year = self.number(names[0], false);
        let median = self.number(names[1], true);
        let p95 = self.number(names[2], true);
        let (per_year, median_hours, p95_hours) = (per_year?, median?, p95?);
        if p95_hours <= median_hours {
            self.add(
                names[2],
                format!(
                    "own_p95_hours = {p95_hours} must exceed own_median_hours = {median_hours}"
                ),
            );
            return None;
        }
        Some(Own {
            per_year,
            median_hours,
            p95_hours,
        })
    }

    fn causes(&mut self, known: &Known, has_own: bool) -> Vec<(String, f64)> {
        let Some(cell) = self.cell("causes").map(str::to_string) else {
            return Vec::new();
        };
        if !has_own {
            self.add(
                "causes",
                "causes hit the insured's own component, and this row has none; fill own_per_year, own_median_hours and own_p95_hours".into(),
            );
            return Vec::new();
        }
        let mut out: Vec<(String, f64)> = Vec::new();
        for entry in cell.split_whitespace() {
            let (id, p) = entry.split_once('=').unwrap_or((entry, ""));
            if !known.causes.contains(id) {
                let message = format!(
                    "unknown cause \"{id}\"; use the id of one of the scenario's [[cause]] tables ({}) as ID=PROBABILITY",
                    listing(known.causes)
                );
                self.add("causes", message);
                continue;
            }
            match p.parse::<f64>() {
                Ok(p) if (0.0..=1.0).contains(&p) => {
                    if out.iter().any(|(c, _)| c == id) {
                        self.add(
                            "causes",
                            format!("cause \"{id}\" is named twice; name it once"),
                        );
                    }
                    out.push((id.to_string(), p));
                }
                _ => self.add(
                    "causes",
                    format!("\"{entry}\" needs a hit probability between 0 and 1, as {id}=0.9"),
                ),
            }
        }
        out
    }

    fn cover(&mut self, known: &Known) -> Option<Cover> {
        let mut terms: Vec<&str> = vec!["index", "franchise", "threshold", "pricing", "portfolio"];
        terms.extend(POLICY_NUMBERS);
        terms.extend(PRICING_NUMBERS);
        let Some(kind) = self.cell("cover").map(str::to_string) else {
            if let Some(t) = terms.iter().find(|t| self.cell(t).is_some()) {
                self.add(
                    t,
                    format!("{t} is given but cover is empty; set cover to parametric or indemnity, or clear the policy columns"),
                );
            }
            return None;
        };
        if kind != "parametric" && kind != "indemnity" {
            self.add(
                "cover",
                format!("cover = \"{kind}\"; use parametric, indemnity, or leave it empty for no policy"),
            );
        }
        let index = self.cell("index").map(str::to_string);
        if let Some(ix) = &index {
            if !known.components.contains(ix) {
                let message = format!(
                    "unknown component \"{ix}\"; the index is the component whose outage triggers the cover, one of {}",
                    listing(known.components)
                );
                self.add("index", message);
            }
        }
        let franchise = match self.cell("franchise") {
            None => None,
            Some("true") => Some(true),
            Some("false") => Some(false),
            Some(other) => {
                let message = format!("franchise = \"{other}\"; write true or false");
                self.add("franchise", message);
                None
            }
        };
        let threshold = self.share("threshold", true, false);
        let mut numbers = Vec::new();
        for f in POLICY_NUMBERS {
            let v = if f == "share" {
                self.share(f, true, false)
            } else {
                self.number(f, false)
            };
            if let Some(v) = v {
                numbers.push((f, v));
            }
        }
        let mut params = Vec::new();
        for f in PRICING_NUMBERS {
            let v = match f {
                "level" => self.share(f, true, true),
                "expense_ratio" => self.share(f, false, true),
                _ => self.number(f, false),
            };
            if let Some(v) = v {
                params.push((f, v));
            }
        }
        let pricing = match self.cell("pricing") {
            Some(m) => Some((m.to_string(), params)),
            None => {
                if let Some((f, _)) = params.first() {
                    self.add(
                        f,
                        format!("{f} is given but pricing is empty; name the premium principle (docs/insurance.md)"),
                    );
                }
                None
            }
        };
        Some(Cover {
            kind,
            index,
            franchise,
            threshold,
            numbers,
            pricing,
            portfolio: self.cell("portfolio").map(str::to_string),
        })
    }
}
