//! Calendars read end to end: rows, warnings, zones, holidays.

use chrono::{Duration, NaiveDate, NaiveTime, Utc};
use chrono_tz::Tz;
use icalendar::parser::read_components;

use super::sessions::Prescan;
use super::*;
use crate::calendar::ImportRow;
use crate::session::ClassRef;

fn calendar(event: &str) -> String {
    format!(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:u\r\n{event}END:VEVENT\r\nEND:VCALENDAR\r\n"
    )
}

fn rows_of(text: &str, zone: Tz) -> (Vec<ImportRow>, Vec<String>) {
    let pre = prescan(text.as_bytes()).unwrap();
    let notes = Notes::default();
    let rows = sessions(text.as_bytes(), zone, pre, Some(notes.clone()))
        .collect::<Result<Vec<_>, _>>()
        .unwrap_or_else(|e| panic!("{e}"));
    let notes = notes.lock().unwrap().clone();
    (rows, notes)
}

fn starts(rows: &[ImportRow]) -> Vec<String> {
    rows.iter()
        .map(|r| format!("{} {}", r.session_date, r.start_time.format("%H:%M")))
        .collect()
}

/// A component of 100,000 lines is read in one pass (quadratic, this took minutes), and
/// each of its EXDATEs counts.
#[test]
fn a_huge_component_is_read_whole() {
    let mut event = String::from(
        "SUMMARY:Big\r\nDTSTART:20400106T090000\r\nDTEND:20400106T095000\r\n\
         RRULE:FREQ=WEEKLY;COUNT=10\r\n",
    );
    for i in 0..100_000u32 {
        let week = 1 + (i % 3) * 4; // 13 Jan, 10 Feb, 9 Mar
        let date = NaiveDate::from_ymd_opt(2040, 1, 6).unwrap() + Duration::weeks(i64::from(week));
        event.push_str(&format!("EXDATE:{}T090000\r\n", date.format("%Y%m%d")));
    }
    let (rows, _) = rows_of(&calendar(&event), Tz::UTC);
    assert_eq!(rows.len(), 7);
    assert!(!starts(&rows).contains(&"2040-02-10 09:00".to_string()));
}

/// The parser unescapes TEXT values; attctl does not do it again, so a name's own
/// backslashes survive (`back\slash`, `a\,b`, a literal `\n`), whatever case the
/// property name is written in.
#[test]
fn text_is_unescaped_once() {
    for (written, name) in [
        (r"back\\slash", r"back\slash"),
        (r"a\\\,b", r"a\,b"),
        (r"x\\ny", r"x\ny"),
        (r"Maths\, room 4\; Year 7", "Maths, room 4; Year 7"),
    ] {
        for key in ["SUMMARY", "summary"] {
            let event =
                format!("{key}:{written}\r\nDTSTART:20400106T090000\r\nDTEND:20400106T095000\r\n");
            let (rows, _) = rows_of(&calendar(&event), Tz::UTC);
            assert_eq!(
                rows[0].class,
                Some(ClassRef::Name(name.into())),
                "{written}"
            );
        }
    }
}

/// RFC 5545's recurrence set: every RRULE, every RDATE, less EXRULE and EXDATE.
#[test]
fn rdates_exrules_and_several_rrules() {
    let event = "SUMMARY:M\r\nDTSTART;TZID=Europe/London:20440104T090000\r\n\
                 DTEND;TZID=Europe/London:20440104T095000\r\n\
                 RRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=3\r\nRRULE:FREQ=WEEKLY;BYDAY=WE;COUNT=2\r\n\
                 RDATE;TZID=Europe/London:20440201T090000,20440202T100000Z\r\n\
                 EXRULE:FREQ=MONTHLY;BYMONTHDAY=11\r\nEXDATE:20440113T090000Z\r\n";
    let (rows, notes) = rows_of(&calendar(event), Tz::UTC);
    assert_eq!(
        starts(&rows),
        [
            "2044-01-04 09:00",
            "2044-01-06 09:00",
            "2044-01-18 09:00",
            "2044-02-01 09:00",
            "2044-02-02 10:00"
        ]
    );
    assert!(notes.is_empty(), "{notes:?}");
    // DTSTART alone with RDATEs: both count.
    let event =
        "SUMMARY:M\r\nDTSTART:20440104T090000\r\nDURATION:PT50M\r\nRDATE:20440105T090000\r\n";
    assert_eq!(
        starts(&rows_of(&calendar(event), Tz::UTC).0),
        ["2044-01-04 09:00", "2044-01-05 09:00"]
    );
}

#[test]
fn a_rule_that_gives_no_date_is_a_warning() {
    let event = "SUMMARY:M\r\nDTSTART:20440104T090000\r\nDTEND:20440104T095000\r\n\
                 RRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30;COUNT=3\r\n";
    let (rows, notes) = rows_of(&calendar(event), Tz::UTC);
    assert!(rows.is_empty());
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert!(
        notes[0].starts_with("line 3: RRULE") && notes[0].contains("gives no date"),
        "{notes:?}"
    );
}

/// Outlook's "Customized Time Zone": no zone has its name, its VTIMEZONE defines it
/// (here Central European rules). Times become instants, shown in the configured zone.
#[test]
fn a_zone_only_the_file_defines_is_computed_from_its_rules() {
    let text = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n\
        BEGIN:VEVENT\r\nUID:u\r\nSUMMARY:M\r\n\
        DTSTART;TZID=\"Customized Time Zone\":20440606T100000\r\n\
        DTEND;TZID=\"Customized Time Zone\":20440606T105000\r\n\
        RDATE;TZID=\"Customized Time Zone\":20441107T100000\r\nEND:VEVENT\r\n\
        BEGIN:VTIMEZONE\r\nTZID:Customized Time Zone\r\nBEGIN:STANDARD\r\n\
        DTSTART:16010101T030000\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\n\
        RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=10\r\nEND:STANDARD\r\n\
        BEGIN:DAYLIGHT\r\nDTSTART:16010101T020000\r\nTZOFFSETFROM:+0100\r\n\
        TZOFFSETTO:+0200\r\nRRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=3\r\n\
        END:DAYLIGHT\r\nEND:VTIMEZONE\r\nEND:VCALENDAR\r\n";
    let (rows, _) = rows_of(text, Tz::UTC);
    assert_eq!(starts(&rows), ["2044-06-06 08:00", "2044-11-07 09:00"]);
    assert!(rows.iter().all(|r| r.timezone.as_deref() == Some("UTC")));
    assert_eq!(rows[0].end_time.format("%H:%M").to_string(), "08:50");
    let (rows, _) = rows_of(text, "Europe/Berlin".parse().unwrap());
    assert_eq!(starts(&rows), ["2044-06-06 10:00", "2044-11-07 10:00"]);
    assert!(
        rows.iter()
            .all(|r| r.timezone.as_deref() == Some("Europe/Berlin"))
    );
    // A TZID with neither a known name nor a VTIMEZONE is still refused.
    let unknown =
        calendar("SUMMARY:M\r\nDTSTART;TZID=Nowhere:20440606T100000\r\nDURATION:PT1H\r\n");
    let pre = prescan(unknown.as_bytes()).unwrap();
    let e = sessions(unknown.as_bytes(), Tz::UTC, pre, None)
        .next()
        .unwrap()
        .unwrap_err();
    assert!(e.reason.contains("no VTIMEZONE"), "{e}");
}

#[test]
fn custom_zone_offsets_follow_their_transitions() {
    let text = "BEGIN:VTIMEZONE\r\nTZID:X\r\nBEGIN:STANDARD\r\nDTSTART:19701025T030000\r\n\
        TZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nRRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10\r\n\
        END:STANDARD\r\nBEGIN:DAYLIGHT\r\nDTSTART:19700329T020000\r\nTZOFFSETFROM:+0100\r\n\
        TZOFFSETTO:+0200\r\nRRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3\r\nEND:DAYLIGHT\r\n\
        END:VTIMEZONE\r\n";
    let vtz = read_components(text).unwrap().swap_remove(0);
    let zone = zones::CustomZone::from_vtimezone(&vtz).unwrap();
    let berlin: Tz = "Europe/Berlin".parse().unwrap();
    let mut t = NaiveDate::from_ymd_opt(2030, 1, 1)
        .unwrap()
        .and_time(NaiveTime::MIN);
    while chrono::Datelike::year(&t.date()) < 2032 {
        let expected = chrono::TimeZone::from_local_datetime(&berlin, &t)
            .earliest()
            .map(|i| i.with_timezone(&Utc));
        if let Some(expected) = expected {
            assert_eq!(zone.instant(t), expected, "{t}");
            assert_eq!(zone.local(expected), t, "{t}");
        }
        t += Duration::minutes(97);
    }
}

#[test]
fn holidays_recur_and_refuse_an_end_before_their_start() {
    let yearly = calendar(
        "SUMMARY:Founders\\, day\r\nDTSTART;VALUE=DATE:20441225\r\nDTEND;VALUE=DATE:20441227\r\n\
         RRULE:FREQ=YEARLY;COUNT=3\r\nEXDATE;VALUE=DATE:20451225\r\n",
    );
    let found = all_day_ranges(yearly.as_bytes()).unwrap();
    let ranges: Vec<(String, String, String)> = found
        .ranges
        .iter()
        .map(|r| (r.name.clone(), r.first.to_string(), r.last.to_string()))
        .collect();
    assert_eq!(
        ranges,
        [
            (
                "Founders, day".into(),
                "2044-12-25".into(),
                "2044-12-26".into()
            ),
            (
                "Founders, day".into(),
                "2046-12-25".into(),
                "2046-12-26".into()
            ),
        ]
    );
    let backwards =
        calendar("SUMMARY:X\r\nDTSTART;VALUE=DATE:20441225\r\nDTEND;VALUE=DATE:20441220\r\n");
    let e = all_day_ranges(backwards.as_bytes()).unwrap_err();
    assert!(
        e.starts_with("line 3: DTEND 20441220 is before DTSTART 20441225"),
        "{e}"
    );
    let never = calendar(
        "SUMMARY:X\r\nDTSTART;VALUE=DATE:20440101\r\nRRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30;COUNT=2\r\n",
    );
    let found = all_day_ranges(never.as_bytes()).unwrap();
    assert!(found.ranges.is_empty());
    assert_eq!(found.warnings.len(), 1, "{:?}", found.warnings);
}

#[test]
fn bad_utf8_names_its_line_and_ends_the_rows() {
    let mut bytes = b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:".to_vec();
    bytes.extend_from_slice(&[0xff, 0xfe]);
    bytes.extend_from_slice(b"\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n");
    let rows: Vec<_> = sessions(&bytes[..], Tz::UTC, Prescan::default(), None).collect();
    assert_eq!(rows.len(), 1);
    assert_eq!(
        rows[0].as_ref().err().map(|e| e.to_string()).as_deref(),
        Some("line 3: not UTF-8 text")
    );
}
