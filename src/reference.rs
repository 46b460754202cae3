//! The reference plan of a case, kept in its interviewer folder: `reference.toml` (the plan as a
//! proposal file) and `reference.json` (its value in each scoring replication, its cost, and what
//! each hidden issue did in the history). `solve` writes them; `score` reads them, searches
//! only when they are absent or were written by another version or budget, and simulates only the
//! replications the cache lacks.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::config::Config;
use crate::error::AppError;
use crate::interventions::proposal::{self, Proposal};
use crate::kpi::OpenCase;
use crate::output;
use crate::solve::Problem;

/// The reference plan with its value on the case's scoring futures.
#[derive(Debug, Clone)]
pub struct Reference {
    pub text: String,
    pub proposal: Proposal,
    /// Value in replications 0..n of the case, USD.
    pub values_usd: Vec<f64>,
    pub cost_usd: f64,
    /// What each hidden issue costs over the horizon, USD (see
    /// [`Problem::issue_harm_usd`]).
    pub issue_harm_usd: Vec<f64>,
}

/// The revision of how a reference is searched and valued: a cache written under another is stale.
/// 2 counts the churn a run's experiences cause after it, the case's `customer_value_months`, and
/// keeps the guardrails; 3 also pairs cuts with changes that relieve them and checks each change of
/// the plan on twelve futures; 4 takes a cut off only the days it names and also tries cuts on a
/// shift's quieter days; 5, when every finalist breaks a guardrail on the twelve futures, tries the
/// rest of the search's items instead of settling for no change; 6 rebuilds a plan that breaks a
/// guardrail on the twelve futures greedily on them.
const VALUE_MODEL: u32 = 6;

#[derive(Debug, Serialize, Deserialize)]
struct Cache {
    supportsim_version: String,
    /// [`VALUE_MODEL`] when written (absent, 0, before it existed).
    #[serde(default)]
    value_model: u32,
    budget_usd: f64,
    /// SHA-256 of reference.toml as written.
    proposal_sha256: String,
    values_usd: Vec<f64>,
    cost_usd: f64,
    issue_harm_usd: Vec<f64>,
    plans_simulated: usize,
}

fn paths(open: &OpenCase) -> (PathBuf, PathBuf) {
    let dir = open.root.join("interviewer");
    (dir.join("reference.toml"), dir.join("reference.json"))
}

fn sha256(text: &str) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The cached reference of the case and its cache entry, if there is one this version wrote for
/// `budget_usd`.
fn cached(open: &OpenCase, cfg: &Config, budget_usd: f64) -> Option<(Reference, Cache)> {
    let (toml_path, json_path) = paths(open);
    let text = std::fs::read_to_string(&toml_path).ok()?;
    let cache: Cache = serde_json::from_str(&std::fs::read_to_string(&json_path).ok()?).ok()?;
    let fresh = cache.supportsim_version == env!("CARGO_PKG_VERSION")
        && cache.value_model == VALUE_MODEL
        && cache.budget_usd == budget_usd
        && cache.proposal_sha256 == sha256(&text)
        && cache.issue_harm_usd.len() == cfg.active_issues.len();
    if !fresh {
        return None;
    }
    let proposal = proposal::parse(text.as_bytes(), cfg, &open.case).ok()?;
    let r = Reference {
        text,
        proposal,
        values_usd: cache.values_usd.clone(),
        cost_usd: cache.cost_usd,
        issue_harm_usd: cache.issue_harm_usd.clone(),
    };
    Some((r, cache))
}

/// Writes `cache` as the case's reference.json.
fn store(open: &OpenCase, cache: &Cache) -> Result<(), AppError> {
    let (_, json_path) = paths(open);
    let json = serde_json::to_string_pretty(cache).map_err(|e| AppError::BadInput {
        file: json_path.display().to_string(),
        message: e.to_string(),
    })?;
    output::write_atomic(&json_path, &(json + "\n"))
}

/// Searches the case's catalog for the reference plan under `budget_usd`, confirmed on
/// `replications` replications; keeps it in the interviewer folder when `keep` (and the folder
/// exists). `progress` gets a line per step.
pub fn solve(
    open: &OpenCase,
    cfg: &Config,
    budget_usd: f64,
    replications: u32,
    keep: bool,
    progress: &(dyn Fn(&str) + Sync),
) -> Result<Reference, AppError> {
    let problem = Problem {
        cfg,
        case: &open.case,
        case_seed: open.manifest.seed,
        budget_usd,
    };
    let solved = problem.solve(replications, progress);
    progress("weighing the hidden issues");
    let issue_harm_usd = problem.issue_harm_usd();
    let (toml_path, _) = paths(open);
    if keep && toml_path.parent().is_some_and(|d| d.is_dir()) {
        let cache = Cache {
            supportsim_version: env!("CARGO_PKG_VERSION").into(),
            value_model: VALUE_MODEL,
            budget_usd,
            proposal_sha256: sha256(&solved.text),
            values_usd: solved.values_usd.clone(),
            cost_usd: solved.cost_usd,
            issue_harm_usd: issue_harm_usd.clone(),
            plans_simulated: solved.evaluated,
        };
        output::write_atomic(&toml_path, &solved.text)?;
        store(open, &cache)?;
    }
    Ok(Reference {
        text: solved.text,
        proposal: solved.proposal,
        values_usd: solved.values_usd,
        cost_usd: solved.cost_usd,
        issue_harm_usd,
    })
}

/// The case's reference for a score over `replications` replications: the cached one (with any
/// replications it lacks simulated now and added to the cache), or a new search, kept for the next
/// score.
pub fn for_score(
    open: &OpenCase,
    cfg: &Config,
    replications: u32,
    progress: &(dyn Fn(&str) + Sync),
) -> Result<Reference, AppError> {
    let (mut r, cache) = match cached(open, cfg, cfg.budget_usd) {
        Some((r, cache)) => (r, Some(cache)),
        None => {
            progress("no reference plan cached: searching (supportsim solve)");
            (solve(open, cfg, cfg.budget_usd, replications, true, progress)?, None)
        }
    };
    let have = r.values_usd.len() as u32;
    if have < replications {
        progress("valuing the reference plan on more replications");
        let problem = Problem {
            cfg,
            case: &open.case,
            case_seed: open.manifest.seed,
            budget_usd: cfg.budget_usd,
        };
        r.values_usd.extend(problem.values_of(&r.text, have, replications));
        if let Some(mut cache) = cache {
            cache.values_usd = r.values_usd.clone();
            store(open, &cache)?;
        }
    }
    r.values_usd.truncate(replications as usize);
    Ok(r)
}
