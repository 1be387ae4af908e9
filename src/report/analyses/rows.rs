//! Reading the analysis tables' rows: columns looked up by name (so
//! columns added later do not break it), empty cells read as undefined,
//! every id checked against the run's scenario, and each failure naming its
//! line and column.

use super::{
    Analyses, Concentration, Conditional, DrillRow, Importance, Origin, RdsRow, Redundancy,
    RiskGroup, SweepRow, Table, TornadoBar,
};
use crate::model::Model;
use std::collections::HashMap;

/// Parses one file into its slot of `out`.
pub(super) fn parse_into(
    out: &mut Analyses,
    file: &'static str,
    text: &str,
    model: &Model,
    origin: Origin,
) -> Result<(), String> {
    let t = Csv::parse(text)?;
    match file {
        "importance.csv" => {
            out.importance = Some(Table {
                origin,
                rows: t.rows(model, importance)?,
            })
        }
        "risk_groups.csv" => {
            out.risk_groups = Some(Table {
                origin,
                rows: t.rows(model, risk_group)?,
            })
        }
        "independence.csv" => {
            out.independence = Some(Table {
                origin,
                rows: t.rows(model, redundancy)?,
            })
        }
        "concentration.csv" => {
            out.concentration = Some(Table {
                origin,
                rows: t.rows(model, concentration)?,
            })
        }
        "tornado.csv" => {
            out.tornado = Some(Table {
                origin,
                rows: t.rows(model, tornado_bar)?,
            })
        }
        "drills.csv" => {
            out.drills = Some(Table {
                origin,
                rows: t.rows(model, drill_row)?,
            })
        }
        "rds.csv" => {
            out.rds = Some(Table {
                origin,
                rows: t.rows(model, rds_row)?,
            })
        }
        "sweep.csv" => {
            out.sweep = Some(Table {
                origin,
                rows: t.rows(model, sweep_row)?,
            })
        }
        _ => unreachable!("every file of provenance::ALL is parsed"),
    }
    Ok(())
}

/// A CSV file as header and records.
struct Csv {
    header: Vec<String>,
    records: Vec<csv::StringRecord>,
}

/// One record with its line number and the header's column index.
struct Row<'a> {
    line: usize,
    rec: &'a csv::StringRecord,
    index: &'a HashMap<&'a str, usize>,
    model: &'a Model,
}

impl Csv {
    fn parse(text: &str) -> Result<Csv, String> {
        let mut r = csv::ReaderBuilder::new()
            .has_headers(true)
            .from_reader(text.as_bytes());
        let header = r
            .headers()
            .map_err(|e| format!("unreadable header ({e})"))?
            .iter()
            .map(str::to_string)
            .collect();
        let records = r
            .records()
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| format!("not valid CSV ({e})"))?;
        Ok(Csv { header, records })
    }

    fn rows<R>(
        &self,
        model: &Model,
        f: impl Fn(&Row) -> Result<R, String>,
    ) -> Result<Vec<R>, String> {
        let index: HashMap<&str, usize> = self
            .header
            .iter()
            .enumerate()
            .map(|(i, h)| (h.as_str(), i))
            .collect();
        self.records
            .iter()
            .enumerate()
            .map(|(i, rec)| {
                f(&Row {
                    line: i + 2,
                    rec,
                    index: &index,
                    model,
                })
            })
            .collect()
    }
}

impl Row<'_> {
    fn text(&self, column: &str) -> Result<&str, String> {
        let i = self
            .index
            .get(column)
            .ok_or_else(|| format!("it has no column `{column}`"))?;
        // Free text was made spreadsheet-safe when written: undo it.
        self.rec
            .get(*i)
            .map(crate::text::csv_text_back)
            .ok_or_else(|| format!("line {}: column `{column}` is missing", self.line))
    }

    fn bad(&self, column: &str, what: &str) -> String {
        format!("line {}: column `{column}` is not {what}", self.line)
    }

    /// A number; empty reads as NaN (undefined).
    fn num(&self, column: &str) -> Result<f64, String> {
        Ok(self.opt(column)?.unwrap_or(f64::NAN))
    }

    /// A number, or `None` when empty.
    fn opt(&self, column: &str) -> Result<Option<f64>, String> {
        let t = self.text(column)?;
        if t.is_empty() {
            return Ok(None);
        }
        // Ratios may be infinite; undefined is an empty cell, never "NaN".
        match t.parse::<f64>() {
            Ok(v) if !v.is_nan() => Ok(Some(v)),
            _ => Err(self.bad(column, "a number")),
        }
    }

    fn count(&self, column: &str) -> Result<u64, String> {
        self.text(column)?
            .parse()
            .map_err(|_| self.bad(column, "a whole number"))
    }

    fn opt_count(&self, column: &str) -> Result<Option<u64>, String> {
        let t = self.text(column)?;
        if t.is_empty() {
            return Ok(None);
        }
        self.count(column).map(Some)
    }

    fn flag(&self, column: &str) -> Result<bool, String> {
        match self.text(column)? {
            "true" => Ok(true),
            "false" => Ok(false),
            _ => Err(self.bad(column, "true or false")),
        }
    }

    /// Ids joined by `sep`; empty text is an empty list.
    fn list(&self, column: &str, sep: char) -> Result<Vec<String>, String> {
        let t = self.text(column)?;
        Ok(if t.is_empty() {
            Vec::new()
        } else {
            t.split(sep).map(str::to_string).collect()
        })
    }

    /// An architecture id of the scenario.
    fn architecture(&self) -> Result<String, String> {
        let id = self.text("architecture")?;
        if self.model.architectures.iter().any(|a| a.id == id) {
            Ok(id.to_string())
        } else {
            Err(format!(
                "line {}: architecture \"{id}\" is not in the run's scenario",
                self.line
            ))
        }
    }

    /// A component id of the scenario.
    fn component(&self, column: &str) -> Result<String, String> {
        let id = self.text(column)?;
        if self.model.components.iter().any(|c| c.id == id) {
            Ok(id.to_string())
        } else {
            Err(format!(
                "line {}: component \"{id}\" is not in the run's scenario",
                self.line
            ))
        }
    }
}

fn importance(r: &Row) -> Result<Importance, String> {
    Ok(Importance {
        architecture: r.architecture()?,
        rank: r.count("rank")? as usize,
        source: r.text("source")?.to_string(),
        source_kind: r.text("source_kind")?.to_string(),
        downtime_avoided_hours: r.num("downtime_avoided_hours")?,
        loss_avoided: r.opt("loss_avoided")?,
        risk_reduction_ratio: r.num("risk_reduction_ratio")?,
        downtime_if_always_down_hours: r.num("downtime_if_always_down_hours")?,
        risk_achievement_ratio: r.num("risk_achievement_ratio")?,
        fussell_vesely: r.num("fussell_vesely")?,
        birnbaum: r.num("birnbaum")?,
    })
}

fn risk_group(r: &Row) -> Result<RiskGroup, String> {
    Ok(RiskGroup {
        architecture: r.architecture()?,
        size: r.count("size")? as usize,
        sources: r.list("sources", '+')?,
        probability: r.num("probability")?,
        observed_share: r.num("observed_share")?,
        complete_to_size: r.count("complete_to_size")? as usize,
    })
}

fn redundancy(r: &Row) -> Result<Redundancy, String> {
    Ok(Redundancy {
        component: r.component("component")?,
        mode: r.text("mode")?.to_string(),
        branches: r.list("branches", '+')?,
        shared_sources: r.list("shared_sources", '+')?,
        jaccard: r.num("jaccard")?,
        jaccard_pair: r.list("jaccard_pair", '+')?,
        single_points: r.list("single_points", '+')?,
        downtime_hours: r.num("downtime_hours")?,
        shared_downtime_share: r.num("shared_downtime_share")?,
    })
}

fn concentration(r: &Row) -> Result<Concentration, String> {
    let kind = r.text("kind")?;
    if kind != "provider" && kind != "jurisdiction" {
        return Err(r.bad("kind", "provider or jurisdiction"));
    }
    Ok(Concentration {
        architecture: r.architecture()?,
        kind: kind.to_string(),
        name: r.text("name")?.to_string(),
        in_design: r.flag("in_design")?,
        substitutable: r.flag("substitutable")?,
        involved_hours: r.num("involved_hours")?,
        involved_share: r.num("involved_share")?,
        involved_loss_share: r.opt("involved_loss_share")?,
        responsible_hours: r.num("responsible_hours")?,
        responsible_share: r.num("responsible_share")?,
        responsible_loss_share: r.opt("responsible_loss_share")?,
        closely_connected: r.list("closely_connected", '+')?,
        depends_on: r.list("depends_on", '+')?,
    })
}

fn tornado_bar(r: &Row) -> Result<TornadoBar, String> {
    Ok(TornadoBar {
        architecture: r.architecture()?,
        source: r.text("source")?.to_string(),
        source_kind: r.text("source_kind")?.to_string(),
        parameter: r.text("parameter")?.to_string(),
        low_factor: r.num("low_factor")?,
        high_factor: r.num("high_factor")?,
        base_downtime_hours: r.num("base_downtime_hours")?,
        low_downtime_hours: r.num("low_downtime_hours")?,
        high_downtime_hours: r.num("high_downtime_hours")?,
        downtime_swing_hours: r.num("downtime_swing_hours")?,
        downtime_swing_se_hours: r.num("downtime_swing_se_hours")?,
        downtime_rank: r.count("downtime_rank")? as usize,
        base_expected_loss: r.opt("base_expected_loss")?,
        low_expected_loss: r.opt("low_expected_loss")?,
        high_expected_loss: r.opt("high_expected_loss")?,
        loss_swing: r.opt("loss_swing")?,
        loss_swing_se: r.opt("loss_swing_se")?,
        loss_rank: r.opt_count("loss_rank")?.map(|x| x as usize),
    })
}

fn drill_row(r: &Row) -> Result<DrillRow, String> {
    let conditional = match r.opt_count("trials")? {
        None => None,
        Some(trials) => Some(Conditional {
            trials,
            p_down_during_drill: r.num("p_down_during_drill")?,
            downtime_hours_mean: r.num("downtime_hours_mean")?,
            expected_loss: r.opt("expected_loss")?,
            baseline_downtime_hours_mean: r.num("baseline_downtime_hours_mean")?,
            baseline_expected_loss: r.opt("baseline_expected_loss")?,
        }),
    };
    Ok(DrillRow {
        drill: r.text("drill")?.to_string(),
        forced: r.list("forced", '+')?,
        hours: r.num("hours")?,
        at_hours: r.num("at_hours")?,
        architecture: r.architecture()?,
        went_down: r.flag("went_down")?,
        downtime_hours: r.num("downtime_hours")?,
        loss: r.opt("loss")?,
        path: r.text("path")?.to_string(),
        absorbed: r.text("absorbed")?.to_string(),
        conditional,
        source: r.text("source")?.to_string(),
    })
}

fn rds_row(r: &Row) -> Result<RdsRow, String> {
    let curve = |c: &str| -> Result<Option<[f64; 3]>, String> {
        let rp = r.opt(&format!("{c}_return_period"))?;
        let lo = r.opt(&format!("{c}_return_period_ci_low"))?;
        let hi = r.opt(&format!("{c}_return_period_ci_high"))?;
        Ok(match (rp, lo, hi) {
            (Some(x), Some(l), Some(h)) => Some([x, l, h]),
            _ => None,
        })
    };
    Ok(RdsRow {
        drill: r.text("drill")?.to_string(),
        policies: r.count("policies")?,
        policies_paid: r.count("policies_paid")?,
        gross_loss: r.num("gross_loss")?,
        net_loss: r.opt("net_loss")?,
        trials: r.opt_count("trials")?,
        oep_return_period: curve("oep")?,
        aep_return_period: curve("aep")?,
        // Absent from tables written before the treaties' columns.
        net_oep_return_period: if r.index.contains_key("net_oep_return_period") {
            curve("net_oep")?
        } else {
            None
        },
        ceded: ceded_columns(r)?,
    })
}

/// The `ceded:<treaty>` columns of `rds.csv`, in column order.
fn ceded_columns(r: &Row) -> Result<Vec<(String, f64)>, String> {
    let prefix = crate::report::rds::CEDED_PREFIX;
    let mut cols: Vec<(usize, &str)> = r
        .index
        .iter()
        .filter_map(|(name, &i)| name.strip_prefix(prefix).map(|_| (i, *name)))
        .collect();
    cols.sort_unstable();
    cols.into_iter()
        .map(|(_, name)| Ok((name[prefix.len()..].to_string(), r.num(name)?)))
        .collect()
}

fn sweep_row(r: &Row) -> Result<SweepRow, String> {
    // The swept paths are the columns between `point` and `architecture`.
    let at = |c: &str| r.index.get(c).copied();
    let (Some(p), Some(a)) = (at("point"), at("architecture")) else {
        return Err("it has no columns `point` and `architecture`".into());
    };
    let mut paths: Vec<(usize, &str)> = r
        .index
        .iter()
        .filter(|(_, &i)| i > p && i < a)
        .map(|(name, &i)| (i, *name))
        .collect();
    paths.sort_unstable();
    let values = paths
        .into_iter()
        .map(|(i, name)| (name.to_string(), r.rec.get(i).unwrap_or("").to_string()))
        .collect();
    Ok(SweepRow {
        point: r.count("point")? as usize,
        values,
        architecture: r.architecture()?,
        trials: r.count("trials")?,
        downtime_hours_mean: r.num("downtime_hours_mean")?,
        expected_loss: r.opt("expected_loss")?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model() -> Model {
        let text = r#"name = "t"
[[component]]
id = "a"
outages = { per_year = 1.0, duration = { dist = "fixed", hours = 1.0 } }
[[architecture]]
id = "only-a"
serves = "a"
"#;
        crate::scenario::compile_text(text, "t.toml").unwrap().1
    }

    #[test]
    fn columns_are_found_by_name_and_empty_cells_are_undefined() {
        // Columns reordered, one unknown column added, loss columns empty.
        let text =
            "extra,source,architecture,rank,source_kind,downtime_avoided_hours,loss_avoided,\
                    risk_reduction_ratio,downtime_if_always_down_hours,risk_achievement_ratio,\
                    fussell_vesely,birnbaum\n\
                    x,a,only-a,1,own,8.76,,inf,8760,1000,0.5,\n";
        let rows = Csv::parse(text)
            .unwrap()
            .rows(&model(), importance)
            .unwrap();
        let r = &rows[0];
        assert_eq!(
            (r.architecture.as_str(), r.source.as_str(), r.rank),
            ("only-a", "a", 1)
        );
        assert_eq!(r.downtime_avoided_hours, 8.76);
        assert_eq!(r.loss_avoided, None);
        assert_eq!(r.risk_reduction_ratio, f64::INFINITY);
        assert!(r.birnbaum.is_nan());
    }

    #[test]
    fn bad_tables_say_what_is_wrong() {
        let m = model();
        let err = |text: &str| Csv::parse(text).unwrap().rows(&m, importance).unwrap_err();
        assert_eq!(
            err("architecture,rank\nonly-a,1\n"),
            "it has no column `source`"
        );
        let header = "architecture,rank,source,source_kind,downtime_avoided_hours,loss_avoided,\
                      risk_reduction_ratio,downtime_if_always_down_hours,risk_achievement_ratio,\
                      fussell_vesely,birnbaum\n";
        assert_eq!(
            err(&format!("{header}other,1,a,own,1,,1,1,1,1,1\n")),
            "line 2: architecture \"other\" is not in the run's scenario"
        );
        assert_eq!(
            err(&format!("{header}only-a,1,a,own,lots,,1,1,1,1,1\n")),
            "line 2: column `downtime_avoided_hours` is not a number"
        );
        assert_eq!(
            err(&format!("{header}only-a,first,a,own,1,,1,1,1,1,1\n")),
            "line 2: column `rank` is not a whole number"
        );
    }

    #[test]
    fn sweep_paths_are_the_columns_before_the_architecture() {
        let text = "point,cause.x.per_year,component.a.outages.per_year,architecture,trials,\
                    downtime_hours_mean,expected_loss\n0,0.5,2,only-a,100,3.5,\n";
        let rows = Csv::parse(text).unwrap().rows(&model(), sweep_row).unwrap();
        assert_eq!(
            rows[0].values,
            [
                ("cause.x.per_year".to_string(), "0.5".to_string()),
                ("component.a.outages.per_year".to_string(), "2".to_string())
            ]
        );
        assert_eq!((rows[0].trials, rows[0].downtime_hours_mean), (100, 3.5));
        assert_eq!(rows[0].expected_loss, None);
    }
}
