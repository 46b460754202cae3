//! Durations, weekly windows and the day and hour syntax of scenario files ("Mon-Fri",
//! "08:00-16:30"), validated once so the simulation works in integer seconds and minutes of the week.

use super::{ConfigError, err};
use crate::scenario::DurationSpec;

/// Seconds in a day.
pub const DAY_SECS: u64 = 86_400;

pub const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/// A validated random duration, in seconds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Duration {
    Exponential {
        mean_secs: f64,
    },
    /// ln(seconds) ~ Normal(mu, sigma).
    Lognormal {
        mu: f64,
        sigma: f64,
    },
    Fixed {
        secs: f64,
    },
}

impl Duration {
    /// Mean in seconds.
    pub fn mean_secs(&self) -> f64 {
        match *self {
            Duration::Exponential { mean_secs } => mean_secs,
            Duration::Lognormal { mu, sigma } => (mu + sigma * sigma / 2.0).exp(),
            Duration::Fixed { secs } => secs,
        }
    }

    /// Whether the draw uses a normal variate (lognormal) rather than a uniform.
    pub fn needs_normal(&self) -> bool {
        matches!(self, Duration::Lognormal { .. })
    }

    /// A duration in seconds from a uniform `u` in (0, 1) and a standard normal `z`; only the one the
    /// distribution needs is read.
    #[inline]
    pub fn sample_secs(&self, u: f64, z: f64) -> f64 {
        match *self {
            Duration::Exponential { mean_secs } => -mean_secs * u.ln(),
            Duration::Lognormal { mu, sigma } => (mu + sigma * z).exp(),
            Duration::Fixed { secs } => secs,
        }
    }

    pub(super) fn from_spec(spec: &DurationSpec, field: &str) -> Result<Self, ConfigError> {
        let mean_of = |m: f64| -> Result<f64, ConfigError> {
            if m.is_finite() && m > 0.0 {
                Ok(m * 60.0)
            } else {
                Err(err(format!("{field}.mean_minutes"), format!("must be > 0, got {m}")))
            }
        };
        Ok(match *spec {
            DurationSpec::Exponential { mean_minutes } => Duration::Exponential {
                mean_secs: mean_of(mean_minutes)?,
            },
            DurationSpec::Fixed { mean_minutes } => Duration::Fixed {
                secs: mean_of(mean_minutes)?,
            },
            DurationSpec::Lognormal { mean_minutes, sigma } => {
                let mean = mean_of(mean_minutes)?;
                if !(sigma.is_finite() && sigma > 0.0 && sigma <= 4.0) {
                    return Err(err(format!("{field}.sigma"), format!("must be in (0, 4], got {sigma}")));
                }
                Duration::Lognormal {
                    mu: mean.ln() - sigma * sigma / 2.0,
                    sigma,
                }
            }
        })
    }
}

/// Which days of the week (Monday = 0) and which minutes of the day something is on.
#[derive(Debug, Clone, PartialEq)]
pub struct WeeklyWindow {
    pub days: [bool; 7],
    /// Minute of the day it starts, 0..1440.
    pub start_minute: u32,
    /// Minute it ends, counted from the start day's midnight; > 1440 runs past midnight.
    pub end_minute: u32,
}

impl WeeklyWindow {
    pub fn always() -> Self {
        Self {
            days: [true; 7],
            start_minute: 0,
            end_minute: 1440,
        }
    }

    /// Whether the window covers `minute_of_week` (Monday 00:00 = 0).
    pub fn covers(&self, minute_of_week: u32) -> bool {
        let day = minute_of_week / 1440;
        let minute = minute_of_week % 1440;
        // Today's window, or yesterday's window running past midnight.
        let today = self.days[day as usize] && minute >= self.start_minute && minute < self.end_minute;
        let yesterday = (day + 6) % 7;
        let carry = self.end_minute > 1440 && self.days[yesterday as usize] && minute + 1440 < self.end_minute;
        today || carry
    }
}

fn parse_weekday(s: &str) -> Option<usize> {
    WEEKDAYS.iter().position(|d| d.eq_ignore_ascii_case(s.trim()))
}

/// Parses "Mon-Fri", "Sat-Sun", "Mon,Wed,Fri", "Fri-Mon" (wraps), "daily".
pub fn parse_days(s: &str) -> Option<[bool; 7]> {
    let mut days = [false; 7];
    if s.trim().eq_ignore_ascii_case("daily") {
        return Some([true; 7]);
    }
    for part in s.split(',') {
        match part.split_once('-') {
            Some((a, b)) => {
                let (a, b) = (parse_weekday(a)?, parse_weekday(b)?);
                let mut d = a;
                loop {
                    days[d] = true;
                    if d == b {
                        break;
                    }
                    d = (d + 1) % 7;
                }
            }
            None => days[parse_weekday(part)?] = true,
        }
    }
    Some(days)
}

/// Parses "HH:MM" (00:00 to 24:00) into minutes after midnight.
pub fn parse_clock(s: &str) -> Option<u32> {
    let (h, m) = s.trim().split_once(':')?;
    let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
    if m >= 60 || h > 24 || (h == 24 && m != 0) {
        return None;
    }
    Some(h * 60 + m)
}

/// Parses "08:00-17:30"; an end at or before the start runs past midnight. Returns (start, end) minutes.
pub fn parse_hours(s: &str) -> Option<(u32, u32)> {
    let (a, b) = s.split_once('-')?;
    let (start, end) = (parse_clock(a)?, parse_clock(b)?);
    if start >= 1440 {
        return None;
    }
    let end = if end <= start { end + 1440 } else { end };
    if end - start > 1440 {
        return None;
    }
    Some((start, end))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_parse() {
        assert_eq!(
            parse_days("Mon-Fri"),
            Some([true, true, true, true, true, false, false])
        );
        assert_eq!(
            parse_days("Sat-Sun"),
            Some([false, false, false, false, false, true, true])
        );
        assert_eq!(
            parse_days("Fri-Mon"),
            Some([true, false, false, false, true, true, true])
        );
        assert_eq!(
            parse_days("Mon,wed"),
            Some([true, false, true, false, false, false, false])
        );
        assert_eq!(parse_days("daily"), Some([true; 7]));
        assert_eq!(parse_days("Mon-Funday"), None);
    }

    #[test]
    fn hours_parse() {
        assert_eq!(parse_hours("08:00-16:30"), Some((480, 990)));
        assert_eq!(parse_hours("22:00-06:00"), Some((1320, 1800)));
        assert_eq!(parse_hours("00:00-24:00"), Some((0, 1440)));
        assert_eq!(parse_hours("25:00-26:00"), None);
        assert_eq!(parse_hours("8-16"), None);
    }

    #[test]
    fn window_covers_overnight() {
        let w = WeeklyWindow {
            days: [true, false, false, false, false, false, false],
            start_minute: 1320,
            end_minute: 1800,
        };
        assert!(w.covers(1330)); // Monday 22:10
        assert!(w.covers(1440 + 300)); // Tuesday 05:00, carried from Monday
        assert!(!w.covers(1440 + 400)); // Tuesday 06:40
        assert!(!w.covers(6 * 1440 + 100)); // Sunday 01:40: Sunday's window is off
    }

    #[test]
    fn lognormal_mean_is_the_configured_mean() {
        let d = Duration::from_spec(
            &DurationSpec::Lognormal {
                mean_minutes: 10.0,
                sigma: 0.8,
            },
            "x",
        )
        .unwrap();
        assert!((d.mean_secs() - 600.0).abs() < 1e-9);
    }
}
