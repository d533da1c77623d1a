//! A five-field cron schedule (minute hour day-of-month month day-of-week, 1 = Monday) in the
//! words staff use: "7 giờ 30, thứ Hai đến thứ Sáu". What the words cannot say plainly (steps,
//! several minutes, particular months) is shown as the cron text, labelled.

use crate::i18n::t;

/// The schedule in words, in the run's language.
pub fn describe(cron: &str) -> String {
    words(cron).unwrap_or_else(|| t!("cron-raw", cron = cron))
}

fn words(cron: &str) -> Option<String> {
    let f: Vec<&str> = cron.split_whitespace().collect();
    let [minute, hour, dom, month, dow] = f.as_slice() else {
        return None;
    };
    let minute: u32 = minute.parse().ok().filter(|m| *m < 60)?;
    let hours = list(hour, 0, 23)?;
    if *month != "*" {
        return None;
    }
    let times: Vec<String> = hours
        .iter()
        .map(|h| match minute {
            0 => t!("cron-hour", hour = *h),
            m => t!("cron-hour-minute", hour = *h, minute = format!("{m:02}")),
        })
        .collect();
    let times = times.join(", ");
    let days = match (*dom, *dow) {
        ("*", "*") => t!("cron-every-day"),
        ("*", d) => weekdays(d)?,
        (d, "*") => t!(
            "cron-day-of-month",
            days = list(d, 1, 31)?
                .iter()
                .map(u32::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        ),
        _ => return None,
    };
    Some(t!("cron-words", times = times, days = days))
}

/// A field of single values, commas and ranges (no steps), within `lo..=hi`.
fn list(field: &str, lo: u32, hi: u32) -> Option<Vec<u32>> {
    let mut out = Vec::new();
    for part in field.split(',') {
        match part.split_once('-') {
            Some((a, b)) => {
                let (a, b): (u32, u32) = (a.parse().ok()?, b.parse().ok()?);
                if a > b || a < lo || b > hi {
                    return None;
                }
                out.extend(a..=b);
            }
            None => {
                let v: u32 = part.parse().ok()?;
                if v < lo || v > hi {
                    return None;
                }
                out.push(v);
            }
        }
    }
    Some(out)
}

/// Day-of-week field: a range reads "thứ Hai đến thứ Sáu", a list names each day.
fn weekdays(field: &str) -> Option<String> {
    if let Some((a, b)) = field.split_once('-')
        && !field.contains(',')
    {
        let (a, b): (u32, u32) = (a.parse().ok()?, b.parse().ok()?);
        if a >= b || b > 7 {
            return None;
        }
        return Some(t!("cron-day-range", from = day(a), to = day(b)));
    }
    let days = list(field, 0, 7)?;
    Some(days.into_iter().map(day).collect::<Vec<_>>().join(", "))
}

fn day(d: u32) -> String {
    match d {
        1 => t!("weekday-mon"),
        2 => t!("weekday-tue"),
        3 => t!("weekday-wed"),
        4 => t!("weekday-thu"),
        5 => t!("weekday-fri"),
        6 => t!("weekday-sat"),
        _ => t!("weekday-sun"),
    }
}

#[cfg(test)]
mod tests {
    use super::describe;

    // The run's language is Vietnamese unless the binary chose otherwise; unit tests never do.
    #[test]
    fn schedules_in_words() {
        assert_eq!(describe("30 7 * * 1-5"), "7 giờ 30, thứ Hai đến thứ Sáu");
        assert_eq!(describe("0 8 * * *"), "8 giờ, hằng ngày");
        assert_eq!(
            describe("0 8,14 * * 1,3,5"),
            "8 giờ, 14 giờ, thứ Hai, thứ Tư, thứ Sáu"
        );
        assert_eq!(describe("15 17 * * 0"), "17 giờ 15, Chủ nhật");
        assert_eq!(describe("0 9 1,15 * *"), "9 giờ, ngày 1, 15 hằng tháng");
        assert_eq!(describe("*/5 * * * *"), "theo lịch cron */5 * * * *");
        assert_eq!(describe("0 8 * 3 *"), "theo lịch cron 0 8 * 3 *");
    }
}
