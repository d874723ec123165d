//! The floating work-injury rate of an employer (人社部发〔2015〕71号, 关于调整工伤保险费率政策的
//! 通知): from its industry class's base rate, an employer's rate may be set each year at 50 %, 80 %,
//! 120 % or 150 % of it (100 % when no decision), according to its claims record and the fund's
//! balance; class 1 floats upward only (100 %, 120 %, 150 %). The decision is dated and applies from
//! its month to every calculation — preview, enrolment and the monthly assessment alike.

use crate::error::FieldError;
use crate::money::RateBp;

/// The percentages of the class rate an employer's rate may be set at.
pub const FLOAT_PERCENTS: [u32; 5] = [50, 80, 100, 120, 150];

/// Checks a floating decision: one of [`FLOAT_PERCENTS`], and for class 1 not below 100 %.
/// Codes `injury.float_percent`, `injury.class_one_upward`.
pub fn check_float(risk_class: u8, percent: u32) -> Result<(), FieldError> {
    if !FLOAT_PERCENTS.contains(&percent) {
        return Err(FieldError::new("percent", "injury.float_percent"));
    }
    if risk_class <= 1 && percent < 100 {
        return Err(FieldError::new("percent", "injury.class_one_upward"));
    }
    Ok(())
}

/// The employer's rate: the class rate × percent ÷ 100, half-up to a basis point (exact for every
/// Henan class rate and allowed percentage).
pub fn floating_rate(class_rate: RateBp, percent: u32) -> RateBp {
    RateBp(super::benefits::half_up(i128::from(class_rate.0.max(0)) * i128::from(percent), 100) as i32)
}

#[cfg(test)]
mod tests {
    use super::*;

    const HENAN: [i32; 8] = [20, 40, 70, 90, 110, 130, 160, 190];

    #[test]
    fn every_henan_class_floats_to_whole_basis_points() {
        for (i, &r) in HENAN.iter().enumerate() {
            for p in FLOAT_PERCENTS {
                let f = floating_rate(RateBp(r), p);
                assert_eq!(i64::from(f.0) * 100, i64::from(r) * i64::from(p), "class {} at {p} %", i + 1);
            }
        }
        // Class 3 (0.7 %): 0.35 / 0.56 / 0.7 / 0.84 / 1.05 %.
        let c3: Vec<i32> = FLOAT_PERCENTS.iter().map(|&p| floating_rate(RateBp(70), p).0).collect();
        assert_eq!(c3, [35, 56, 70, 84, 105]);
    }

    #[test]
    fn class_one_floats_upward_only_and_steps_are_fixed() {
        assert!(check_float(1, 100).is_ok() && check_float(1, 150).is_ok());
        assert_eq!(check_float(1, 80).unwrap_err().code, "injury.class_one_upward");
        assert!(check_float(2, 50).is_ok());
        assert_eq!(check_float(2, 90).unwrap_err().code, "injury.float_percent");
        assert_eq!(check_float(8, 0).unwrap_err().code, "injury.float_percent");
    }

    #[test]
    fn halves_round_up_and_negatives_are_zero() {
        assert_eq!(floating_rate(RateBp(25), 50), RateBp(13)); // 12.5 → 13
        assert_eq!(floating_rate(RateBp(-5), 150), RateBp(0));
    }
}
