//! Runs a parsed command line: turns flags into validated inputs, runs the work, reports. The only
//! place that prints (besides `main` printing the final error).

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::cli::{
    CheckArgs, Cli, Command, GenerateArgs, MetricsArgs, ProposalCommand, QuizArgs, ScenarioCommand, ScoreArgs,
    SolveArgs,
};
use crate::error::AppError;
use crate::output::{self, case_dir::Staging};
use crate::record::{SimOutput, Status};
use crate::scenarios;
use crate::score::usd;

/// Runs one command.
pub fn run(cli: Cli) -> Result<(), AppError> {
    match cli.command {
        Command::Generate(args) => generate(&args, cli.quiet),
        Command::Scenario(cmd) => scenario(cmd),
        Command::Metrics(args) => metrics(&args),
        Command::Quiz(args) => quiz(&args),
        Command::Check(args) => check(&args),
        Command::Interventions { json } => interventions(json),
        Command::Proposal(cmd) => proposal(cmd),
        Command::Score(args) => score(&args, cli.quiet),
        Command::Solve(args) => solve(&args, cli.quiet),
        Command::Chart(args) => chart(&args),
        Command::Report(args) => report(&args),
    }
}

fn progress_bar(quiet: bool, len: u64) -> ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template("{msg:>12} [{bar:30}] {pos}/{len} {elapsed}") {
        bar.set_style(style.progress_chars("=> "));
    }
    bar
}

/// Prints to stdout; a closed pipe (`| head`) is not an error.
fn say(text: &str) -> Result<(), AppError> {
    let mut out = std::io::stdout().lock();
    match writeln!(out, "{text}") {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        r => r.map_err(|e| AppError::Io {
            context: "cannot write to standard output".into(),
            source: e,
        }),
    }
}

/// Parses `--seeds`: `A..B` (inclusive) or `A,B,C`.
pub fn parse_seeds(spec: &str) -> Result<Vec<u64>, AppError> {
    let bad = || AppError::Usage(format!("--seeds must look like 1..20 or 1,4,9, got \"{spec}\""));
    let seeds: Vec<u64> = if let Some((a, b)) = spec.split_once("..") {
        let (a, b): (u64, u64) = (
            a.trim().parse().map_err(|_| bad())?,
            b.trim().parse().map_err(|_| bad())?,
        );
        if a > b || b - a >= 10_000 {
            return Err(bad());
        }
        (a..=b).collect()
    } else {
        spec.split(',')
            .map(|x| x.trim().parse().map_err(|_| bad()))
            .collect::<Result<_, _>>()?
    };
    let mut unique = seeds.clone();
    unique.sort_unstable();
    unique.dedup();
    if seeds.is_empty() || unique.len() != seeds.len() {
        return Err(bad());
    }
    Ok(seeds)
}

fn generate(args: &GenerateArgs, quiet: bool) -> Result<(), AppError> {
    let loaded = scenarios::load(&args.scenario)?;
    let jobs: Vec<(u64, PathBuf)> = match &args.seeds {
        None => {
            let out = args
                .out
                .clone()
                .unwrap_or_else(|| PathBuf::from(format!("out/case-{}-{}", loaded.name, args.seed)));
            vec![(args.seed, out)]
        }
        Some(spec) => {
            let parent = args.out.clone().unwrap_or_else(|| PathBuf::from("out"));
            parse_seeds(spec)?
                .into_iter()
                .map(|s| (s, parent.join(format!("case-{}-{s}", loaded.name))))
                .collect()
        }
    };
    // Refuse any non-empty folder before spending time on simulations.
    let stagings: Vec<Staging> = jobs
        .iter()
        .map(|(_, out)| Staging::prepare(out, args.force))
        .collect::<Result<_, _>>()?;
    // On Ctrl-C, remove the half-written staging folders; output folders are untouched until each case is done.
    let staging_paths: Vec<PathBuf> = stagings.iter().map(|s| s.path().to_path_buf()).collect();
    let _ = ctrlc::set_handler(move || {
        for p in &staging_paths {
            let _ = std::fs::remove_dir_all(p);
        }
        eprintln!("error: interrupted; unfinished cases were not written");
        std::process::exit(130);
    });
    for ((seed, out), staging) in jobs.into_iter().zip(stagings) {
        generate_one(&loaded, seed, &out, staging, args, quiet)?;
    }
    Ok(())
}

/// Simulates one seed and writes its case through `staging` into `out`.
fn generate_one(
    loaded: &scenarios::Loaded,
    seed: u64,
    out: &std::path::Path,
    staging: Staging,
    args: &GenerateArgs,
    quiet: bool,
) -> Result<(), AppError> {
    // The seed draws the case's hidden issues; the history is simulated with them planted.
    let base = &loaded.config;
    let drawn = base.draw_issues(seed);
    let cfg = base.with_issues(drawn.clone());
    let bar = progress_bar(quiet, u64::from(cfg.history_days));
    bar.set_message("simulating");
    // The answer key's counterfactuals (the history without each issue in turn) run alongside the
    // history itself, each on one thread.
    let without = |i: usize| {
        let mut others = drawn.clone();
        others.remove(i);
        crate::sim::simulate(&base.with_issues(others), seed, &mut |_| {})
    };
    let (sim, counterfactuals) = rayon::join(
        || crate::sim::simulate(&cfg, seed, &mut |day| bar.set_position(u64::from(day))),
        || {
            use rayon::prelude::*;
            (0..drawn.len()).into_par_iter().map(without).collect::<Vec<_>>()
        },
    );
    bar.set_message("answer key");
    let key = crate::case::answer_key::build(&cfg, &loaded.name, seed, &sim, &counterfactuals);
    drop(counterfactuals);
    let brief = crate::case::brief::brief(&cfg, &sim);
    bar.set_length(output::TABLES.len() as u64);
    bar.set_position(0);
    let summary = summary(&sim);
    let files = output::write_case(
        staging.path(),
        sim,
        loaded,
        &key,
        &brief,
        seed,
        args.format,
        &mut |name| {
            bar.set_message(name.to_string());
            bar.inc(1);
        },
    )?;
    bar.finish_and_clear();
    staging.commit()?;
    say(&format!("wrote {} ({} files): {}", out.display(), files.len(), summary))
}

/// One line about the simulated history, for the person who ran `generate`.
fn summary(sim: &SimOutput) -> String {
    let n = sim.tickets.len();
    let solved = sim.tickets.iter().filter(|t| t.status == Status::Solved).count();
    let open = sim.tickets.iter().filter(|t| t.status == Status::Open).count();
    let abandoned = n - solved - open;
    format!(
        "{n} tickets ({solved} solved, {open} open, {abandoned} abandoned), {} events, {} customers, {} agents",
        sim.events.len(),
        sim.customers.len(),
        sim.agents.len()
    )
}

fn scenario(cmd: ScenarioCommand) -> Result<(), AppError> {
    match cmd {
        ScenarioCommand::List => {
            for (name, _) in scenarios::BUILT_IN {
                let loaded = scenarios::load(name)?;
                let c = &loaded.config;
                say(&format!(
                    "{name:<10} {} — {} ({} days of history)",
                    c.company, c.industry, c.history_days
                ))?;
            }
            Ok(())
        }
        ScenarioCommand::Show { name } => match scenarios::BUILT_IN.iter().find(|(n, _)| *n == name) {
            Some((_, text)) => say(text.trim_end()),
            None => Err(AppError::BadInput {
                file: name.clone(),
                message: format!(
                    "no built-in scenario of that name, got \"{name}\" (built-in: {})",
                    scenarios::BUILT_IN
                        .iter()
                        .map(|(n, _)| *n)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            }),
        },
        ScenarioCommand::Validate { file } => {
            let loaded = scenarios::load(&file)?;
            let c = &loaded.config;
            let agents: u32 = c.teams.iter().flat_map(|t| t.shifts.iter().map(|s| s.agents)).sum();
            say(&format!(
                "{}: valid — {} ({}), {} days of history from {}, {} customers, {} channels, {} categories, {} teams with {} agents",
                loaded.source,
                c.company,
                c.industry,
                c.history_days,
                c.start_date,
                c.customers_initial,
                c.channels.len(),
                c.categories.len(),
                c.teams.len(),
                agents
            ))
        }
    }
}

fn usage(e: crate::kpi::BadSelection) -> AppError {
    AppError::Usage(e.0)
}

/// `--kpi list`: every KPI with its unit and definition.
fn kpi_list() -> String {
    use crate::kpi::Kpi;
    let width = Kpi::ALL.iter().map(|k| k.name().len()).max().unwrap_or(0);
    Kpi::ALL
        .iter()
        .map(|k| format!("{:<width$}  {:<18}  {}", k.name(), k.unit().label(), k.definition()))
        .collect::<Vec<_>>()
        .join("\n")
}

fn metrics(args: &MetricsArgs) -> Result<(), AppError> {
    use crate::kpi::{Case, Kpi, Selection, parse_cuts, parse_kpis, render::Report};
    if args.kpi.as_deref() == Some("list") {
        return say(&kpi_list());
    }
    let by = parse_cuts(args.by.as_deref().unwrap_or("")).map_err(usage)?;
    let named = args.kpi.as_deref().map(parse_kpis).transpose().map_err(usage)?;
    let selection = Selection::parse(args.period.as_deref(), args.filter.as_deref()).map_err(usage)?;
    let open = crate::kpi::open_case(&args.case)?;
    open.case.check_selection(&selection).map_err(usage)?;
    let (kpis, omitted) = match named {
        Some(kpis) => (kpis, Vec::new()),
        None => {
            let (ok, left): (Vec<Kpi>, Vec<Kpi>) = Kpi::ALL
                .into_iter()
                .partition(|k| Case::check_cuts(&by, &selection, &[*k]).is_ok());
            let why =
                |k: Kpi| Case::check_cuts(&by, &selection, &[k]).map_or_else(|e| e.to_string(), |_| String::new());
            (ok, left.into_iter().map(|k| (k, why(k))).collect())
        }
    };
    let rows = open
        .case
        .compute(&by, &selection, &kpis)
        .map_err(|e| AppError::Usage(e.to_string()))?;
    let live: Vec<&str> = open
        .config
        .channels
        .iter()
        .filter(|c| c.live)
        .map(|c| c.name.as_str())
        .collect();
    let report = Report {
        case: case_json(&args.case, &open),
        window: open.case.window(&selection),
        by: &by,
        kpis: &kpis,
        rows: &rows,
        omitted: &omitted,
        notes: vec![
            "resolution KPIs count solved tickets only (tickets still open have no resolution time yet)".into(),
            format!("abandonment_rate counts live channels only: {}", live.join(", ")),
            "`supportsim metrics --kpi list` defines every KPI".into(),
        ],
    };
    if args.json {
        say(&report.json().to_string())
    } else {
        say(report.table().trim_end())
    }
}

/// What a command's JSON says about the case it read.
fn case_json(path: &std::path::Path, open: &crate::kpi::OpenCase) -> serde_json::Value {
    let m = &open.manifest;
    serde_json::json!({
        "path": path.display().to_string(),
        "company": open.config.company,
        "scenario": m.scenario_name,
        "seed": m.seed,
        "supportsim_version": m.supportsim_version,
    })
}

/// Where a case's quiz lives: the candidate's questions, the interviewer's answers (JSON, Markdown).
fn quiz_paths(root: &std::path::Path) -> [PathBuf; 3] {
    let interviewer = root.join("interviewer");
    [
        root.join(output::CANDIDATE_DIR).join("questions.md"),
        interviewer.join("quiz_answers.json"),
        interviewer.join("quiz_answers.md"),
    ]
}

fn quiz(args: &QuizArgs) -> Result<(), AppError> {
    use crate::quiz::{MAX_COUNT, make, render};
    if !(1..=MAX_COUNT).contains(&args.count) {
        return Err(AppError::Usage(format!(
            "--count: between 1 and {MAX_COUNT} questions, got {}",
            args.count
        )));
    }
    let open = crate::kpi::open_case(&args.case)?;
    let paths = quiz_paths(&open.root);
    if !args.force
        && let Some(p) = paths.iter().find(|p| p.exists())
    {
        return Err(AppError::Usage(format!(
            "{}: a quiz is already written on this case; use --force to replace it",
            p.display()
        )));
    }
    let m = &open.manifest;
    let quiz = make(
        &open.case,
        &open.config.company,
        &m.scenario_name,
        m.seed,
        args.seed,
        args.count,
    );
    if quiz.questions.is_empty() {
        return Err(AppError::Output(format!(
            "{}: the data holds too little for any question",
            open.root.display()
        )));
    }
    let json = serde_json::to_string_pretty(&quiz).map_err(|e| AppError::Output(format!("quiz: {e}")))? + "\n";
    let texts = [render::questions_md(&quiz), json, render::answers_md(&quiz)];
    for (path, text) in paths.iter().zip(&texts) {
        output::write_atomic(path, text)?;
    }
    say(&format!(
        "wrote {} questions to {}; answers in {}",
        quiz.questions.len(),
        paths[0].display(),
        paths[2].display()
    ))
}

/// Reads a case's quiz and checks that the case's data still gives its answers.
fn read_quiz(open: &crate::kpi::OpenCase) -> Result<crate::quiz::Quiz, AppError> {
    let path = &quiz_paths(&open.root)[1];
    let bad = |message: String| AppError::BadInput {
        file: path.display().to_string(),
        message,
    };
    let text = match std::fs::read_to_string(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(bad(
                "is missing; write a quiz first with `supportsim quiz --case DIR`".into()
            ));
        }
        r => r.map_err(|e| bad(format!("cannot read: {e}")))?,
    };
    let quiz: crate::quiz::Quiz =
        serde_json::from_str(&text).map_err(|e| bad(format!("is not a quiz written by `supportsim quiz`: {e}")))?;
    for q in &quiz.questions {
        let now = crate::quiz::recompute(&open.case, q).map_err(bad)?;
        let v = now.value.value.unwrap_or(f64::NAN);
        if v.is_nan() || (v - q.value).abs() > 1e-9 * q.value.abs().max(1.0) {
            return Err(bad(format!(
                "{}: the data gives {v} where the quiz says {}; the tables changed after the quiz was written (write it again with --force)",
                q.id, q.value
            )));
        }
    }
    Ok(quiz)
}

fn check(args: &CheckArgs) -> Result<(), AppError> {
    use crate::quiz::{answers, grade, render};
    let open = crate::kpi::open_case(&args.case)?;
    let quiz = read_quiz(&open)?;
    let file = args.answers.display().to_string();
    let bad = |message: String| AppError::BadInput {
        file: file.clone(),
        message,
    };
    let bytes = std::fs::read(&args.answers).map_err(|e| bad(format!("cannot read: {e}")))?;
    let ids: Vec<String> = quiz.questions.iter().map(|q| q.id.clone()).collect();
    let given = answers::parse(&file, &bytes, &ids).map_err(|e| bad(e.0))?;
    let graded: Vec<render::Graded> = quiz
        .questions
        .iter()
        .map(|q| {
            let answer = given.iter().find(|(id, _)| *id == q.id).map(|(_, x)| *x);
            render::Graded {
                question: q,
                answer,
                verdict: grade(q, answer),
            }
        })
        .collect();
    if args.json {
        say(&render::check_json(case_json(&args.case, &open), &file, &graded).to_string())
    } else {
        say(render::check_table(&graded).trim_end())
    }
}

fn interventions(json: bool) -> Result<(), AppError> {
    use crate::interventions::{catalog_json, catalog_text};
    if json {
        say(&catalog_json().to_string())
    } else {
        say(catalog_text().trim_end())
    }
}

/// Reads and validates the proposal at `file` for the case `open`.
pub fn read_proposal(
    file: &std::path::Path,
    open: &crate::kpi::OpenCase,
) -> Result<crate::interventions::proposal::Proposal, AppError> {
    let bad = |message: String| AppError::BadInput {
        file: file.display().to_string(),
        message,
    };
    let bytes = std::fs::read(file).map_err(|e| bad(format!("cannot read: {e}")))?;
    crate::interventions::proposal::parse(&bytes, &open.config, &open.case).map_err(|e| bad(e.0))
}

fn proposal(cmd: ProposalCommand) -> Result<(), AppError> {
    match cmd {
        ProposalCommand::Template { case, out, force } => {
            let open = crate::kpi::open_case(&case)?;
            if out.exists() && !force {
                return Err(AppError::Usage(format!(
                    "{}: exists; use --force to replace it or choose another --out",
                    out.display()
                )));
            }
            output::write_atomic(&out, &crate::interventions::template(&open.config))?;
            say(&format!("wrote {}", out.display()))
        }
        ProposalCommand::Check { case, file } => {
            let open = crate::kpi::open_case(&case)?;
            let p = read_proposal(&file, &open)?;
            // Planned as `score` would plan it, so a change the operation cannot carry out (a cut
            // on hours no shift works) is named here rather than only when scoring.
            plan_proposal(&open, &p, &file)?;
            let kinds: Vec<String> = p
                .changes
                .iter()
                .map(|c| format!("{} (from day {})", c.kind.name, c.start_day))
                .collect();
            say(&format!(
                "{}: valid: {} change(s){}{}, {} success metric(s), {} finding(s)",
                file.display(),
                p.changes.len(),
                if kinds.is_empty() { "" } else { ": " },
                kinds.join(", "),
                p.metrics.len(),
                p.findings.len()
            ))
        }
    }
}

/// A case's operation and a proposal's plan for it.
struct Planned {
    /// The case's scenario with the hidden issues its seed planted.
    cfg: crate::config::Config,
    /// `cfg` run on over the horizon, as the status quo.
    h: crate::config::Config,
    /// `h` with the proposal's changes.
    with: crate::config::Config,
}

/// Plans proposal `p` (read from `file`) on the operation of case `open`; a change the operation
/// cannot carry out is an error naming the file.
fn plan_proposal(
    open: &crate::kpi::OpenCase,
    p: &crate::interventions::proposal::Proposal,
    file: &std::path::Path,
) -> Result<Planned, AppError> {
    let seed = open.manifest.seed;
    let cfg = open.config.with_issues(open.config.draw_issues(seed));
    let h = crate::whatif::horizon(&cfg);
    let with = crate::whatif::plan(p, &h, cfg.history_days, seed).map_err(|e| AppError::BadInput {
        file: file.display().to_string(),
        message: e.to_string(),
    })?;
    Ok(Planned { cfg, h, with })
}

fn score(args: &ScoreArgs, quiet: bool) -> Result<(), AppError> {
    if !(1..=200).contains(&args.replications) {
        return Err(AppError::Usage(format!(
            "--replications: from 1 to 200, got {}",
            args.replications
        )));
    }
    let open = crate::kpi::open_case(&args.case)?;
    let p = read_proposal(&args.proposal, &open)?;
    let seed = open.manifest.seed;
    let Planned { cfg, h, with } = plan_proposal(&open, &p, &args.proposal)?;
    // The reference plan: cached by `solve` in the interviewer folder, searched for when absent.
    let spin = spinner(quiet);
    let show = |m: &str| spin.set_message(m.to_string());
    let reference = crate::reference::for_score(&open, &cfg, args.replications, &show)?;
    spin.finish_and_clear();
    let bar = progress_bar(quiet, u64::from(args.replications));
    bar.set_message("replications");
    let runs = crate::score::replicate(&h, &with, &p, seed, cfg.history_days, args.replications, &|| bar.inc(1));
    bar.finish_and_clear();
    let s = crate::score::score(&p, &cfg, &runs);
    let g = crate::score::grade::grade(&crate::score::grade::Inputs {
        proposal: &p,
        cfg: &cfg,
        case: &open.case,
        score: &s,
        reference_values_usd: &reference.values_usd,
        issue_harm_usd: &reference.issue_harm_usd,
    });
    use crate::score::debrief;
    if args.json {
        let mut out = s.json(case_json(&args.case, &open), &p);
        debrief::add_to_json(&mut out, &g, &reference.proposal, &cfg);
        if let serde_json::Value::Object(map) = &mut out {
            let text = debrief::debrief_text(&g, &s, &p, &reference.proposal, &cfg);
            map.insert("debrief".into(), serde_json::json!(text.trim_end()));
        }
        say(&out.to_string())
    } else {
        say(&format!(
            "{}\n{}\n\n{}",
            debrief::grade_text(&g),
            s.table().trim_end(),
            debrief::debrief_text(&g, &s, &p, &reference.proposal, &cfg).trim_end()
        ))
    }
}

/// A spinner on a terminal that shows each step's line.
fn spinner(quiet: bool) -> ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new_spinner();
    bar.enable_steady_tick(std::time::Duration::from_millis(200));
    bar
}

fn solve(args: &SolveArgs, quiet: bool) -> Result<(), AppError> {
    if !(1..=200).contains(&args.replications) {
        return Err(AppError::Usage(format!(
            "--replications: from 1 to 200, got {}",
            args.replications
        )));
    }
    if let Some(b) = args.budget
        && !(b.is_finite() && b >= 0.0)
    {
        return Err(AppError::Usage(format!(
            "--budget: a non-negative number of USD, got {b}"
        )));
    }
    if let Some(out) = &args.out
        && out.exists()
        && !args.force
    {
        return Err(AppError::Usage(format!(
            "{}: exists; use --force to replace it or choose another --out",
            out.display()
        )));
    }
    let open = crate::kpi::open_case(&args.case)?;
    let cfg = open.config.with_issues(open.config.draw_issues(open.manifest.seed));
    let budget = args.budget.unwrap_or(cfg.budget_usd);
    let bar = spinner(quiet);
    let show = |m: &str| bar.set_message(m.to_string());
    let r = crate::reference::solve(&open, &cfg, budget, args.replications, budget == cfg.budget_usd, &show)?;
    bar.finish_and_clear();
    if let Some(out) = &args.out {
        output::write_atomic(out, &r.text)?;
    }
    let v = crate::score::estimate(&r.values_usd);
    let value = v.map_or("-".into(), |e| match e.ci95 {
        Some((lo, hi)) => format!("{} [95% CI {} to {}]", usd(e.mean), usd(lo), usd(hi)),
        None => usd(e.mean),
    });
    let kinds: Vec<&str> = r.proposal.changes.iter().map(|c| c.kind.name).collect();
    let kept = if budget == cfg.budget_usd {
        format!("; kept as {}", open.root.join("interviewer/reference.toml").display())
    } else {
        String::new()
    };
    say(&format!(
        "reference plan: {} change(s) ({}), cost {} of {}, value {value} over {} replications{kept}{}",
        kinds.len(),
        kinds.join(", "),
        usd(r.cost_usd),
        usd(budget),
        r.values_usd.len(),
        args.out
            .as_ref()
            .map_or(String::new(), |o| format!("; written to {}", o.display()))
    ))
}

/// Refuses to replace `paths` that exist unless `force`: one line naming the first.
fn refuse_existing(paths: &[std::path::PathBuf], force: bool) -> Result<(), AppError> {
    match paths.iter().find(|p| p.exists()) {
        Some(p) if !force => Err(AppError::Usage(format!(
            "{}: exists; use --force to replace it",
            p.display()
        ))),
        _ => Ok(()),
    }
}

fn chart(args: &crate::cli::ChartArgs) -> Result<(), AppError> {
    use crate::cli::ChartFormat;
    let open = crate::kpi::open_case(&args.case)?;
    let score = args.score.as_deref().map(crate::chart::ScoreView::read).transpose()?;
    let formats = crate::chart::Formats {
        svg: args.format != ChartFormat::Png,
        png: args.format != ChartFormat::Svg,
    };
    let charts = crate::chart::charts(&open.case, score.as_ref(), formats)?;
    let dir = open.root.join("charts");
    let mut files: Vec<(std::path::PathBuf, Vec<u8>)> = Vec::new();
    for c in &charts {
        if let Some(svg) = &c.svg {
            files.push((
                dir.join(format!("{}.svg", c.name)),
                crate::chart::with_font(svg).into_bytes(),
            ));
        }
        if let Some(png) = &c.png {
            files.push((dir.join(format!("{}.png", c.name)), png.clone()));
        }
    }
    refuse_existing(&files.iter().map(|f| f.0.clone()).collect::<Vec<_>>(), args.force)?;
    for (path, bytes) in &files {
        output::write_atomic_bytes(path, bytes)?;
    }
    say(&format!(
        "{} charts ({} files) written to {}",
        charts.len(),
        files.len(),
        dir.display()
    ))
}

fn report(args: &crate::cli::ReportArgs) -> Result<(), AppError> {
    let open = crate::kpi::open_case(&args.case)?;
    let score = args.score.as_deref().map(crate::chart::ScoreView::read).transpose()?;
    let default = if args.answer_key {
        "interviewer/report.html"
    } else {
        "report.html"
    };
    let out = args.out.clone().unwrap_or_else(|| open.root.join(default));
    refuse_existing(std::slice::from_ref(&out), args.force)?;
    let html = crate::report::html(&open, score.as_ref(), args.answer_key)?;
    output::write_atomic(&out, &html)?;
    say(&format!("report written to {}", out.display()))
}
