//! The default scenario reproduces the operating ranges of domain_facts.md (§1.7, §1.8, §1.10, §6)
//! for several seeds: escalation 10-20%, reopens 3-8%, live abandonment 3-12%, occupancy 75-90% on
//! most shifts, CSAT 78-90% with a 10-30% survey response and J-shaped answers, NPS +20 to +45,
//! monthly churn per segment in B2B SaaS ranges.

use crate::common;
use supportsim::analysis;
use supportsim::kpi::{Cut, Kpi, Selection};

#[test]
fn saas_operates_in_the_benchmark_ranges() {
    let l = common::built_in("saas");
    let cfg = &l.config;
    for seed in 1..=3 {
        let sim = common::simulate(&l, seed);
        let report = analysis::calibration_report(&sim, cfg);
        let t = &sim.tickets;
        let case = common::case_of(&sim, cfg);
        let whole = |k: Kpi| common::kpi(&case, k, None, &[]).value.expect("a value");
        let esc = whole(Kpi::EscalationRate);
        let reopen = whole(Kpi::ReopenRate);
        let live = whole(Kpi::AbandonmentRate);
        assert!((0.10..=0.20).contains(&esc), "seed {seed}: escalation {esc}\n{report}");
        assert!(
            (0.03..=0.08).contains(&reopen),
            "seed {seed}: reopen {reopen}\n{report}"
        );
        assert!(
            (0.03..=0.12).contains(&live),
            "seed {seed}: live abandonment {live}\n{report}"
        );
        let occupancy = analysis::shift_occupancy(&sim, cfg);
        let in_range = occupancy.iter().filter(|(_, _, o)| (0.75..=0.90).contains(o)).count();
        assert!(
            in_range * 4 >= occupancy.len() * 3,
            "seed {seed}: occupancy in 75-90% on {in_range} of {} shifts\n{report}",
            occupancy.len()
        );
        let csat = whole(Kpi::Csat);
        let response = whole(Kpi::CsatResponseRate);
        assert!((0.78..=0.90).contains(&csat), "seed {seed}: CSAT {csat}\n{report}");
        assert!(
            (0.10..=0.30).contains(&response),
            "seed {seed}: CSAT response {response}\n{report}"
        );
        let mut counts = [0usize; 5];
        t.iter()
            .filter_map(|r| r.csat_score)
            .for_each(|c| counts[c as usize - 1] += 1);
        assert!(
            counts[4] > counts[3] && counts[3] > counts[2],
            "seed {seed}: not J-shaped {counts:?}"
        );
        assert!(counts[0] > counts[1], "seed {seed}: 1s should outnumber 2s {counts:?}");
        let (nps, nps_n) = (whole(Kpi::Nps), common::kpi(&case, Kpi::Nps, None, &[]).n);
        assert!(
            nps_n > 1000 && (20.0..=45.0).contains(&nps),
            "seed {seed}: NPS {nps} from {nps_n}\n{report}"
        );
        // Monthly churn over whole calendar months, per segment, in the ranges of B2B SaaS: small
        // businesses 1-4% a month, mid-market 0.5-2%, enterprise 0.2-1.5% (established customers
        // churn at the segment's base; new customers and bad experiences add to it).
        for (si, range) in [(0, 0.01..=0.04), (1, 0.005..=0.02), (2, 0.002..=0.015)] {
            // Calendar months wholly inside the history: churned / active at each month's start.
            let name = cfg.segments[si].name.as_str();
            let sel = Selection {
                filters: vec![(Cut::Segment, name.to_string())],
                ..Selection::default()
            };
            let months = case.compute(&[Cut::Month], &sel, &[Kpi::ChurnRate]).expect("churn");
            let (churned, active) = months[1..months.len() - 1]
                .iter()
                .map(|r| common::hits(r.kpis[&Kpi::ChurnRate]))
                .fold((0, 0), |(a, b), (h, n)| (a + h, b + n));
            let rate = churned as f64 / active as f64;
            assert!(range.contains(&rate), "seed {seed}: {name} churn {rate:.4} a month");
            assert!(
                rate > cfg.segments[si].churn_monthly,
                "seed {seed}: below the established base"
            );
        }
        let per_customer_month = whole(Kpi::ContactsPerCustomer);
        assert!(
            (0.3..=0.8).contains(&per_customer_month),
            "seed {seed}: {per_customer_month} tickets per customer-month"
        );
    }
}
#[test]
fn csat_follows_the_experience() {
    // Same scenario: tickets that needed more, were reopened or escalated are rated worse.
    let l = common::built_in("saas");
    let sim = common::simulate(&l, 5);
    let cfg = &l.config;
    let csat_of = |f: &dyn Fn(&supportsim::record::TicketRecord) -> bool| {
        let v = common::kpi(&common::case_where(&sim, cfg, f), Kpi::Csat, None, &[]);
        (v.value.unwrap_or(f64::NAN), v.n)
    };
    let one_touch = csat_of(&|t| t.agent_replies == 1 && t.reopens == 0 && !t.escalated);
    let reopened = csat_of(&|t| t.reopens > 0);
    let escalated = csat_of(&|t| t.escalated && t.reopens == 0);
    assert!(reopened.1 > 30 && escalated.1 > 100, "{reopened:?} {escalated:?}");
    assert!(
        one_touch.0 > escalated.0 + 0.05,
        "one-touch {one_touch:?} vs escalated {escalated:?}"
    );
    assert!(
        one_touch.0 > reopened.0 + 0.2,
        "one-touch {one_touch:?} vs reopened {reopened:?}"
    );
}
