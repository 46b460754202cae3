//! Agreement with queueing theory on stationary one-channel scenarios: Erlang C (M/M/c, no
//! abandonment) and Erlang A (M/M/c+M, exponential patience), including the queue length integrated
//! from the event log.
//! Reference values are computed here from the formulas in domain_facts.md §3.
//!
//! Tolerances (stated, fixed seeds): probabilities within 0.02 absolute, mean waits within 8%
//! relative (10% at utilisation 0.95, where waits are most variable). With about 1 million
//! customers per run, the batch-means standard errors are roughly a quarter of these tolerances.

use crate::common;
use supportsim::record::{EventKind, SimOutput, Status};

const AGENTS: u32 = 10;
const AHT_MINUTES: f64 = 5.0;

/// A one-channel scenario open 24/7 with flat profiles, `AGENTS` agents always on duty (no
/// shrinkage, leave or turnover), no pickup time, exponential handle time, one touch, no escalation
/// or reopen; `lambda_per_hour` arrivals.
fn stationary(lambda_per_hour: f64, patience_minutes: Option<f64>, days: u32) -> String {
    let customers = 100_000.0;
    let contacts_per_month = lambda_per_hour * 24.0 * 365.25 / 12.0 / customers;
    let patience = match patience_minutes {
        // Erlang A has no retrials: customers who abandon do not come back.
        Some(m) => {
            format!("patience = {{ distribution = \"exponential\", mean_minutes = {m} }}\nabandon_retry_rate = 0.0")
        }
        None => String::new(),
    };
    let always_on_duty = common::ALWAYS_ON_DUTY;
    format!(
        r#"
[case]
company = "Queue Test"
industry = "test"
context = "stationary M/M/c"
start_date = "2026-01-05"
history_days = {days}
horizon_days = 0
warmup_days = 2
budget_usd = 0.0

[customers]
count = 100000
growth_per_month = 0.0
regions = [{{ name = "all", share = 1.0 }}]
segments = [{{ name = "all", share = 1.0, mrr_usd = 100.0, contacts_per_month = {contacts_per_month}, churn_monthly = 0.0 }}]

[arrivals]
hour_profile = [1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1]
weekday_profile = [1,1,1,1,1,1,1]
daily_cv = 0.0

[[channels]]
name = "phone"
kind = "live"
share = 1.0
first_reply_target_minutes = 0.5
pickup_time = {{ distribution = "fixed", mean_minutes = 0 }}
{patience}

[[categories]]
name = "question"
share = 1.0
handle_time = {{ distribution = "exponential", mean_minutes = {AHT_MINUTES} }}
touches_mean = 1.0
customer_reply_delay = {{ distribution = "exponential", mean_minutes = 60.0 }}
escalation_rate = 0.0
reopen_rate = 0.0
priority_mix = {{ normal = 1.0 }}

[[teams]]
name = "agents"
tier = 1
channels = ["phone"]
hourly_cost_usd = 40.0
quality_sd = 0.0
new_hire_ramp_days = 0
# Every agent on duty all the time: no shrinkage, leave or turnover.
{always_on_duty}

[[teams.shifts]]
name = "always"
days = "daily"
hours = "00:00-24:00"
agents = {AGENTS}

[workflow]
reopen_delay = {{ distribution = "exponential", mean_minutes = 60.0 }}
"#
    )
}

/// Erlang B by the stable recursion.
fn erlang_b(n: u32, a: f64) -> f64 {
    (1..=n).fold(1.0, |b, k| a * b / (f64::from(k) + a * b))
}

/// Erlang C probability of waiting.
fn erlang_c(n: u32, a: f64) -> f64 {
    let b = erlang_b(n, a);
    f64::from(n) * b / (f64::from(n) - a * (1.0 - b))
}

/// Erlang A (Mandelbaum & Zeltyn): (P(wait), P(abandon)) for n agents, arrival rate lambda, service
/// rate mu, abandonment rate theta (all per the same time unit).
fn erlang_a(n: u32, lambda: f64, mu: f64, theta: f64) -> (f64, f64) {
    let a = lambda / mu;
    let x = f64::from(n) * mu / theta;
    let y = lambda / theta;
    let mut big_a = 1.0;
    let mut term = 1.0;
    for k in 1..100_000 {
        term *= y / (x + f64::from(k));
        big_a += term;
        if term < 1e-15 {
            break;
        }
    }
    let eb = erlang_b(n, a);
    let pi_n = eb / (1.0 + (big_a - 1.0) * eb);
    let p_wait = big_a * pi_n;
    let rho = a / f64::from(n);
    let p_ab_given_wait = 1.0 / (rho * big_a) + 1.0 - 1.0 / rho;
    (p_wait, p_ab_given_wait * p_wait)
}

struct Observed {
    p_wait: f64,
    asa_secs: f64,
    sl20: f64,
    sl60: f64,
    p_abandon: f64,
    n: usize,
}

fn observe(sim: &SimOutput) -> Observed {
    let done: Vec<_> = sim.tickets.iter().filter(|t| t.status != Status::Open).collect();
    let n = done.len() as f64;
    let answered: Vec<_> = done.iter().filter(|t| t.status == Status::Solved).collect();
    Observed {
        p_wait: done.iter().filter(|t| t.queue_wait_secs > 0).count() as f64 / n,
        asa_secs: answered.iter().map(|t| t.queue_wait_secs as f64).sum::<f64>() / answered.len() as f64,
        sl20: answered.iter().filter(|t| t.queue_wait_secs <= 20).count() as f64 / n,
        sl60: answered.iter().filter(|t| t.queue_wait_secs <= 60).count() as f64 / n,
        p_abandon: done.iter().filter(|t| t.status == Status::Abandoned).count() as f64 / n,
        n: done.len(),
    }
}

fn close(what: &str, observed: f64, expected: f64, tolerance: f64) {
    assert!(
        (observed - expected).abs() <= tolerance,
        "{what}: simulated {observed:.4}, theory {expected:.4}, tolerance {tolerance}"
    );
}

#[test]
fn erlang_c_at_utilisation_0_70_0_85_and_0_95() {
    for (rho, days, asa_tol) in [(0.70, 300, 0.08), (0.85, 300, 0.08), (0.95, 400, 0.10)] {
        let a = rho * f64::from(AGENTS);
        let lambda = a / AHT_MINUTES * 60.0;
        let l = common::parse(&stationary(lambda, None, days));
        let sim = common::simulate(&l, 42);
        let o = observe(&sim);
        assert!(o.n > 500_000, "only {} customers", o.n);
        let c = erlang_c(AGENTS, a);
        let aht = AHT_MINUTES * 60.0;
        let asa = c * aht / (f64::from(AGENTS) - a);
        let sl = |t: f64| 1.0 - c * (-(f64::from(AGENTS) - a) * t / aht).exp();
        println!(
            "rho {rho}: P(wait) {:.4}/{c:.4} ASA {:.1}/{asa:.1}s SL20 {:.4}/{:.4} SL60 {:.4}/{:.4}",
            o.p_wait,
            o.asa_secs,
            o.sl20,
            sl(20.0),
            o.sl60,
            sl(60.0)
        );
        close(&format!("rho {rho} P(wait)"), o.p_wait, c, 0.02);
        close(&format!("rho {rho} ASA / theory"), o.asa_secs / asa, 1.0, asa_tol);
        close(&format!("rho {rho} SL 20 s"), o.sl20, sl(20.0), 0.02);
        close(&format!("rho {rho} SL 60 s"), o.sl60, sl(60.0), 0.02);
        assert_eq!(o.p_abandon, 0.0, "nobody abandons without patience");
    }
}

#[test]
fn erlang_a_with_exponential_patience() {
    // Utilisation 0.95 and an overloaded 1.1 (stable only because customers abandon).
    let patience_minutes = 3.0;
    for rho in [0.95, 1.1] {
        let lambda = rho * f64::from(AGENTS) / AHT_MINUTES * 60.0;
        let l = common::parse(&stationary(lambda, Some(patience_minutes), 300));
        let sim = common::simulate(&l, 7);
        let o = observe(&sim);
        let (p_wait, p_ab) = erlang_a(AGENTS, lambda, 60.0 / AHT_MINUTES, 60.0 / patience_minutes);
        println!(
            "Erlang A rho {rho}: P(wait) {:.4}/{p_wait:.4} P(ab) {:.4}/{p_ab:.4}",
            o.p_wait, o.p_abandon
        );
        close(&format!("rho {rho} P(wait)"), o.p_wait, p_wait, 0.02);
        close(&format!("rho {rho} P(abandon)"), o.p_abandon, p_ab, 0.01);
    }
}

#[test]
fn erlang_a_formula_matches_the_worked_example() {
    // domain_facts.md: 300 calls/h, AHT 6 min, patience 120 s, 30 agents: P(wait) 0.40, P(ab) 9.2%.
    let (p_wait, p_ab) = erlang_a(30, 300.0, 10.0, 30.0);
    assert!(
        (p_wait - 0.40).abs() < 0.01 && (p_ab - 0.092).abs() < 0.002,
        "{p_wait} {p_ab}"
    );
    // Erlang C, 33 agents at 30 Erlangs: P(wait) 0.49.
    assert!((erlang_c(33, 30.0) - 0.49).abs() < 0.01);
}

/// The time-average number of callers waiting, integrated from the event log's queued ->
/// assigned/abandoned events, against Erlang A's Lq = lambda * P(abandon) / theta (every waiting
/// caller abandons at rate theta, so abandonments per unit time are theta * Lq). The log and the
/// queueing both have to be right for the two to agree.
#[test]
fn the_queue_length_on_the_event_log_matches_erlang_a() {
    let (lambda_per_hour, patience_minutes) = (110.0, 3.0);
    let l = common::parse(&stationary(lambda_per_hour, Some(patience_minutes), 60));
    let sim = common::simulate(&l, 3);
    let mut deltas: Vec<(u64, i64)> = Vec::new();
    let mut waiting = std::collections::HashSet::new();
    for e in &sim.events {
        match e.kind {
            EventKind::Queued => {
                waiting.insert(e.ticket);
                deltas.push((u64::from(e.at_secs), 1));
            }
            // A ticket leaves the queue when taken or abandoned (later events are not waits).
            EventKind::Assigned | EventKind::Abandoned if waiting.remove(&e.ticket) => {
                deltas.push((u64::from(e.at_secs), -1));
            }
            _ => {}
        }
    }
    let end = sim.history_secs;
    deltas.extend(waiting.iter().map(|_| (end, -1)));
    deltas.sort_by_key(|&(t, d)| (t, -d));
    let (mut area, mut level, mut last) = (0.0, 0i64, 0u64);
    for (t, d) in deltas {
        area += level as f64 * (t - last) as f64;
        level += d;
        last = t;
    }
    let lq = area / end as f64;
    let (lambda, mu, theta) = (lambda_per_hour / 60.0, 1.0 / AHT_MINUTES, 1.0 / patience_minutes);
    let (_, p_abandon) = erlang_a(AGENTS, lambda, mu, theta);
    let expected = lambda * p_abandon / theta;
    println!("Lq: log {lq:.4} vs Erlang A {expected:.4}");
    assert!(lq > 0.3, "the test needs a queue, Lq = {lq}");
    close("Lq / Erlang A", lq / expected, 1.0, 0.08);
}
