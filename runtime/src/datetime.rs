//! Timestamps as Smithy sees them: seconds and nanoseconds since the Unix epoch (UTC), and the
//! three wire formats (`epoch-seconds`, `date-time` = RFC 3339, `http-date` = IMF-fixdate).

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// A point in time, UTC, with nanosecond precision.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct DateTime {
    secs: i64,
    nanos: u32,
}

/// The wire formats of `@timestampFormat`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    EpochSeconds,
    DateTime,
    HttpDate,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    input: String,
    format: Format,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:?} is not a valid {:?} timestamp",
            self.input, self.format
        )
    }
}

impl std::error::Error for ParseError {}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
const WEEKDAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"]; // 1970-01-01 was a Thursday

impl DateTime {
    pub const fn from_secs(secs: i64) -> Self {
        DateTime { secs, nanos: 0 }
    }

    /// `nanos` above one second carries into `secs`.
    pub const fn from_secs_and_nanos(secs: i64, nanos: u32) -> Self {
        DateTime {
            secs: secs + (nanos / 1_000_000_000) as i64,
            nanos: nanos % 1_000_000_000,
        }
    }

    /// Fractional epoch seconds, rounded to the millisecond (the precision of JSON numbers on the wire).
    pub fn from_secs_f64(value: f64) -> Self {
        let millis = (value * 1000.0).round() as i64;
        DateTime {
            secs: millis.div_euclid(1000),
            nanos: (millis.rem_euclid(1000) as u32) * 1_000_000,
        }
    }

    pub fn now() -> Self {
        SystemTime::now().into()
    }

    pub const fn secs(&self) -> i64 {
        self.secs
    }

    pub const fn subsec_nanos(&self) -> u32 {
        self.nanos
    }

    pub fn as_secs_f64(&self) -> f64 {
        self.secs as f64 + self.nanos as f64 / 1e9
    }

    pub fn has_subsec_nanos(&self) -> bool {
        self.nanos != 0
    }

    /// Formats for the wire. `EpochSeconds` gives an integer, or a decimal with up to
    /// millisecond precision when there is a fraction.
    pub fn fmt(&self, format: Format) -> String {
        match format {
            Format::EpochSeconds => {
                if self.nanos == 0 {
                    self.secs.to_string()
                } else {
                    let millis = self.nanos / 1_000_000;
                    let s = format!("{}.{:03}", self.secs, millis);
                    s.trim_end_matches('0').trim_end_matches('.').to_string()
                }
            }
            Format::DateTime => {
                let (y, mo, d, h, mi, s) = self.civil();
                let mut out = format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}");
                if self.nanos != 0 {
                    let frac = format!("{:09}", self.nanos);
                    out.push('.');
                    out.push_str(frac.trim_end_matches('0'));
                }
                out.push('Z');
                out
            }
            Format::HttpDate => {
                let (y, mo, d, h, mi, s) = self.civil();
                let weekday = WEEKDAYS[self.secs.div_euclid(86_400).rem_euclid(7) as usize];
                format!(
                    "{weekday}, {d:02} {} {y:04} {h:02}:{mi:02}:{s:02} GMT",
                    MONTHS[(mo - 1) as usize]
                )
            }
        }
    }

    pub fn parse(input: &str, format: Format) -> Result<Self, ParseError> {
        let err = || ParseError {
            input: input.to_string(),
            format,
        };
        match format {
            Format::EpochSeconds => {
                let v: f64 = input.trim().parse().map_err(|_| err())?;
                if v.is_finite() {
                    Ok(Self::from_secs_f64(v))
                } else {
                    Err(err())
                }
            }
            Format::DateTime => parse_rfc3339(input).ok_or_else(err),
            Format::HttpDate => parse_http_date(input).ok_or_else(err),
        }
    }

    /// `20150830T123600Z`: the basic ISO-8601 form SigV4 signs with, to the second, written
    /// without the formatting machinery (it is built for every request). Years before 0 or
    /// after 9999 cannot be written in it and are clamped.
    pub fn amz_date(&self) -> String {
        let (y, mo, d, h, mi, s) = self.civil();
        let y = y.clamp(0, 9999) as u32;
        let mut out = [0u8; 16];
        let mut put = |at: usize, value: u32, width: usize| {
            let mut v = value;
            for i in (at..at + width).rev() {
                out[i] = b'0' + (v % 10) as u8;
                v /= 10;
            }
        };
        put(0, y, 4);
        put(4, mo, 2);
        put(6, d, 2);
        put(9, h, 2);
        put(11, mi, 2);
        put(13, s, 2);
        out[8] = b'T';
        out[15] = b'Z';
        out.iter().map(|&b| b as char).collect()
    }

    /// (year, month, day, hour, minute, second) in UTC.
    fn civil(&self) -> (i64, u32, u32, u32, u32, u32) {
        let days = self.secs.div_euclid(86_400);
        let rem = self.secs.rem_euclid(86_400) as u32;
        let (y, m, d) = civil_from_days(days);
        (y, m, d, rem / 3600, rem / 60 % 60, rem % 60)
    }

    fn from_civil(y: i64, mo: u32, d: u32, h: u32, mi: u32, s: u32, nanos: u32) -> Option<Self> {
        if !(1..=12).contains(&mo) || d == 0 || d > days_in_month(y, mo) || h > 23 || mi > 59 {
            return None;
        }
        // A leap second (60) is accepted and folded into the next second, as AWS parsers do.
        if s > 60 {
            return None;
        }
        let secs = days_from_civil(y, mo, d) * 86_400 + (h * 3600 + mi * 60 + s) as i64;
        Some(DateTime { secs, nanos })
    }
}

impl From<SystemTime> for DateTime {
    fn from(t: SystemTime) -> Self {
        match t.duration_since(UNIX_EPOCH) {
            Ok(d) => DateTime::from_secs_and_nanos(d.as_secs() as i64, d.subsec_nanos()),
            Err(e) => {
                let d = e.duration();
                let (secs, nanos) = (d.as_secs() as i64, d.subsec_nanos());
                if nanos == 0 {
                    DateTime::from_secs(-secs)
                } else {
                    DateTime::from_secs_and_nanos(-secs - 1, 1_000_000_000 - nanos)
                }
            }
        }
    }
}

impl From<DateTime> for SystemTime {
    fn from(t: DateTime) -> Self {
        if t.secs >= 0 {
            UNIX_EPOCH + Duration::new(t.secs as u64, t.nanos)
        } else {
            UNIX_EPOCH - Duration::from_secs(t.secs.unsigned_abs())
                + Duration::from_nanos(t.nanos as u64)
        }
    }
}

impl fmt::Display for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.fmt(Format::DateTime))
    }
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp as i64 + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

fn digits(s: &str) -> Option<u32> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`; `t`/`z` lower-case accepted.
fn parse_rfc3339(input: &str) -> Option<DateTime> {
    let s = input.trim();
    if s.len() < 20 || !s.is_char_boundary(10) || !s.is_char_boundary(19) {
        return None;
    }
    let (date, rest) = s.split_at(10);
    let b = date.as_bytes();
    if b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let y = digits(&date[0..4])? as i64;
    let mo = digits(&date[5..7])?;
    let d = digits(&date[8..10])?;
    let rest = rest.strip_prefix(['T', 't'])?;
    let (time, mut zone) = rest.split_at(8);
    let tb = time.as_bytes();
    if tb[2] != b':' || tb[5] != b':' {
        return None;
    }
    let (h, mi, sec) = (
        digits(&time[0..2])?,
        digits(&time[3..5])?,
        digits(&time[6..8])?,
    );
    let mut nanos = 0u32;
    if let Some(frac_rest) = zone.strip_prefix('.') {
        let end = frac_rest
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(frac_rest.len());
        let frac = &frac_rest[..end];
        if frac.is_empty() {
            return None;
        }
        let padded: String = frac.chars().chain(std::iter::repeat('0')).take(9).collect();
        nanos = digits(&padded)?;
        zone = &frac_rest[end..];
    }
    let offset_secs: i64 = match zone {
        "Z" | "z" => 0,
        z if z.len() == 6 && (z.starts_with('+') || z.starts_with('-')) && &z[3..4] == ":" => {
            let oh = digits(&z[1..3])? as i64;
            let om = digits(&z[4..6])? as i64;
            let sign = if z.starts_with('-') { -1 } else { 1 };
            sign * (oh * 3600 + om * 60)
        }
        _ => return None,
    };
    let t = DateTime::from_civil(y, mo, d, h, mi, sec, nanos)?;
    Some(DateTime {
        secs: t.secs - offset_secs,
        nanos: t.nanos,
    })
}

/// IMF-fixdate: `Sun, 06 Nov 1994 08:49:37 GMT` (optionally with a fraction of a second).
fn parse_http_date(input: &str) -> Option<DateTime> {
    let s = input.trim();
    let (_weekday, rest) = s.split_once(", ")?;
    let mut parts = rest.split(' ');
    let d = digits(parts.next()?)?;
    let mon = parts.next()?;
    let mo = MONTHS.iter().position(|m| *m == mon)? as u32 + 1;
    let y = digits(parts.next()?)? as i64;
    let time = parts.next()?;
    if parts.next()? != "GMT" || parts.next().is_some() {
        return None;
    }
    let (hms, frac) = match time.split_once('.') {
        Some((hms, frac)) => (hms, Some(frac)),
        None => (time, None),
    };
    let mut t = hms.split(':');
    let (h, mi, sec) = (digits(t.next()?)?, digits(t.next()?)?, digits(t.next()?)?);
    if t.next().is_some() {
        return None;
    }
    let nanos = match frac {
        Some(f) => digits(
            &f.chars()
                .chain(std::iter::repeat('0'))
                .take(9)
                .collect::<String>(),
        )?,
        None => 0,
    };
    DateTime::from_civil(y, mo, d, h, mi, sec, nanos)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amz_date_is_the_date_time_form_without_separators() {
        assert_eq!(
            DateTime::from_secs(1_440_938_160).amz_date(),
            "20150830T123600Z"
        );
        // Every second of a leap day's end, and seconds spread over 1970..9999, against the
        // general formatter.
        let spread = (0..20_000i64).map(|i| i * 12_619_487 + i % 61);
        for secs in (951_782_300..951_782_500).chain(spread) {
            let t = DateTime::from_secs_and_nanos(secs, 999_999_999);
            let mut want = DateTime::from_secs(secs).fmt(Format::DateTime);
            want.retain(|c| c != '-' && c != ':');
            assert_eq!(t.amz_date(), want, "{secs}");
        }
    }

    #[test]
    fn formats_the_three_wire_formats() {
        let t = DateTime::from_secs(1_440_938_160); // 2015-08-30T12:36:00Z
        assert_eq!(t.fmt(Format::EpochSeconds), "1440938160");
        assert_eq!(t.fmt(Format::DateTime), "2015-08-30T12:36:00Z");
        assert_eq!(t.fmt(Format::HttpDate), "Sun, 30 Aug 2015 12:36:00 GMT");
        let frac = DateTime::from_secs_and_nanos(1_440_938_160, 120_000_000);
        assert_eq!(frac.fmt(Format::EpochSeconds), "1440938160.12");
        assert_eq!(frac.fmt(Format::DateTime), "2015-08-30T12:36:00.12Z");
    }

    #[test]
    fn parses_what_it_formats_and_common_variants() {
        for (s, f, secs, nanos) in [
            ("1440938160", Format::EpochSeconds, 1_440_938_160, 0),
            (
                "1440938160.5",
                Format::EpochSeconds,
                1_440_938_160,
                500_000_000,
            ),
            ("2015-08-30T12:36:00Z", Format::DateTime, 1_440_938_160, 0),
            (
                "2015-08-30T14:36:00.25+02:00",
                Format::DateTime,
                1_440_938_160,
                250_000_000,
            ),
            ("1969-12-31T23:59:59Z", Format::DateTime, -1, 0),
            (
                "Sun, 30 Aug 2015 12:36:00 GMT",
                Format::HttpDate,
                1_440_938_160,
                0,
            ),
            (
                "Tue, 29 Feb 2000 00:00:00 GMT",
                Format::HttpDate,
                951_782_400,
                0,
            ),
        ] {
            let t = DateTime::parse(s, f).unwrap();
            assert_eq!((t.secs(), t.subsec_nanos()), (secs, nanos), "{s}");
        }
    }

    #[test]
    fn rejects_malformed_timestamps() {
        for (s, f) in [
            ("2015-02-30T00:00:00Z", Format::DateTime),
            ("2015-08-30 12:36:00Z", Format::DateTime),
            ("2015-08-30T12:36:00", Format::DateTime),
            ("Sun, 30 Aug 2015 12:36:00 UTC", Format::HttpDate),
            ("abc", Format::EpochSeconds),
            ("NaN", Format::EpochSeconds),
        ] {
            assert!(DateTime::parse(s, f).is_err(), "{s} should not parse");
        }
    }

    #[test]
    fn round_trips_days_across_eras() {
        for days in [-800_000i64, -1, 0, 1, 10_957, 2_932_896] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
    }
}
