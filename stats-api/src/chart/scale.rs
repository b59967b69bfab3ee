//! Axis arithmetic and number wording: "nice" tick steps (1, 2 or 5 × 10ⁿ) and figures with
//! thousands separators, so an axis reads 0 · 2,500 · 5,000 rather than 0 · 2437.5 · 4875.

/// Tick values from `lo` to past `hi`, about `wanted` of them, on a 1/2/5 step; `lo` and
/// `hi` are widened to whole steps. `min_step` 1 keeps a count's axis on whole numbers.
pub fn ticks(lo: f64, hi: f64, wanted: usize, min_step: f64) -> Vec<f64> {
    let span = if hi > lo { hi - lo } else { 1.0 };
    let raw = span / wanted.max(1) as f64;
    let magnitude = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * magnitude)
        .max(min_step);
    let start = (lo / step).floor();
    let end = (hi / step).ceil().max(start + 1.0);
    (0..=((end - start) as usize).min(50))
        .map(|i| (start + i as f64) * step)
        .collect()
}

/// `1234567` → `1,234,567`; `-0.5` → `-0.5`; at most `decimals` decimals, trailing zeros cut.
pub fn figure(value: f64, decimals: usize) -> String {
    if !value.is_finite() {
        return "?".into();
    }
    let text = format!("{:.*}", decimals, value.abs());
    let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
    let fraction = fraction.trim_end_matches('0');
    let mut out = String::new();
    if value < 0.0 && text.chars().any(|c| c.is_ascii_digit() && c != '0') {
        out.push('-');
    }
    for (i, digit) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(digit);
    }
    if !fraction.is_empty() {
        out.push('.');
        out.push_str(fraction);
    }
    out
}

/// Decimals that show every value of a set as it is (0 for counts), at most 2.
pub fn decimals_for(values: impl Iterator<Item = f64>) -> usize {
    let mut decimals = 0;
    for v in values {
        while decimals < 2 && ((v * 10f64.powi(decimals as i32)).fract()).abs() > 1e-9 {
            decimals += 1;
        }
    }
    decimals
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_get_thousands_separators() {
        assert_eq!(figure(0.0, 0), "0");
        assert_eq!(figure(999.0, 0), "999");
        assert_eq!(figure(1000.0, 0), "1,000");
        assert_eq!(figure(1234567.0, 0), "1,234,567");
        assert_eq!(figure(-1234.5, 2), "-1,234.5");
        assert_eq!(figure(-0.001, 0), "0");
        assert_eq!(figure(f64::NAN, 0), "?");
    }

    #[test]
    fn ticks_are_round_and_cover_the_values() {
        assert_eq!(ticks(0.0, 9.0, 5, 1.0), [0.0, 2.0, 4.0, 6.0, 8.0, 10.0]);
        assert_eq!(
            ticks(0.0, 4870.0, 5, 1.0),
            [0.0, 1000.0, 2000.0, 3000.0, 4000.0, 5000.0]
        );
        // A count that is all zeros, or tiny, still steps by whole numbers.
        assert_eq!(ticks(0.0, 0.0, 5, 1.0), [0.0, 1.0]);
        assert_eq!(ticks(0.0, 3.0, 5, 1.0), [0.0, 1.0, 2.0, 3.0]);
        assert_eq!(
            ticks(0.0, 0.3, 3, 0.0),
            [0.0, 0.1, 0.2, 0.30000000000000004]
        );
        let negative = ticks(-30.0, 70.0, 5, 1.0);
        assert_eq!(negative.first(), Some(&-40.0));
        assert!(negative.contains(&0.0) && *negative.last().unwrap() >= 70.0);
    }

    #[test]
    fn decimals_follow_the_values() {
        assert_eq!(decimals_for([1.0, 20.0].into_iter()), 0);
        assert_eq!(decimals_for([1.5, 2.0].into_iter()), 1);
        assert_eq!(decimals_for([1.0 / 3.0].into_iter()), 2);
    }
}
