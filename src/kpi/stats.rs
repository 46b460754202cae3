//! The statistics the KPIs rest on: linear-interpolation percentiles (PERCENTILE.INC, numpy's and
//! pandas' default) and Wilson score intervals for shares.

/// Linear-interpolation percentile (`p` in 0..=1) of `values`, which it sorts; None when empty.
pub fn percentile(values: &mut [f64], p: f64) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(|a, b| a.total_cmp(b));
    let rank = p.clamp(0.0, 1.0) * (values.len() - 1) as f64;
    let lo = rank.floor() as usize;
    let hi = rank.ceil() as usize;
    Some(values[lo] + (values[hi] - values[lo]) * (rank - lo as f64))
}

/// Wilson score interval (95%) for `successes` out of `n`; (0, 1) when n is 0.
pub fn wilson(successes: u64, n: u64) -> (f64, f64) {
    if n == 0 {
        return (0.0, 1.0);
    }
    let z = 1.959_963_984_540_054_f64;
    let n = n as f64;
    let p = successes as f64 / n;
    let denom = 1.0 + z * z / n;
    let centre = p + z * z / (2.0 * n);
    let half = z * (p * (1.0 - p) / n + z * z / (4.0 * n * n)).sqrt();
    (((centre - half) / denom).max(0.0), ((centre + half) / denom).min(1.0))
}

/// The share of `values` at or below each point of `grid`: the empirical distribution function,
/// read at the points a chart draws (a million tickets become a few hundred points).
pub fn share_within(values: &[f64], grid: &[f64]) -> Vec<f64> {
    let mut sorted = values.to_vec();
    sorted.sort_by(|a, b| a.total_cmp(b));
    let n = sorted.len().max(1) as f64;
    grid.iter()
        .map(|&g| sorted.partition_point(|&v| v <= g) as f64 / n)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentile_matches_percentile_inc() {
        // numpy.percentile([1, 2, 3, 4, 10], [50, 90]) = [3.0, 7.6]
        let mut v = vec![10.0, 1.0, 3.0, 2.0, 4.0];
        assert_eq!(percentile(&mut v, 0.5), Some(3.0));
        assert!((percentile(&mut v, 0.9).unwrap() - 7.6).abs() < 1e-12);
        assert_eq!(percentile(&mut [], 0.5), None);
        assert_eq!(share_within(&v, &[0.5, 3.0, 10.0]), vec![0.0, 0.6, 1.0]);
    }

    #[test]
    fn wilson_matches_the_worked_example() {
        // domain_facts.md: 88% from 15 responses is roughly 64-96% (13 of 15 = 86.7%: 62-96%).
        let (lo, hi) = wilson(13, 15);
        assert!((lo - 0.621).abs() < 0.005 && (hi - 0.963).abs() < 0.005, "{lo} {hi}");
    }
}
