//! Writing a case folder: tables as CSV and/or Parquet, then `case.toml` with a checksum of every file.
//! Everything is written into a staging folder that replaces the output folder in one rename
//! ([`case_dir`]), so an interrupted run never leaves a half-written case.

pub mod case_dir;
pub mod manifest;
pub mod tables;

use std::fs::File;
use std::io::BufWriter;
use std::path::Path;

use polars::prelude::*;

use crate::cli::Format;
use crate::error::AppError;
use crate::record::SimOutput;
use crate::scenarios::Loaded;

/// Names of the data tables, in the order they are written.
pub const TABLES: [&str; 6] = [
    "tickets",
    "ticket_events",
    "nps_responses",
    "customers",
    "agents",
    "schedule",
];

fn polars_err(what: &str, e: PolarsError) -> AppError {
    AppError::Output(format!("{what}: {e}"))
}

fn create(path: &Path) -> Result<BufWriter<File>, AppError> {
    File::create(path)
        .map(|f| BufWriter::with_capacity(1 << 20, f))
        .map_err(|e| AppError::io("cannot create", path, e))
}

/// Writes `df` as CSV with ISO 8601 timestamps.
pub fn write_csv(df: &mut DataFrame, path: &Path) -> Result<(), AppError> {
    let mut w = create(path)?;
    CsvWriter::new(&mut w)
        .include_header(true)
        .with_datetime_format(Some("%Y-%m-%dT%H:%M:%S".into()))
        .with_date_format(Some("%Y-%m-%d".into()))
        .finish(df)
        .map_err(|e| polars_err(&format!("writing {}", path.display()), e))?;
    std::io::Write::flush(&mut w).map_err(|e| AppError::io("cannot write", path, e))
}

/// Writes `df` as zstd-compressed Parquet.
pub fn write_parquet(df: &mut DataFrame, path: &Path) -> Result<(), AppError> {
    let w = create(path)?;
    ParquetWriter::new(w)
        .with_compression(ParquetCompression::Zstd(None))
        .finish(df)
        .map_err(|e| polars_err(&format!("writing {}", path.display()), e))?;
    Ok(())
}

fn build(
    name: &str,
    sim: &SimOutput,
    loaded: &Loaded,
    cal: &tables::Calendar,
) -> PolarsResult<DataFrame> {
    let cfg = &loaded.config;
    match name {
        "tickets" => tables::tickets(sim, cfg, cal),
        "ticket_events" => tables::ticket_events(sim, cfg, cal),
        "nps_responses" => tables::nps_responses(cal),
        "customers" => tables::customers(sim, cfg, cal),
        "agents" => tables::agents(sim, cfg, cal),
        _ => tables::schedule(sim, cfg, cal),
    }
}

/// Writes every table and the manifest into `dir` (the staging folder). Returns the files written,
/// relative to `dir`.
pub fn write_case(
    dir: &Path,
    sim: &SimOutput,
    loaded: &Loaded,
    seed: u64,
    format: Format,
    progress: &mut dyn FnMut(&str),
) -> Result<Vec<String>, AppError> {
    let data = dir.join("data");
    std::fs::create_dir_all(&data).map_err(|e| AppError::io("cannot create", &data, e))?;
    let cal = tables::Calendar::new(loaded.config.start_date);
    let mut files = Vec::new();
    for name in TABLES {
        progress(name);
        let mut df = build(name, sim, loaded, &cal)
            .map_err(|e| polars_err(&format!("building {name}"), e))?;
        if format.csv() {
            write_csv(&mut df, &data.join(format!("{name}.csv")))?;
            files.push(format!("data/{name}.csv"));
        }
        if format.parquet() {
            write_parquet(&mut df, &data.join(format!("{name}.parquet")))?;
            files.push(format!("data/{name}.parquet"));
        }
    }
    progress("case.toml");
    manifest::write(dir, &files, loaded, seed, format)?;
    files.push("case.toml".into());
    Ok(files)
}
