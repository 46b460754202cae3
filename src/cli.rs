//! The command line (clap derive only; no logic).

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "supportsim",
    version,
    about = "Simulate a customer-support operation and write an interview case from it"
)]
pub struct Cli {
    /// No progress bars.
    #[arg(long, short, global = true)]
    pub quiet: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Simulate the history of a scenario and write the case's data tables.
    Generate(GenerateArgs),
    /// List, show or validate scenarios.
    #[command(subcommand)]
    Scenario(ScenarioCommand),
    /// KPIs of a case: cut, filtered and over a period, with counts and 95% intervals.
    Metrics(MetricsArgs),
    /// Write a metrics drill on a case: candidate/questions.md, and the answers in interviewer/.
    Quiz(QuizArgs),
    /// Grade answers to a case's quiz, naming the slip each wrong answer matches.
    Check(CheckArgs),
    /// The interventions a proposal may use: parameters, timing, prices and effect ranges.
    Interventions {
        /// Print one JSON object instead of text.
        #[arg(long)]
        json: bool,
    },
    /// What a proposal would have done: the horizon re-simulated with and without it, paired.
    Score(ScoreArgs),
    /// Write a starting proposal for a case, or check one.
    #[command(subcommand)]
    Proposal(ProposalCommand),
    /// Search the catalog for a strong plan under the budget: the reference a score is measured against.
    Solve(SolveArgs),
    /// Draw the case's charts, and a score's, into <case>/charts/.
    Chart(ChartArgs),
    /// Write a one-page, self-contained HTML report of the case, and of a score.
    Report(ReportArgs),
}

#[derive(Debug, clap::Args)]
pub struct ChartArgs {
    /// The case folder (or its candidate/ folder).
    #[arg(long)]
    pub case: PathBuf,
    /// Also draw this score: the output of `supportsim score --json`.
    #[arg(long)]
    pub score: Option<PathBuf>,
    /// File format.
    #[arg(long, value_enum, default_value_t = ChartFormat::Svg)]
    pub format: ChartFormat,
    /// Replace chart files that exist.
    #[arg(long)]
    pub force: bool,
}

/// The file formats `chart` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ChartFormat {
    Svg,
    Png,
    Both,
}

#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    /// The case folder (or its candidate/ folder).
    #[arg(long)]
    pub case: PathBuf,
    /// Also report this score: the output of `supportsim score --json`.
    #[arg(long)]
    pub score: Option<PathBuf>,
    /// Add the answer key (the hidden issues, their effects, the traps): the interviewer's report.
    #[arg(long)]
    pub answer_key: bool,
    /// The HTML file to write [default: <case>/report.html, or <case>/interviewer/report.html with
    /// --answer-key].
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Replace the file if it exists.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, clap::Args)]
pub struct SolveArgs {
    /// The case folder (it keeps the reference in interviewer/reference.toml).
    #[arg(long)]
    pub case: PathBuf,
    /// Budget in USD [default: the scenario's]; only a search at the scenario's budget is kept as the
    /// case's reference.
    #[arg(long, allow_negative_numbers = true)]
    pub budget: Option<f64>,
    /// Also write the plan found to this proposal file.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Replications the plan found is confirmed on (1 to 200).
    #[arg(long, default_value_t = 20)]
    pub replications: u32,
    /// Replace an existing --out file.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, clap::Args)]
pub struct ScoreArgs {
    /// The case folder (or its candidate/ folder).
    #[arg(long)]
    pub case: PathBuf,
    /// The proposal TOML file (`supportsim proposal template` writes a starting one).
    #[arg(long)]
    pub proposal: PathBuf,
    /// Paired replications of the horizon (1 to 200); every proposal on a case gets the same futures.
    #[arg(long, default_value_t = 20)]
    pub replications: u32,
    /// Print one JSON object instead of a table.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
pub enum ProposalCommand {
    /// Write a commented starting proposal for a case (valid as it stands).
    Template {
        /// The case folder (or its candidate/ folder).
        #[arg(long)]
        case: PathBuf,
        /// Where to write it [default: proposal.toml].
        #[arg(long, default_value = "proposal.toml")]
        out: PathBuf,
        /// Replace an existing file.
        #[arg(long)]
        force: bool,
    },
    /// Check a proposal against the catalog and the case, and summarise it.
    Check {
        /// The case folder (or its candidate/ folder).
        #[arg(long)]
        case: PathBuf,
        /// The proposal TOML file.
        file: PathBuf,
    },
}

#[derive(Debug, clap::Args)]
pub struct QuizArgs {
    /// The case folder (or its candidate/ folder).
    #[arg(long)]
    pub case: PathBuf,
    /// Number of questions (1 to 40); 12 or more cover every KPI family and every trap.
    #[arg(long, default_value_t = 12)]
    pub count: usize,
    /// Quiz seed: with the case, it decides which questions are asked (the same seed gives the same quiz).
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Replace a quiz already written on this case.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// The case folder (or its candidate/ folder), with a quiz written by `supportsim quiz`.
    #[arg(long)]
    pub case: PathBuf,
    /// The answers: TOML (`[answers]` then `q1 = 0.845`) or CSV (header `id,value`).
    #[arg(long)]
    pub answers: PathBuf,
    /// Print one JSON object instead of a table.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, clap::Args)]
pub struct MetricsArgs {
    /// The case folder (or its candidate/ folder).
    #[arg(long)]
    pub case: PathBuf,
    /// Cut by any of channel, category, segment, priority, team, day, week (ISO, from Monday),
    /// month (calendar), weekday, hour, agent (the assignee); comma-separated, e.g. channel,week.
    #[arg(long)]
    pub by: Option<String>,
    /// Keep only rows with these values, e.g. channel=chat,weekday=Sat.
    #[arg(long = "where", value_name = "CUT=VALUE,...")]
    pub filter: Option<String>,
    /// A month (2026-02), an ISO week (2026-W07), a day (2026-02-16) or a range
    /// (2026-02-01..2026-03-15, both ends included) [default: the whole history].
    #[arg(long)]
    pub period: Option<String>,
    /// KPIs to show, comma-separated (default: every KPI the cuts allow); `--kpi list` lists them.
    #[arg(long)]
    pub kpi: Option<String>,
    /// Print one JSON object instead of a table.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, clap::Args)]
pub struct GenerateArgs {
    /// A built-in scenario name (see `supportsim scenario list`) or a path to a scenario TOML file.
    #[arg(long, default_value = "saas")]
    pub scenario: String,
    /// Master seed: the same scenario, seed and version give byte-identical files.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// A batch of cases, one per seed: a range `1..20` (inclusive) or a list `1,4,9`. Each case goes to
    /// `<out>/case-<scenario>-<seed>`, with --out the parent folder [default: out].
    #[arg(long, conflicts_with = "seed")]
    pub seeds: Option<String>,
    /// Output folder [default: out/case-<scenario>-<seed>].
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Table file format.
    #[arg(long, value_enum, default_value_t = Format::Both)]
    pub format: Format,
    /// Replace a non-empty output folder.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Csv,
    Parquet,
    Both,
}

impl Format {
    pub fn csv(self) -> bool {
        matches!(self, Format::Csv | Format::Both)
    }
    pub fn parquet(self) -> bool {
        matches!(self, Format::Parquet | Format::Both)
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Parquet => "parquet",
            Format::Both => "both",
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum ScenarioCommand {
    /// List the built-in scenarios.
    List,
    /// Print a built-in scenario's TOML.
    Show {
        /// Scenario name.
        name: String,
    },
    /// Check a scenario file and print a summary, or the first problem found.
    Validate {
        /// Path to a scenario TOML file (or a built-in name).
        file: String,
    },
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn clap_definition_is_valid() {
        Cli::command().debug_assert();
    }
}
