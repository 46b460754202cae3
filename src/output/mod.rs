//! Writing a case folder: `candidate/` (the brief, `data_dictionary.md` and the tables as CSV and/or
//! Parquet: the one folder an interviewer hands over), `interviewer/` (the answer key), then
//! `case.toml` beside them with a checksum of every file.
//! Everything is written into a staging folder that replaces the output folder in one rename
//! ([`case_dir`]), so an interrupted run never leaves a half-written case.

pub mod case_dir;
pub mod dictionary;
pub mod manifest;
pub mod tables;

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

use polars::prelude::*;
use sha2::{Digest, Sha256};

use crate::cli::Format;
use crate::error::AppError;
use crate::record::SimOutput;
use crate::scenarios::Loaded;

/// The folder a candidate is given, relative to the case folder.
pub const CANDIDATE_DIR: &str = "candidate";

/// Writes `text` to `path` atomically: into a temporary file beside it, renamed into place.
pub fn write_atomic(path: &Path, text: &str) -> Result<(), AppError> {
    write_atomic_bytes(path, text.as_bytes())
}

/// Writes `bytes` to `path` atomically, as [`write_atomic`].
pub fn write_atomic_bytes(path: &Path, bytes: &[u8]) -> Result<(), AppError> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(dir).map_err(|e| AppError::io("cannot create", dir, e))?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".supportsim-")
        .tempfile_in(dir)
        .map_err(|e| AppError::io("cannot create a temporary file in", dir, e))?;
    // Readable as any other file the user writes (a temporary file is private by default).
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = tmp.as_file().set_permissions(std::fs::Permissions::from_mode(0o644));
    }
    tmp.write_all(bytes)
        .and_then(|()| tmp.as_file().sync_all())
        .map_err(|e| AppError::io("cannot write", tmp.path(), e))?;
    tmp.persist(path)
        .map_err(|e| AppError::io("cannot write", path, e.error))?;
    Ok(())
}

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

/// Passes bytes through to a file while computing their SHA-256, so checksums cost no second read.
struct HashingWriter {
    file: File,
    hasher: Sha256,
}

impl Write for HashingWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.file.write(buf)?;
        self.hasher.update(&buf[..n]);
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.file.flush()
    }
}

/// Creates `path` behind a buffer and a hasher.
fn create(path: &Path) -> Result<BufWriter<HashingWriter>, AppError> {
    let file = File::create(path).map_err(|e| AppError::io("cannot create", path, e))?;
    Ok(BufWriter::with_capacity(
        1 << 20,
        HashingWriter {
            file,
            hasher: Sha256::new(),
        },
    ))
}

/// Flushes and closes the file; returns its SHA-256 in lowercase hex.
fn finish(w: BufWriter<HashingWriter>, path: &Path) -> Result<String, AppError> {
    let inner = w
        .into_inner()
        .map_err(|e| AppError::io("cannot write", path, e.into_error()))?;
    inner
        .file
        .sync_all()
        .map_err(|e| AppError::io("cannot write", path, e))?;
    Ok(format!("{:x}", inner.hasher.finalize()))
}

/// Writes `df` as CSV with ISO 8601 timestamps to the second; returns the file's SHA-256.
pub fn write_csv(df: &DataFrame, path: &Path) -> Result<String, AppError> {
    let mut text = tables::for_csv(df).map_err(|e| polars_err(&format!("formatting {}", path.display()), e))?;
    let mut w = create(path)?;
    // Only tables with free text (comments) can hold a value that needs quoting; names are
    // validated to letters, digits, '_' and '-'. Elsewhere the writer skips scanning every value.
    let free_text = df
        .get_column_names()
        .iter()
        .any(|c| c.as_str() == "comment" || c.as_str() == "csat_comment");
    CsvWriter::new(&mut w)
        .include_header(true)
        .with_quote_style(if free_text {
            QuoteStyle::Necessary
        } else {
            QuoteStyle::Never
        })
        .with_date_format(Some("%Y-%m-%d".into()))
        .finish(&mut text)
        .map_err(|e| polars_err(&format!("writing {}", path.display()), e))?;
    finish(w, path)
}

/// Writes `df` as zstd-compressed Parquet; returns the file's SHA-256.
pub fn write_parquet(df: &mut DataFrame, path: &Path) -> Result<String, AppError> {
    let mut w = create(path)?;
    ParquetWriter::new(&mut w)
        .with_compression(ParquetCompression::Snappy)
        .finish(df)
        .map_err(|e| polars_err(&format!("writing {}", path.display()), e))?;
    finish(w, path)
}

fn build(name: &str, sim: &SimOutput, loaded: &Loaded, cal: &tables::Calendar) -> PolarsResult<DataFrame> {
    let cfg = &loaded.config;
    match name {
        "tickets" => tables::tickets(sim, cfg, cal),
        "ticket_events" => tables::ticket_events(&sim.events, &sim.agents, cfg, cal),
        "nps_responses" => tables::nps_responses(sim, cfg, cal),
        "customers" => tables::customers(sim, cfg, cal),
        "agents" => tables::agents(sim, cfg, cal),
        _ => tables::schedule(sim, cfg, cal),
    }
}

/// Builds one table and writes it in the chosen formats; returns (path relative to the case, SHA-256).
fn write_table(
    name: &str,
    data: &Path,
    sim: &SimOutput,
    loaded: &Loaded,
    cal: &tables::Calendar,
    format: Format,
) -> Result<Vec<(String, String)>, AppError> {
    let df = build(name, sim, loaded, cal).map_err(|e| polars_err(&format!("building {name}"), e))?;
    write_frame(name, df, data, format)
}

/// Writes a built table in the chosen formats; returns (path relative to the case, SHA-256).
/// The CSV and the Parquet file are written as two parallel tasks (an idle core picks one up).
fn write_frame(name: &str, df: DataFrame, data: &Path, format: Format) -> Result<Vec<(String, String)>, AppError> {
    let csv = || -> Result<Option<(String, String)>, AppError> {
        if !format.csv() {
            return Ok(None);
        }
        Ok(Some((
            format!("{CANDIDATE_DIR}/data/{name}.csv"),
            write_csv(&df, &data.join(format!("{name}.csv")))?,
        )))
    };
    let parquet = || -> Result<Option<(String, String)>, AppError> {
        if !format.parquet() {
            return Ok(None);
        }
        let mut df = df.clone();
        Ok(Some((
            format!("{CANDIDATE_DIR}/data/{name}.parquet"),
            write_parquet(&mut df, &data.join(format!("{name}.parquet")))?,
        )))
    };
    let (csv, parquet) = rayon::join(csv, parquet);
    Ok([csv?, parquet?].into_iter().flatten().collect())
}

/// Writes `data_dictionary.md` into `dir`; returns its SHA-256.
fn write_dictionary(dir: &Path, loaded: &Loaded) -> Result<String, AppError> {
    let path = dir.join("data_dictionary.md");
    let mut w = create(&path)?;
    w.write_all(dictionary::data_dictionary(&loaded.config).as_bytes())
        .map_err(|e| AppError::io("cannot write", &path, e))?;
    finish(w, &path)
}

/// Writes `interviewer/answer_key.json` and `interviewer/answer_key.md`; returns their checksums.
fn write_answer_key(dir: &Path, key: &crate::case::answer_key::AnswerKey) -> Result<Vec<(String, String)>, AppError> {
    let folder = dir.join("interviewer");
    std::fs::create_dir_all(&folder).map_err(|e| AppError::io("cannot create", &folder, e))?;
    let json = serde_json::to_string_pretty(key).map_err(|e| AppError::Output(format!("answer key: {e}")))?;
    let md = crate::case::answer_key::to_markdown(key);
    let mut out = Vec::new();
    for (name, text) in [("answer_key.json", json + "\n"), ("answer_key.md", md)] {
        let path = folder.join(name);
        let mut w = create(&path)?;
        w.write_all(text.as_bytes())
            .map_err(|e| AppError::io("cannot write", &path, e))?;
        out.push((format!("interviewer/{name}"), finish(w, &path)?));
    }
    Ok(out)
}

/// Writes every table, the data dictionary and the manifest into `dir` (the staging folder). The two
/// large tables are built and written on two threads at once, and the event log is freed as soon as its
/// table is built (which is why this takes the simulation by value). Returns the files written, relative to `dir`.
pub fn write_case(
    dir: &Path,
    mut sim: SimOutput,
    loaded: &Loaded,
    key: &crate::case::answer_key::AnswerKey,
    brief: &str,
    seed: u64,
    format: Format,
    progress: &mut dyn FnMut(&str),
) -> Result<Vec<String>, AppError> {
    let candidate = dir.join(CANDIDATE_DIR);
    let data = candidate.join("data");
    std::fs::create_dir_all(&data).map_err(|e| AppError::io("cannot create", &data, e))?;
    let cal = tables::Calendar::new(loaded.config.start_date);
    let mut sums = BTreeMap::new();
    progress("tickets and events");
    let events = std::mem::take(&mut sim.events);
    let sim = &sim;
    let (tickets, events) = rayon::join(
        || write_table("tickets", &data, sim, loaded, &cal, format),
        || {
            let df = tables::ticket_events(&events, &sim.agents, &loaded.config, &cal);
            drop(events);
            write_frame(
                "ticket_events",
                df.map_err(|e| polars_err("building ticket_events", e))?,
                &data,
                format,
            )
        },
    );
    sums.extend(tickets?);
    sums.extend(events?);
    for name in TABLES.iter().filter(|n| !matches!(**n, "tickets" | "ticket_events")) {
        progress(name);
        sums.extend(write_table(name, &data, sim, loaded, &cal, format)?);
    }
    sums.insert(
        format!("{CANDIDATE_DIR}/data_dictionary.md"),
        write_dictionary(&candidate, loaded)?,
    );
    sums.extend(write_answer_key(dir, key)?);
    let path = candidate.join("brief.md");
    let mut w = create(&path)?;
    w.write_all(brief.as_bytes())
        .map_err(|e| AppError::io("cannot write", &path, e))?;
    sums.insert(format!("{CANDIDATE_DIR}/brief.md"), finish(w, &path)?);
    progress("case.toml");
    let files: Vec<String> = sums
        .keys()
        .cloned()
        .chain(std::iter::once("case.toml".to_string()))
        .collect();
    manifest::write(dir, sums, loaded, seed, format)?;
    Ok(files)
}
