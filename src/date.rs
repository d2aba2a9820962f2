//! Calendar dates (proleptic Gregorian, no time zone): parsing `YYYY-MM-DD`,
//! day arithmetic and "N years earlier".

use std::fmt;

/// A calendar date. Ordering is chronological.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: i32,
    month: u8,
    day: u8,
}

impl Date {
    /// A valid date, or a message saying why it is not one.
    pub fn new(year: i32, month: u32, day: u32) -> Result<Date, String> {
        if !(1..=12).contains(&month) {
            return Err(format!("month {month} is not between 1 and 12"));
        }
        let last = days_in_month(year, month as u8);
        if day == 0 || day > u32::from(last) {
            return Err(format!(
                "{} has {last} days, so day {day} does not exist",
                month_year(year, month as u8)
            ));
        }
        Ok(Date {
            year,
            month: month as u8,
            day: day as u8,
        })
    }

    /// Parses exactly `YYYY-MM-DD`.
    pub fn parse(text: &str) -> Result<Date, String> {
        let bytes = text.as_bytes();
        let shape_ok = bytes.len() == 10
            && bytes[4] == b'-'
            && bytes[7] == b'-'
            && bytes
                .iter()
                .enumerate()
                .all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit());
        if !shape_ok {
            return Err(format!("`{text}` is not a date in the form YYYY-MM-DD"));
        }
        let number = |range: std::ops::Range<usize>| -> u32 {
            text[range]
                .bytes()
                .fold(0, |n, b| n * 10 + u32::from(b - b'0'))
        };
        if number(0..4) == 0 {
            return Err(format!(
                "`{text}` is not a real date: there is no year 0000 (1 BC is followed by AD 1)"
            ));
        }
        Date::new(number(0..4) as i32, number(5..7), number(8..10))
            .map_err(|why| format!("`{text}` is not a real date: {why}"))
    }

    pub fn year(self) -> i32 {
        self.year
    }

    pub fn month(self) -> u32 {
        u32::from(self.month)
    }

    pub fn day(self) -> u32 {
        u32::from(self.day)
    }

    /// Days since 1970-01-01 (negative before).
    pub fn days(self) -> i64 {
        // Howard Hinnant's days_from_civil.
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date `days` days after 1970-01-01.
    pub fn from_days(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = (if mp < 10 { mp + 3 } else { mp - 9 }) as u8;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }

    pub fn add_days(self, days: i64) -> Date {
        Date::from_days(self.days() + days)
    }

    /// The same calendar date `years` years earlier; 29 February falls back to 28 February.
    pub fn years_before(self, years: u32) -> Date {
        let year = self.year - years as i32;
        let day = self.day.min(days_in_month(year, self.month));
        Date {
            year,
            month: self.month,
            day,
        }
    }

    /// The same calendar date `years` years later; 29 February falls back to 28 February.
    pub fn years_after(self, years: u32) -> Date {
        self.with_year(self.year.saturating_add(years as i32).min(9999))
    }

    /// The same month and day in `year`; 29 February falls back to 28 February.
    pub fn with_year(self, year: i32) -> Date {
        Date {
            year,
            month: self.month,
            day: self.day.min(days_in_month(year, self.month)),
        }
    }

    /// The same day `months` months later, or the month's last day when it
    /// has fewer days (31 January + 1 month = 28 or 29 February).
    pub fn months_after(self, months: u32) -> Date {
        let total = self.year as i64 * 12 + (self.month as i64 - 1) + months as i64;
        let year = (total / 12).min(9999) as i32;
        let month = (total % 12) as u8 + 1;
        Date {
            year,
            month,
            day: self.day.min(days_in_month(year, month)),
        }
    }

    /// Whole years from `self` to `later` (an age).
    pub fn whole_years_until(self, later: Date) -> i32 {
        let mut years = later.year - self.year;
        if (later.month, later.day) < (self.month, self.day) {
            years -= 1;
        }
        years
    }

    /// Today's date where the user is: in the system's time zone (`TZ`, or
    /// `/etc/localtime`), so an American evening is not already tomorrow.
    /// When the zone cannot be found, today in UTC; never a panic.
    pub fn today() -> Date {
        let zone = jiff::tz::TimeZone::try_system().unwrap_or(jiff::tz::TimeZone::UTC);
        Date::in_zone(jiff::Timestamp::now(), &zone)
    }

    /// The calendar date of `instant` in `zone`.
    fn in_zone(instant: jiff::Timestamp, zone: &jiff::tz::TimeZone) -> Date {
        let date = zone.to_datetime(instant).date();
        Date {
            year: i32::from(date.year()),
            month: date.month() as u8,
            day: date.day() as u8,
        }
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl fmt::Debug for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl std::str::FromStr for Date {
    type Err = String;
    fn from_str(text: &str) -> Result<Date, String> {
        Date::parse(text)
    }
}

impl serde::Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Date {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Date, D::Error> {
        // A visitor reads the text in place: a `String` (or serde's `Cow`,
        // which always owns) would allocate for every date of every profile.
        struct DateText;
        impl serde::de::Visitor<'_> for DateText {
            type Value = Date;
            fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
                // The profile loader words "a string" for dates itself.
                formatter.write_str("a string")
            }
            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<Date, E> {
                Date::parse(text).map_err(E::custom)
            }
        }
        deserializer.deserialize_str(DateText)
    }
}

impl schemars::JsonSchema for Date {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Date".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "format": "date",
            "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
            "description": "A calendar date, YYYY-MM-DD"
        })
    }
}

fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

fn month_year(year: i32, month: u8) -> String {
    const NAMES: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    format!("{} {year}", NAMES[usize::from(month - 1)])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> Date {
        Date::parse(text).unwrap()
    }

    #[test]
    fn parses_and_rejects_impossible_dates() {
        assert_eq!(d("2024-02-29").to_string(), "2024-02-29");
        let err = Date::parse("2023-02-30").unwrap_err();
        assert_eq!(
            err,
            "`2023-02-30` is not a real date: February 2023 has 28 days, so day 30 does not exist"
        );
        assert!(Date::parse("2023-13-01").is_err());
        assert!(Date::parse("2023-1-01").is_err());
        assert!(Date::parse("２０２３-01-01").is_err());
        assert!(Date::parse("0000-01-01").is_err());
        assert_eq!(d("0001-01-01").to_string(), "0001-01-01");
    }

    #[test]
    fn day_numbers_round_trip() {
        assert_eq!(d("1970-01-01").days(), 0);
        assert_eq!(d("2000-03-01").days() - d("2000-02-28").days(), 2);
        for days in [-800_000, -1, 0, 1, 10_957, 20_000, 2_932_896] {
            assert_eq!(Date::from_days(days).days(), days);
        }
    }

    #[test]
    fn years_before_falls_back_from_leap_day() {
        assert_eq!(d("2024-02-29").years_before(1), d("2023-02-28"));
        assert_eq!(d("2026-11-21").years_before(5), d("2021-11-21"));
    }

    #[test]
    fn today_is_the_local_date() {
        // 2026-11-22 03:30 UTC is still the 21st in New York, already the
        // 22nd in Tokyo.
        let instant: jiff::Timestamp = "2026-11-22T03:30:00Z".parse().unwrap();
        let new_york = jiff::tz::TimeZone::get("America/New_York").unwrap();
        let tokyo = jiff::tz::TimeZone::get("Asia/Tokyo").unwrap();
        assert_eq!(Date::in_zone(instant, &new_york), d("2026-11-21"));
        assert_eq!(Date::in_zone(instant, &tokyo), d("2026-11-22"));
        assert_eq!(
            Date::in_zone(instant, &jiff::tz::TimeZone::UTC),
            d("2026-11-22")
        );
    }

    #[test]
    fn whole_years_counts_birthdays() {
        assert_eq!(d("2000-06-15").whole_years_until(d("2018-06-14")), 17);
        assert_eq!(d("2000-06-15").whole_years_until(d("2018-06-15")), 18);
    }
}
