//! ISO/IEC 27002:2022: the 93 controls in four themes (5 organisational, 6 people, 7 physical,
//! 8 technological) that requirements reference.

/// True when `control` names a control of ISO/IEC 27002:2022: 5.1–5.37 (organisational),
/// 6.1–6.8 (people), 7.1–7.14 (physical), 8.1–8.34 (technological).
pub fn is_iso27002_control(control: &str) -> bool {
    let Some((theme, number)) = control.trim().split_once('.') else { return false };
    let Ok(n) = number.parse::<u32>() else { return false };
    if number.starts_with('0') {
        return false;
    }
    let max = match theme {
        "5" => 37,
        "6" => 8,
        "7" => 14,
        "8" => 34,
        _ => return false,
    };
    (1..=max).contains(&n)
}
