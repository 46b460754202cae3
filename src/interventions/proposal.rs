//! A candidate's proposal file: `[candidate]`, `[[change]]` (interventions from the catalog),
//! `[[metric]]` (success metrics) and `[[finding]]` (numbers from the analysis), validated against
//! the catalog and the case's scenario before anything is simulated. Every problem is one line
//! naming the entry, the field and the value, with the valid choices where there are few.

use super::catalog::{self, Kind, ParamKind};
use crate::config::{Config, PRIORITIES, WEEKDAYS, parse_days, parse_hours};
use crate::kpi::{Case, Cut, Kpi, Selection};

/// A proposal that cannot be scored: one line (the command adds the file name).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{0}")]
pub struct BadProposal(pub String);

/// A parameter's value, checked and with names resolved to indices.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// An index into the scenario's teams, channels, categories or segments.
    Index(usize),
    Days([bool; 7]),
    /// (start, end) minutes after midnight; end > 1440 runs past midnight.
    Hours(u32, u32),
    Count(i64),
    Word(String),
}

/// One validated `[[change]]`.
#[derive(Debug, Clone, PartialEq)]
pub struct ChangeSpec {
    pub kind: &'static Kind,
    /// Parameters other than the days, in the order the file gives them.
    pub params: Vec<(&'static str, Value)>,
    /// Day of the horizon it is decided and paid from.
    pub start_day: u32,
    /// Day of the horizon it stops, if before the end.
    pub end_day: Option<u32>,
}

impl ChangeSpec {
    /// The value of parameter `name`, if given.
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.params.iter().find(|(n, _)| *n == name).map(|(_, v)| v)
    }
}

/// One validated `[[metric]]`: a KPI over a cut of the horizon, its baseline and target by a day.
#[derive(Debug, Clone, PartialEq)]
pub struct MetricSpec {
    pub kpi: Kpi,
    pub filters: Vec<(Cut, String)>,
    pub baseline: Option<f64>,
    pub target: f64,
    pub by_day: u32,
}

/// One validated `[[finding]]`: a number the candidate reports from the history.
#[derive(Debug, Clone, PartialEq)]
pub struct FindingSpec {
    pub kpi: Kpi,
    pub filters: Vec<(Cut, String)>,
    /// As `metrics --period` takes it; None = the whole history.
    pub period: Option<String>,
    pub value: f64,
}

/// A validated proposal.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Proposal {
    pub candidate: Option<String>,
    pub changes: Vec<ChangeSpec>,
    pub metrics: Vec<MetricSpec>,
    pub findings: Vec<FindingSpec>,
}

fn bad(msg: String) -> BadProposal {
    BadProposal(msg)
}

/// `value` in quotes for a message (strings bare, others as TOML writes them).
fn shown(v: &toml::Value) -> String {
    match v {
        toml::Value::String(s) => format!("\"{s}\""),
        other => other.to_string(),
    }
}

/// Reads and checks a proposal's bytes against the catalog, the scenario `cfg` and the case.
pub fn parse(bytes: &[u8], cfg: &Config, case: &Case) -> Result<Proposal, BadProposal> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        bad(format!(
            "is not UTF-8 text (invalid byte at offset {})",
            e.valid_up_to()
        ))
    })?;
    let table: toml::Table = toml::from_str(text).map_err(|e| {
        let line = e
            .span()
            .map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1);
        let at = line.map_or(String::new(), |l| format!("line {l}: "));
        bad(format!("{at}not valid TOML ({})", e.message().trim()))
    })?;
    let mut p = Proposal::default();
    for (key, value) in &table {
        match key.as_str() {
            "candidate" => p.candidate = candidate(value)?,
            "change" => {
                for (i, t) in entries(key, value)?.into_iter().enumerate() {
                    p.changes.push(change(&format!("change[{}]", i + 1), t, cfg)?);
                }
            }
            "metric" => {
                for (i, t) in entries(key, value)?.into_iter().enumerate() {
                    p.metrics.push(metric(&format!("metric[{}]", i + 1), t, cfg, case)?);
                }
            }
            "finding" => {
                for (i, t) in entries(key, value)?.into_iter().enumerate() {
                    p.findings.push(finding(&format!("finding[{}]", i + 1), t, cfg, case)?);
                }
            }
            other => {
                return Err(bad(format!(
                    "unknown section \"{other}\"; valid: candidate, change, metric, finding"
                )));
            }
        }
    }
    Ok(p)
}

fn candidate(value: &toml::Value) -> Result<Option<String>, BadProposal> {
    let t = value
        .as_table()
        .ok_or_else(|| bad("candidate: must be a table ([candidate] then name = \"...\")".into()))?;
    for (k, v) in t {
        if k != "name" {
            return Err(bad(format!("candidate.{k}: unknown field; valid: name")));
        }
        if !v.is_str() {
            return Err(bad(format!("candidate.name: must be text, got {}", shown(v))));
        }
    }
    Ok(t.get("name").and_then(|v| v.as_str()).map(str::to_string))
}

/// The tables of an array of tables (`[[change]]`).
fn entries<'a>(key: &str, value: &'a toml::Value) -> Result<Vec<&'a toml::Table>, BadProposal> {
    let items = value
        .as_array()
        .ok_or_else(|| bad(format!("{key}: write each one as [[{key}]]")))?;
    items
        .iter()
        .enumerate()
        .map(|(i, v)| {
            v.as_table()
                .ok_or_else(|| bad(format!("{key}[{}]: must be a table ([[{key}]])", i + 1)))
        })
        .collect()
}

fn text<'a>(at: &str, t: &'a toml::Table, field: &str) -> Result<Option<&'a str>, BadProposal> {
    match t.get(field) {
        None => Ok(None),
        Some(toml::Value::String(s)) => Ok(Some(s)),
        Some(v) => Err(bad(format!("{at}.{field}: must be text, got {}", shown(v)))),
    }
}

fn number(at: &str, t: &toml::Table, field: &str) -> Result<Option<f64>, BadProposal> {
    match t.get(field) {
        None => Ok(None),
        Some(toml::Value::Float(x)) if x.is_finite() => Ok(Some(*x)),
        Some(toml::Value::Integer(i)) => Ok(Some(*i as f64)),
        Some(v) => Err(bad(format!("{at}.{field}: must be a number, got {}", shown(v)))),
    }
}

fn whole(at: &str, t: &toml::Table, field: &str, min: i64, max: i64) -> Result<Option<i64>, BadProposal> {
    match t.get(field) {
        None => Ok(None),
        Some(toml::Value::Integer(i)) if (min..=max).contains(i) => Ok(Some(*i)),
        Some(toml::Value::Integer(i)) => Err(bad(format!("{at}.{field}: must be from {min} to {max}, got {i}"))),
        Some(v) => Err(bad(format!(
            "{at}.{field}: must be a whole number from {min} to {max}, got {}",
            shown(v)
        ))),
    }
}

/// The index of `name` among `names`, or an error listing them.
fn index_of(at: &str, field: &str, what: &str, name: &str, names: &[&str]) -> Result<usize, BadProposal> {
    names.iter().position(|n| *n == name).ok_or_else(|| {
        bad(format!(
            "{at}.{field}: unknown {what} \"{name}\"; valid: {}",
            names.join(", ")
        ))
    })
}

fn change(at: &str, t: &toml::Table, cfg: &Config) -> Result<ChangeSpec, BadProposal> {
    let kind_name =
        text(at, t, "kind")?.ok_or_else(|| bad(format!("{at}.kind: missing; valid: {}", catalog::kind_names())))?;
    let kind = catalog::kind(kind_name).ok_or_else(|| {
        bad(format!(
            "{at}.kind: unknown kind \"{kind_name}\"; valid: {}",
            catalog::kind_names()
        ))
    })?;
    for key in t.keys().filter(|k| *k != "kind") {
        if !kind.params.iter().any(|p| p.name == key) {
            let valid: Vec<&str> = kind.params.iter().map(|p| p.name).collect();
            return Err(bad(format!(
                "{at}.{key}: not a parameter of {}; valid: {}",
                kind.name,
                valid.join(", ")
            )));
        }
    }
    let horizon = i64::from(cfg.horizon_days);
    let start_day = whole(at, t, "start_day", 0, horizon - 1)?.unwrap_or(0) as u32;
    let end_day = whole(at, t, "end_day", 1, horizon)?.map(|d| d as u32);
    if let Some(end) = end_day.filter(|&e| e <= start_day) {
        return Err(bad(format!(
            "{at}.end_day: must be after start_day ({start_day}), got {end}"
        )));
    }
    let mut params = Vec::new();
    for p in kind
        .params
        .iter()
        .filter(|p| !matches!(p.name, "start_day" | "end_day"))
    {
        match t.get(p.name) {
            None if p.required => {
                return Err(bad(format!("{at}.{}: missing ({})", p.name, p.doc)));
            }
            None => {}
            Some(v) => params.push((p.name, param(at, p.name, p.kind, v, cfg)?)),
        }
    }
    let spec = ChangeSpec {
        kind,
        params,
        start_day,
        end_day,
    };
    consistent(at, &spec, cfg)?;
    Ok(spec)
}

/// One parameter's value, checked against its kind and the scenario.
fn param(at: &str, field: &str, kind: ParamKind, v: &toml::Value, cfg: &Config) -> Result<Value, BadProposal> {
    let word = || {
        v.as_str()
            .ok_or_else(|| bad(format!("{at}.{field}: must be text, got {}", shown(v))))
    };
    let names = |it: Vec<&str>, what: &str| -> Result<Value, BadProposal> {
        Ok(Value::Index(index_of(at, field, what, word()?, &it)?))
    };
    match kind {
        ParamKind::Team => names(cfg.teams.iter().map(|t| t.name.as_str()).collect(), "team"),
        ParamKind::Category => names(cfg.categories.iter().map(|c| c.name.as_str()).collect(), "category"),
        ParamKind::Segment => names(cfg.segments.iter().map(|s| s.name.as_str()).collect(), "segment"),
        ParamKind::LiveChannel => {
            let live: Vec<&str> = cfg
                .channels
                .iter()
                .filter(|c| c.live)
                .map(|c| c.name.as_str())
                .collect();
            let name = word()?;
            index_of(at, field, "live channel", name, &live)?;
            Ok(Value::Index(cfg.channel_index(name).unwrap_or_default()))
        }
        ParamKind::Days => {
            let s = word()?;
            parse_days(s).map(Value::Days).ok_or_else(|| {
                bad(format!(
                    "{at}.{field}: not days of the week, got \"{s}\" (e.g. Mon-Fri, Sat-Sun, Mon,Wed,Fri, daily)"
                ))
            })
        }
        ParamKind::Hours => {
            let s = word()?;
            parse_hours(s).map(|(a, b)| Value::Hours(a, b)).ok_or_else(|| {
                bad(format!(
                    "{at}.{field}: not hours of the day, got \"{s}\" (HH:MM-HH:MM from 00:00 to 24:00, e.g. 08:00-20:00)"
                ))
            })
        }
        ParamKind::Count { min, max } => {
            let mut one = toml::Table::new();
            one.insert(field.to_string(), v.clone());
            Ok(Value::Count(whole(at, &one, field, min, max)?.unwrap_or(min)))
        }
        ParamKind::Choice { values } => {
            let s = word()?;
            index_of(at, field, "choice", s, values)?;
            Ok(Value::Word(s.to_string()))
        }
        ParamKind::HorizonDay => Err(bad(format!("{at}.{field}: read with the change's days"))),
    }
}

/// Checks between parameters: routing names what its rule needs; extended hours are staffed by a
/// team that serves the channel.
fn consistent(at: &str, c: &ChangeSpec, cfg: &Config) -> Result<(), BadProposal> {
    match c.kind.name {
        "routing" => {
            let needs = match c.get("rule") {
                Some(Value::Word(r)) if r == "segment_priority" => "segment",
                _ => "category",
            };
            if c.get(needs).is_none() {
                return Err(bad(format!("{at}.{needs}: missing (the rule needs it)")));
            }
        }
        "extend_hours" => {
            if let (Some(Value::Index(ch)), Some(Value::Index(team))) = (c.get("channel"), c.get("team")) {
                let t = &cfg.teams[*team];
                if !t.channels.contains(ch) {
                    return Err(bad(format!(
                        "{at}.team: {} does not serve {}",
                        t.name, cfg.channels[*ch].name
                    )));
                }
            }
        }
        _ => {}
    }
    Ok(())
}

/// A `where = { channel = "chat" }` table as filters, each value one the scenario has.
fn filters(at: &str, t: &toml::Table, cfg: &Config) -> Result<Vec<(Cut, String)>, BadProposal> {
    let Some(v) = t.get("where") else {
        return Ok(Vec::new());
    };
    let w = v.as_table().ok_or_else(|| {
        bad(format!(
            "{at}.where: must be a table like {{ channel = \"chat\" }}, got {}",
            shown(v)
        ))
    })?;
    let allowed = [
        Cut::Channel,
        Cut::Category,
        Cut::Segment,
        Cut::Priority,
        Cut::Team,
        Cut::Weekday,
        Cut::Hour,
    ];
    let mut out = Vec::new();
    for (key, value) in w {
        let cut = Cut::from_name(key).filter(|c| allowed.contains(c)).ok_or_else(|| {
            let names: Vec<&str> = allowed.iter().map(|c| c.name()).collect();
            bad(format!("{at}.where.{key}: unknown key; valid: {}", names.join(", ")))
        })?;
        let name = value
            .as_str()
            .ok_or_else(|| bad(format!("{at}.where.{key}: must be text, got {}", shown(value))))?;
        let hours: Vec<String> = (0..24).map(|h| format!("{h:02}")).collect();
        let values: Vec<&str> = match cut {
            Cut::Channel => cfg.channels.iter().map(|c| c.name.as_str()).collect(),
            Cut::Category => cfg.categories.iter().map(|c| c.name.as_str()).collect(),
            Cut::Segment => cfg.segments.iter().map(|s| s.name.as_str()).collect(),
            Cut::Team => cfg.teams.iter().map(|t| t.name.as_str()).collect(),
            Cut::Priority => PRIORITIES.to_vec(),
            Cut::Weekday => WEEKDAYS.to_vec(),
            _ => hours.iter().map(String::as_str).collect(),
        };
        index_of(at, &format!("where.{key}"), key, name, &values)?;
        out.push((cut, name.to_string()));
    }
    Ok(out)
}

fn kpi_of(at: &str, t: &toml::Table, by: &[(Cut, String)]) -> Result<Kpi, BadProposal> {
    let name = text(at, t, "kpi")?.ok_or_else(|| bad(format!("{at}.kpi: missing (e.g. csat)")))?;
    let kpi = Kpi::from_name(name).ok_or_else(|| {
        let names: Vec<&str> = Kpi::ALL.iter().map(|k| k.name()).collect();
        bad(format!("{at}.kpi: unknown KPI \"{name}\"; valid: {}", names.join(", ")))
    })?;
    let selection = Selection {
        filters: by.to_vec(),
        ..Selection::default()
    };
    Case::check_cuts(&[], &selection, &[kpi]).map_err(|e| bad(format!("{at}.where: {e}")))?;
    Ok(kpi)
}

fn only(at: &str, t: &toml::Table, fields: &[&str]) -> Result<(), BadProposal> {
    match t.keys().find(|k| !fields.contains(&k.as_str())) {
        Some(k) => Err(bad(format!("{at}.{k}: unknown field; valid: {}", fields.join(", ")))),
        None => Ok(()),
    }
}

fn metric(at: &str, t: &toml::Table, cfg: &Config, _case: &Case) -> Result<MetricSpec, BadProposal> {
    only(at, t, &["kpi", "where", "baseline", "target", "by_day"])?;
    let filters = filters(at, t, cfg)?;
    let kpi = kpi_of(at, t, &filters)?;
    let target = number(at, t, "target")?.ok_or_else(|| bad(format!("{at}.target: missing")))?;
    let by_day = whole(at, t, "by_day", 1, i64::from(cfg.horizon_days))?.ok_or_else(|| {
        bad(format!(
            "{at}.by_day: missing (day of the horizon, 1 to {})",
            cfg.horizon_days
        ))
    })?;
    Ok(MetricSpec {
        kpi,
        filters,
        baseline: number(at, t, "baseline")?,
        target,
        by_day: by_day as u32,
    })
}

fn finding(at: &str, t: &toml::Table, cfg: &Config, case: &Case) -> Result<FindingSpec, BadProposal> {
    only(at, t, &["kpi", "where", "period", "value"])?;
    let filters = filters(at, t, cfg)?;
    let kpi = kpi_of(at, t, &filters)?;
    let period = text(at, t, "period")?
        .filter(|p| !p.eq_ignore_ascii_case("whole history"))
        .map(str::to_string);
    let selection = Selection::parse(period.as_deref(), None)
        .map_err(|e| bad(format!("{at}.period: {}", e.0.trim_start_matches("--period: "))))?;
    if case.window(&selection).is_none() {
        return Err(bad(format!(
            "{at}.period: \"{}\" lies outside the history",
            period.unwrap_or_default()
        )));
    }
    let value = number(at, t, "value")?.ok_or_else(|| bad(format!("{at}.value: missing")))?;
    Ok(FindingSpec {
        kpi,
        filters,
        period,
        value,
    })
}
