//! Loads a case folder on disk for the metrics engine: the case folder or its `candidate/` folder,
//! Parquet where present, else CSV. Which channels are live comes from the scenario embedded in
//! `case.toml` (beside `candidate/`), never guessed from the data, so a case needs its manifest.
//! Every failure names the file.

use std::path::{Path, PathBuf};

use polars::prelude::*;

use super::{Case, NpsTable, TicketTable};
use crate::error::AppError;
use crate::output::CANDIDATE_DIR;
use crate::output::manifest::Manifest;

/// The case folder holding `dir` (`dir` itself, or its parent when `dir` is the candidate folder).
fn case_root(dir: &Path) -> PathBuf {
    if dir.join("case.toml").is_file() {
        dir.to_path_buf()
    } else if dir.file_name().is_some_and(|n| n == CANDIDATE_DIR) && dir.join("../case.toml").is_file() {
        dir.join("..")
    } else {
        dir.to_path_buf()
    }
}

fn bad(path: &Path, message: impl Into<String>) -> AppError {
    AppError::BadInput {
        file: path.display().to_string(),
        message: message.into(),
    }
}

/// One table of the case: `<name>.parquet` if it exists, else `<name>.csv`.
fn read_table(data: &Path, name: &str) -> Result<DataFrame, AppError> {
    let parquet = data.join(format!("{name}.parquet"));
    if parquet.is_file() {
        let file = std::fs::File::open(&parquet).map_err(|e| bad(&parquet, format!("cannot open: {e}")))?;
        return ParquetReader::new(file)
            .finish()
            .map_err(|e| bad(&parquet, format!("is not a readable Parquet table: {e}")));
    }
    let csv = data.join(format!("{name}.csv"));
    if !csv.is_file() {
        return Err(bad(&csv, format!("is missing (and so is {name}.parquet)")));
    }
    CsvReadOptions::default()
        .with_has_header(true)
        .with_infer_schema_length(None)
        .try_into_reader_with_file_path(Some(csv.clone()))
        .and_then(|r| r.finish())
        .map_err(|e| bad(&csv, format!("is not a readable CSV table: {e}")))
}

/// Loads the tickets and NPS answers of the case at `dir` (the case folder or its candidate folder).
pub fn load_case(dir: &Path) -> Result<Case, AppError> {
    let root = case_root(dir);
    let manifest_path = root.join("case.toml");
    let text = std::fs::read_to_string(&manifest_path)
        .map_err(|e| bad(&manifest_path, format!("cannot read the case manifest: {e}")))?;
    let manifest: Manifest =
        toml::from_str(&text).map_err(|e| bad(&manifest_path, format!("is not a case manifest: {}", e.message())))?;
    let cfg = crate::config::Config::from_scenario(&manifest.scenario)
        .map_err(|e| bad(&manifest_path, format!("embeds an invalid scenario: {e}")))?;
    let live: Vec<&str> = cfg
        .channels
        .iter()
        .filter(|c| c.live)
        .map(|c| c.name.as_str())
        .collect();
    let data = root.join(CANDIDATE_DIR).join("data");
    let tickets = read_table(&data, "tickets")?;
    let nps = read_table(&data, "nps_responses")?;
    Ok(Case {
        tickets: TicketTable::from_frame(&tickets, &live).map_err(|e| {
            bad(
                &data.join("tickets"),
                format!("lacks a column or value the KPIs need: {e}"),
            )
        })?,
        nps: NpsTable::from_frame(&nps).map_err(|e| {
            bad(
                &data.join("nps_responses"),
                format!("lacks a column or value the KPIs need: {e}"),
            )
        })?,
    })
}
