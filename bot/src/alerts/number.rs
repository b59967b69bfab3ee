//! Numbers as alerts compare them: exact decimals, so that `recent < previous - 20%` with
//! `previous = 100` does not hold at `recent = 80` and holds at `79` — in binary floating point
//! `100 × 0.8` is not `80`. A value read from a stat (a JSON number, or the string a `SUM()`
//! DECIMAL arrives as) is kept as `units / 10^scale`; only a number too long for that (more
//! than about 36 digits) falls back to `f64`. Pure.

use std::cmp::Ordering;
use std::fmt;

use serde_json::Value;

/// Digits after the point an exact number keeps (DECIMAL columns go up to 30).
const MAX_SCALE: u32 = 30;

/// A number read from a condition or a stat.
#[derive(Debug, Clone, Copy)]
pub enum Num {
    /// `units / 10^scale`, exactly.
    Exact { units: i128, scale: u32 },
    /// Too long to keep exactly.
    Approx(f64),
}

impl Num {
    pub fn int(n: i64) -> Num {
        Num::Exact {
            units: i128::from(n),
            scale: 0,
        }
    }

    /// `12`, `-3.5`, `0.25`, `1e3`, `1.5E-2`; `None` for anything else (spaces, `NaN`, `1,000`).
    pub fn parse(text: &str) -> Option<Num> {
        let (mantissa, exponent) = match text.find(['e', 'E']) {
            Some(at) => (&text[..at], text[at + 1..].parse::<i32>().ok()?),
            None => (text, 0),
        };
        let (negative, digits) = match mantissa.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, mantissa.strip_prefix('+').unwrap_or(mantissa)),
        };
        let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
        if whole.is_empty() && fraction.is_empty()
            || !whole.bytes().all(|b| b.is_ascii_digit())
            || !fraction.bytes().all(|b| b.is_ascii_digit())
        {
            return None;
        }
        let approx = || {
            text.parse::<f64>()
                .ok()
                .filter(|f| f.is_finite())
                .map(Num::Approx)
        };
        let mut units: i128 = 0;
        for b in whole.bytes().chain(fraction.bytes()) {
            units = match units
                .checked_mul(10)
                .and_then(|u| u.checked_add(i128::from(b - b'0')))
            {
                Some(u) => u,
                None => return approx(),
            };
        }
        let mut scale = fraction.len() as i64 - i64::from(exponent);
        while scale < 0 {
            units = match units.checked_mul(10) {
                Some(u) => u,
                None => return approx(),
            };
            scale += 1;
        }
        if scale > i64::from(MAX_SCALE) {
            return approx();
        }
        let units = if negative { -units } else { units };
        Some(
            Num::Exact {
                units,
                scale: scale as u32,
            }
            .normalized(),
        )
    }

    /// A stat's cell: a JSON number, or a string holding one (DECIMAL). Not null, text, bools.
    pub fn from_json(value: &Value) -> Option<Num> {
        match value {
            Value::Number(n) => Num::parse(&n.to_string()),
            Value::String(s) => Num::parse(s.trim()),
            _ => None,
        }
    }

    /// Trailing zeros after the point dropped: `12.50` is `12.5`.
    fn normalized(self) -> Num {
        match self {
            Num::Exact {
                mut units,
                mut scale,
            } => {
                while scale > 0 && units % 10 == 0 {
                    units /= 10;
                    scale -= 1;
                }
                Num::Exact { units, scale }
            }
            approx => approx,
        }
    }

    pub fn as_f64(self) -> f64 {
        match self {
            Num::Exact { units, scale } => units as f64 / 10f64.powi(scale as i32),
            Num::Approx(f) => f,
        }
    }

    /// The product, exact when it fits.
    pub fn times(self, other: Num) -> Num {
        if let (Num::Exact { units: a, scale: s }, Num::Exact { units: b, scale: t }) =
            (self, other)
            && let Some(units) = a.checked_mul(b)
            && s + t <= MAX_SCALE
        {
            return Num::Exact {
                units,
                scale: s + t,
            }
            .normalized();
        }
        Num::Approx(self.as_f64() * other.as_f64())
    }

    /// `self / 100`, exact when it fits (a percentage's scale).
    pub fn percent(self) -> Num {
        match self {
            Num::Exact { units, scale } if scale + 2 <= MAX_SCALE => Num::Exact {
                units,
                scale: scale + 2,
            }
            .normalized(),
            other => Num::Approx(other.as_f64() / 100.0),
        }
    }

    pub fn plus(self, other: Num) -> Num {
        if let Some((a, b, scale)) = aligned(self, other)
            && let Some(units) = a.checked_add(b)
        {
            return Num::Exact { units, scale }.normalized();
        }
        Num::Approx(self.as_f64() + other.as_f64())
    }

    /// `floor(self / every)`: which multiple of `every` the value has reached.
    pub fn multiples_of(self, every: u64) -> i128 {
        match self {
            Num::Exact { units, scale } => {
                let divisor = i128::from(every).checked_mul(10i128.pow(scale));
                match divisor {
                    Some(d) => units.div_euclid(d),
                    None => (self.as_f64() / every as f64).floor() as i128,
                }
            }
            Num::Approx(f) => (f / every as f64).floor() as i128,
        }
    }
}

/// Both as units of the same scale, when that fits.
fn aligned(a: Num, b: Num) -> Option<(i128, i128, u32)> {
    let (Num::Exact { units: a, scale: s }, Num::Exact { units: b, scale: t }) = (a, b) else {
        return None;
    };
    let scale = s.max(t);
    let a = a.checked_mul(10i128.checked_pow(scale - s)?)?;
    let b = b.checked_mul(10i128.checked_pow(scale - t)?)?;
    Some((a, b, scale))
}

impl PartialEq for Num {
    fn eq(&self, other: &Num) -> bool {
        self.partial_cmp(other) == Some(Ordering::Equal)
    }
}

impl PartialOrd for Num {
    fn partial_cmp(&self, other: &Num) -> Option<Ordering> {
        match aligned(*self, *other) {
            Some((a, b, _)) => Some(a.cmp(&b)),
            None => self.as_f64().partial_cmp(&other.as_f64()),
        }
    }
}

/// Plain decimal, as a machine reads it back: `-12.5`, `1000`.
impl fmt::Display for Num {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Num::Exact { units, scale: 0 } => write!(f, "{units}"),
            Num::Exact { units, scale } => {
                let digits = units.unsigned_abs().to_string();
                let scale = scale as usize;
                let padded = format!("{digits:0>width$}", width = scale + 1);
                let (whole, fraction) = padded.split_at(padded.len() - scale);
                let sign = if units < 0 { "-" } else { "" };
                write!(f, "{sign}{whole}.{fraction}")
            }
            Num::Approx(x) => write!(f, "{x}"),
        }
    }
}

/// For people: thousands grouped, at most two decimals (`1,234.5`, `-0.33`).
pub fn readable(n: Num) -> String {
    let plain = match n {
        Num::Exact { scale, .. } if scale <= 2 => n.to_string(),
        other => {
            let s = format!("{:.2}", other.as_f64());
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        }
    };
    let (sign, rest) = match plain.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", plain.as_str()),
    };
    let (whole, fraction) = rest.split_once('.').unwrap_or((rest, ""));
    let mut out = String::from(sign);
    for (i, d) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(d);
    }
    if !fraction.is_empty() {
        out.push('.');
        out.push_str(fraction);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn n(s: &str) -> Num {
        Num::parse(s).unwrap_or_else(|| panic!("{s} parses"))
    }

    #[test]
    fn decimals_read_exactly() {
        assert_eq!(n("12.50").to_string(), "12.5");
        assert_eq!(n("-0.25").to_string(), "-0.25");
        assert_eq!(n("1e3").to_string(), "1000");
        assert_eq!(n("1.5E-2").to_string(), "0.015");
        assert_eq!(n(".5").to_string(), "0.5");
        for bad in ["", "-", "1,000", "12 ", "NaN", "inf", "1.2.3", "e5", "0x10"] {
            assert!(Num::parse(bad).is_none(), "{bad:?}");
        }
        assert_eq!(Num::from_json(&json!("1234.5600")).unwrap(), n("1234.56"));
        assert_eq!(Num::from_json(&json!(7)).unwrap(), Num::int(7));
        assert_eq!(Num::from_json(&json!(0.1)).unwrap().to_string(), "0.1");
        assert!(Num::from_json(&json!(null)).is_none());
        assert!(Num::from_json(&json!("Ada")).is_none());
        assert!(Num::from_json(&json!(true)).is_none());
    }

    #[test]
    fn arithmetic_is_exact_where_floats_are_not() {
        // 0.1 + 0.2 is 0.3 here; in f64 it is 0.30000000000000004.
        assert_eq!(n("0.1").plus(n("0.2")), n("0.3"));
        // 100 × 80% is exactly 80.
        assert_eq!(n("100").times(n("80").percent()), Num::int(80));
        assert!(n("79.999") < n("100").times(n("80").percent()));
        assert_eq!(n("3").times(n("-1.5")).to_string(), "-4.5");
        // Too long to be exact still compares, approximately.
        let huge = n("1234567890123456789012345678901234567890");
        assert!(matches!(huge, Num::Approx(_)));
        assert!(huge > Num::int(1));
    }

    #[test]
    fn multiples_round_down_even_below_zero() {
        assert_eq!(Num::int(999).multiples_of(100), 9);
        assert_eq!(Num::int(1000).multiples_of(100), 10);
        assert_eq!(n("99.99").multiples_of(100), 0);
        assert_eq!(Num::int(-1).multiples_of(100), -1);
    }

    #[test]
    fn readable_groups_thousands() {
        assert_eq!(readable(Num::int(1234567)), "1,234,567");
        assert_eq!(readable(n("-1234.5")), "-1,234.5");
        assert_eq!(readable(n("0.333333")), "0.33");
        assert_eq!(readable(Num::int(38)), "38");
    }
}
