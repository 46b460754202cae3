//! The usual wrong ways to compute a KPI, computed on purpose: what an analyst gets who takes the
//! mean for the median, counts a CSAT of 3 as satisfied, or divides abandonment by every channel.
//! The quiz plants questions where a slip changes the answer, and `check` names the slip a wrong
//! answer matches. These are deliberately not KPIs: each one is a KPI of [`super`] with one step
//! done wrong, and none is shown as a metric anywhere.

use super::{Case, Kpi, KpiValue, Selection, Unit, selected_rows, table};

/// One wrong way to compute a KPI.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mistake {
    /// The mean of a skewed time where a percentile is asked for.
    MeanForPercentile,
    /// CSAT with 3 counted as satisfied.
    CsatCountsThree,
    /// Surveys sent but never answered counted as responses.
    UnansweredCounted,
    /// Tickets still open at the extract timed to the extract, in a resolution time.
    OpenTicketsIncluded,
    /// NPS as the average score.
    NpsAsAverage,
    /// Abandonment over every channel, not the live ones.
    AbandonmentAllChannels,
    /// Week N from Sunday to Saturday as Excel's WEEKNUM counts them (week 1 holds 1 January)
    /// where the ISO week runs Monday to Sunday.
    SundayWeek,
    /// Week N from Sunday to Saturday as strftime's `%U` counts them (week 1 starts on the year's
    /// first Sunday).
    SundayWeekFromFirstSunday,
    /// SLA attainment leaving out the tickets that never got a reply.
    RepliedOnly,
    /// A rate divided by every ticket instead of the tickets it is defined over.
    EveryTicket,
    /// Staffing cost with each 30-minute schedule interval counted as an hour.
    IntervalsAsHours,
    /// A share written as a percentage.
    Percentage,
    /// The whole history where the question names a period.
    WholeHistory,
    /// Every ticket or customer where the question names a channel, segment or other value.
    Unfiltered,
}

impl Mistake {
    /// Every mistake, traps first: the order `check` prefers when two match.
    pub const ALL: [Mistake; 14] = [
        Mistake::MeanForPercentile,
        Mistake::CsatCountsThree,
        Mistake::UnansweredCounted,
        Mistake::OpenTicketsIncluded,
        Mistake::NpsAsAverage,
        Mistake::AbandonmentAllChannels,
        Mistake::SundayWeek,
        Mistake::SundayWeekFromFirstSunday,
        Mistake::RepliedOnly,
        Mistake::EveryTicket,
        Mistake::IntervalsAsHours,
        Mistake::Percentage,
        Mistake::WholeHistory,
        Mistake::Unfiltered,
    ];

    /// The name JSON carries.
    pub fn name(self) -> &'static str {
        match self {
            Mistake::MeanForPercentile => "mean_for_percentile",
            Mistake::CsatCountsThree => "csat_counts_3",
            Mistake::UnansweredCounted => "unanswered_counted",
            Mistake::OpenTicketsIncluded => "open_tickets_included",
            Mistake::NpsAsAverage => "nps_as_average",
            Mistake::AbandonmentAllChannels => "abandonment_all_channels",
            Mistake::SundayWeek => "sunday_week",
            Mistake::SundayWeekFromFirstSunday => "sunday_week_u",
            Mistake::RepliedOnly => "replied_only",
            Mistake::EveryTicket => "every_ticket",
            Mistake::IntervalsAsHours => "intervals_as_hours",
            Mistake::Percentage => "percentage",
            Mistake::WholeHistory => "whole_history",
            Mistake::Unfiltered => "unfiltered",
        }
    }

    pub fn from_name(name: &str) -> Option<Mistake> {
        Mistake::ALL.into_iter().find(|m| m.name() == name)
    }

    /// What a wrong answer that matches this mistake did, and what the question asks for instead.
    pub fn diagnosis(self, kpi: Kpi) -> String {
        let asked = match kpi {
            Kpi::FirstReplyP90 | Kpi::ResolutionP90 => "the 90th percentile",
            _ => "the median",
        };
        match self {
            Mistake::MeanForPercentile => format!(
                "this is the mean; the question asks for {asked} (a few very long tickets pull the mean far above it)"
            ),
            Mistake::CsatCountsThree => "this counts 3 as satisfied; CSAT counts only 4 and 5".into(),
            Mistake::UnansweredCounted => match kpi {
                Kpi::NpsResponses => {
                    "this counts every invitation sent; an invitation without a score is not a response".into()
                }
                Kpi::CsatResponses => {
                    "this counts every survey sent; a survey without a csat_score is not a response".into()
                }
                _ => "this counts unanswered surveys as unsatisfied answers; CSAT is over answered surveys only".into(),
            },
            Mistake::OpenTicketsIncluded => {
                "this includes tickets still open at the extract, timed to the extract; resolution time is over solved tickets only".into()
            }
            Mistake::NpsAsAverage => {
                "this is the average score; NPS is % promoters (9-10) minus % detractors (0-6), in points".into()
            }
            Mistake::AbandonmentAllChannels => {
                "this divides by tickets on every channel; abandonment is over live channels only (an email cannot be abandoned)".into()
            }
            Mistake::SundayWeek => {
                "this is the week from Sunday to Saturday as Excel's WEEKNUM numbers them; weeks are ISO weeks, Monday to Sunday (ISOWEEKNUM, pandas' isocalendar)".into()
            }
            Mistake::SundayWeekFromFirstSunday => {
                "this is the week from Sunday to Saturday as strftime's %U numbers them; weeks are ISO weeks, Monday to Sunday (%V, pandas' isocalendar)".into()
            }
            Mistake::RepliedOnly => {
                "this leaves out tickets that never got a reply; a ticket with no reply by its target breached it".into()
            }
            Mistake::EveryTicket => format!(
                "this divides by every ticket; the rate is over {}",
                kpi.n_counts()
            ),
            Mistake::IntervalsAsHours => {
                "this counts each schedule interval as an hour; intervals are 30 minutes".into()
            }
            Mistake::Percentage => "this is a percentage; answer as a fraction between 0 and 1".into(),
            Mistake::WholeHistory => "this is the value over the whole history; the question asks about one period".into(),
            Mistake::Unfiltered => {
                "this is the value for everyone; the question asks about one channel, segment or other group".into()
            }
        }
    }

    /// The value this mistake gives for `kpi` over `selection`, None when it does not apply (or
    /// gives nothing).
    pub fn value(self, case: &Case, kpi: Kpi, selection: &Selection) -> Option<f64> {
        let engine = |k: Kpi, s: &Selection| case.value(k, s).ok().and_then(|v: KpiValue| v.value);
        match self {
            Mistake::MeanForPercentile => match kpi {
                Kpi::FirstReplyP50 | Kpi::FirstReplyP90 => engine(Kpi::FirstReplyMean, selection),
                Kpi::ResolutionP50 | Kpi::ResolutionP90 => engine(Kpi::ResolutionMean, selection),
                _ => None,
            },
            Mistake::CsatCountsThree => (kpi == Kpi::Csat).then(|| tickets_share(case, selection, Slip::CsatThree))?,
            Mistake::UnansweredCounted => match kpi {
                Kpi::NpsResponses => Some(case.nps.invitations(selection) as f64),
                Kpi::CsatResponses => Some(tickets_where(case, selection, |t, i| t.surveyed[i]) as f64),
                Kpi::Csat => tickets_share(case, selection, Slip::CsatOverSurveyed),
                _ => None,
            },
            Mistake::OpenTicketsIncluded => open_included(case, kpi, selection),
            Mistake::NpsAsAverage => {
                let scores = case.nps.scores(selection);
                (kpi == Kpi::Nps && !scores.is_empty())
                    .then(|| scores.iter().map(|&s| f64::from(s)).sum::<f64>() / scores.len() as f64)
            }
            Mistake::AbandonmentAllChannels => {
                (kpi == Kpi::AbandonmentRate).then(|| tickets_share(case, selection, Slip::AbandonedOfAll))?
            }
            Mistake::SundayWeek | Mistake::SundayWeekFromFirstSunday => sunday_week(case, kpi, selection, self),
            Mistake::RepliedOnly => {
                (kpi == Kpi::SlaAttainment).then(|| tickets_share(case, selection, Slip::SlaReplied))?
            }
            Mistake::EveryTicket => {
                let slip = match kpi {
                    Kpi::OneTouch => Slip::OneTouchOfAll,
                    Kpi::ReopenRate => Slip::ReopenedOfAll,
                    Kpi::EscalationRate => Slip::EscalatedOfAll,
                    Kpi::CsatResponseRate => Slip::AnsweredOfAll,
                    _ => return None,
                };
                tickets_share(case, selection, slip)
            }
            Mistake::IntervalsAsHours => (kpi == Kpi::CostUsd).then(|| engine(kpi, selection).map(|v| 2.0 * v))?,
            Mistake::Percentage => (kpi.unit() == Unit::Share).then(|| engine(kpi, selection).map(|v| 100.0 * v))?,
            Mistake::WholeHistory => {
                let whole = Selection {
                    from_day: None,
                    to_day: None,
                    filters: selection.filters.clone(),
                };
                (selection.from_day.is_some() || selection.to_day.is_some()).then(|| engine(kpi, &whole))?
            }
            Mistake::Unfiltered => {
                let all = Selection {
                    filters: Vec::new(),
                    ..selection.clone()
                };
                (!selection.filters.is_empty()).then(|| engine(kpi, &all))?
            }
        }
    }
}

/// A share over the selected tickets computed with one step wrong.
#[derive(Debug, Clone, Copy)]
enum Slip {
    CsatThree,
    CsatOverSurveyed,
    AbandonedOfAll,
    SlaReplied,
    OneTouchOfAll,
    ReopenedOfAll,
    EscalatedOfAll,
    AnsweredOfAll,
}

/// The number of selected tickets `keep` keeps.
fn tickets_where(case: &Case, selection: &Selection, keep: impl Fn(&super::TicketTable, usize) -> bool) -> u64 {
    let t = &case.tickets;
    selected_rows(t, selection).into_iter().filter(|&i| keep(t, i)).count() as u64
}

/// The share `slip` computes over the selected tickets (None when it divides by nothing).
fn tickets_share(case: &Case, selection: &Selection, slip: Slip) -> Option<f64> {
    let t = &case.tickets;
    let (mut hits, mut n) = (0u64, 0u64);
    for i in selected_rows(t, selection) {
        let (counts, hit) = match slip {
            Slip::CsatThree => (t.csat_score[i].is_some(), t.csat_score[i] >= Some(3)),
            Slip::CsatOverSurveyed => (t.surveyed[i], t.csat_score[i] >= Some(4)),
            Slip::AbandonedOfAll => (true, t.abandoned[i]),
            Slip::SlaReplied => (
                t.sla_breached[i].is_some() && t.first_reply_minutes[i].is_some(),
                t.sla_breached[i] == Some(false),
            ),
            Slip::OneTouchOfAll => (true, t.solved[i] && t.agent_replies[i] < 2),
            Slip::ReopenedOfAll => (true, t.reopens[i] > 0),
            Slip::EscalatedOfAll => (true, t.escalated[i]),
            Slip::AnsweredOfAll => (true, t.csat_score[i].is_some()),
        };
        n += u64::from(counts);
        hits += u64::from(counts && hit);
    }
    (n > 0).then(|| hits as f64 / n as f64)
}

/// A resolution KPI with the tickets still open at the end of the history timed to it.
fn open_included(case: &Case, kpi: Kpi, selection: &Selection) -> Option<f64> {
    let p = match kpi {
        Kpi::ResolutionP50 => Some(0.5),
        Kpi::ResolutionP90 => Some(0.9),
        Kpi::ResolutionMean => None,
        _ => return None,
    };
    let t = &case.tickets;
    let extract_ms = table::day_ms(case.last_day + 1);
    let mut minutes: Vec<f64> = Vec::new();
    for i in selected_rows(t, selection) {
        if t.solved[i] {
            minutes.extend(t.resolution_minutes[i]);
        } else if !t.abandoned[i] {
            minutes.push((extract_ms - t.created_ms[i]) as f64 / 60_000.0);
        }
    }
    super::stat(minutes, p).value
}

/// The KPI over the Sunday-to-Saturday week that carries the ISO week's number in `how`'s count,
/// when the selection is one ISO week and that week lies in the history.
fn sunday_week(case: &Case, kpi: Kpi, selection: &Selection, how: Mistake) -> Option<f64> {
    use chrono::Datelike;
    let (from, to) = (selection.from_day?, selection.to_day?);
    let monday = table::date_of(from);
    if to - from != 6 || monday.weekday() != chrono::Weekday::Mon {
        return None;
    }
    let iso = monday.iso_week();
    let jan1 = chrono::NaiveDate::from_ymd_opt(iso.year(), 1, 1)?;
    let jan1_day = super::epoch_day(jan1);
    let from_sunday = jan1.weekday().num_days_from_sunday() as i32;
    let week1 = match how {
        Mistake::SundayWeek => jan1_day - from_sunday,
        _ => jan1_day + (7 - from_sunday) % 7,
    };
    let start = week1 + 7 * (iso.week() as i32 - 1);
    if start == from || start < case.first_day || start + 6 > case.last_day {
        return None;
    }
    let shifted = Selection {
        from_day: Some(start),
        to_day: Some(start + 6),
        filters: selection.filters.clone(),
    };
    case.value(kpi, &shifted).ok().and_then(|v| v.value)
}
