//! Loads a case folder on disk for the metrics engine: the case folder or its `candidate/` folder,
//! Parquet where present, else CSV. Which channels are live comes from the scenario embedded in
//! `case.toml` (beside `candidate/`), never guessed from the data, so a case needs its manifest.
//! Every failure names the file.

use std::path::{Path, PathBuf};

use polars::prelude::*;

use super::memory::{history_days, hourly_costs, live_channels};
use super::{Case, CustomerTable, NpsTable, ScheduleTable, TicketTable};
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

/// One table of the case: `<name>.parquet` if it exists, else `<name>.csv`. With `columns`, only
/// those, read as the given types (a CSV then needs no type inference).
fn read_table(data: &Path, name: &str, columns: &[(&str, DataType)]) -> Result<DataFrame, AppError> {
    let names: Option<Vec<PlSmallStr>> =
        (!columns.is_empty()).then(|| columns.iter().map(|(n, _)| (*n).into()).collect());
    let parquet = data.join(format!("{name}.parquet"));
    if parquet.is_file() {
        let file = std::fs::File::open(&parquet).map_err(|e| bad(&parquet, format!("cannot open: {e}")))?;
        return ParquetReader::new(file)
            .with_columns(names.map(|c| c.into_iter().map(|n| n.to_string()).collect()))
            .finish()
            .map_err(|e| bad(&parquet, format!("is not a readable Parquet table: {e}")));
    }
    let csv = data.join(format!("{name}.csv"));
    if !csv.is_file() {
        return Err(bad(&csv, format!("is missing (and so is {name}.parquet)")));
    }
    let schema: Option<SchemaRef> = (!columns.is_empty()).then(|| {
        Arc::new(Schema::from_iter(
            columns.iter().map(|(n, t)| Field::new((*n).into(), t.clone())),
        ))
    });
    let infer = if columns.is_empty() { None } else { Some(100) };
    CsvReadOptions::default()
        .with_has_header(true)
        .with_infer_schema_length(infer)
        .with_schema_overwrite(schema)
        .with_columns(names.map(Into::into))
        .try_into_reader_with_file_path(Some(csv.clone()))
        .and_then(|r| r.finish())
        .map_err(|e| bad(&csv, format!("is not a readable CSV table: {e}")))
}

/// A case folder opened for the metrics engine: where it is, its manifest and scenario, its tables.
#[derive(Debug, Clone)]
pub struct OpenCase {
    /// The case folder (holding case.toml and candidate/).
    pub root: PathBuf,
    pub manifest: Manifest,
    pub config: crate::config::Config,
    pub case: Case,
}

/// Loads the tables of the case at `dir` (the case folder or its candidate folder) that the KPIs read.
pub fn load_case(dir: &Path) -> Result<Case, AppError> {
    open_case(dir).map(|c| c.case)
}

/// Opens the case at `dir` (the case folder or its candidate folder): manifest, scenario and tables.
pub fn open_case(dir: &Path) -> Result<OpenCase, AppError> {
    let root = case_root(dir);
    let manifest_path = root.join("case.toml");
    if !root.is_dir() {
        return Err(bad(&root, "is not a folder"));
    }
    let text = std::fs::read_to_string(&manifest_path)
        .map_err(|e| bad(&manifest_path, format!("cannot read the case manifest: {e}")))?;
    let manifest: Manifest =
        toml::from_str(&text).map_err(|e| bad(&manifest_path, format!("is not a case manifest: {}", e.message())))?;
    let cfg = crate::config::Config::from_scenario(&manifest.scenario)
        .map_err(|e| bad(&manifest_path, format!("embeds an invalid scenario: {e}")))?;
    let data = root.join(CANDIDATE_DIR).join("data");
    let lacks = |name: &str| {
        let path = data.join(name);
        move |e: PolarsError| bad(&path, format!("lacks a column or value the KPIs need: {e}"))
    };
    let (tickets, events) = rayon::join(
        || read_table(&data, "tickets", &TicketTable::columns()),
        || {
            read_table(
                &data,
                "ticket_events",
                &[("ticket_id", DataType::UInt32), ("event", DataType::String)],
            )
        },
    );
    let mut tickets = TicketTable::from_frame(&tickets?, &live_channels(&cfg)).map_err(lacks("tickets"))?;
    tickets.mark_surveyed(surveyed_ids(&events?).map_err(lacks("ticket_events"))?);
    let mut case = Case {
        tickets,
        nps: NpsTable::from_frame(&read_table(&data, "nps_responses", &NpsTable::columns())?)
            .map_err(lacks("nps_responses"))?,
        customers: CustomerTable::from_frame(&read_table(&data, "customers", &CustomerTable::columns())?)
            .map_err(lacks("customers"))?,
        schedule: ScheduleTable::from_frame(&read_table(&data, "schedule", &[])?, hourly_costs(&cfg))
            .map_err(lacks("schedule"))?,
        ..Case::default()
    };
    (case.first_day, case.last_day) = history_days(&cfg);
    Ok(OpenCase {
        root,
        manifest,
        config: cfg,
        case,
    })
}

/// Ticket ids of the `survey_sent` events.
fn surveyed_ids(events: &DataFrame) -> PolarsResult<Vec<u32>> {
    let ids = events.column("ticket_id")?.cast(&DataType::UInt32)?;
    let kinds = events.column("event")?.cast(&DataType::String)?;
    Ok(ids
        .u32()?
        .iter()
        .zip(kinds.str()?.iter())
        .filter_map(|(id, kind)| (kind == Some("survey_sent")).then_some(id).flatten())
        .collect())
}
