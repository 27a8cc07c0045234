//! Reading a calendar stream: content lines unfolded with the line each starts on, and the
//! top-level components (VEVENT, VTIMEZONE, ...) one at a time, so a file of any size is
//! read holding one component.

use std::io::BufRead;

use icalendar::parser::{Component, read_components};

use crate::calendar::RowError;

/// Content lines of a stream, unfolded (a line starting with a space or tab continues the
/// one before), each with the number of the physical line it starts on. Only one logical
/// line is held at a time.
pub(super) struct Unfolded<R: BufRead> {
    input: R,
    /// Physical lines read so far.
    line_no: u64,
    /// The logical line being assembled, and where it started.
    current: Option<(u64, String)>,
    raw: Vec<u8>,
    done: bool,
}

impl<R: BufRead> Unfolded<R> {
    fn new(input: R) -> Self {
        Unfolded {
            input,
            line_no: 0,
            current: None,
            raw: Vec::new(),
            done: false,
        }
    }
}

impl<R: BufRead> Iterator for Unfolded<R> {
    type Item = Result<(u64, String), RowError>;

    fn next(&mut self) -> Option<Self::Item> {
        while !self.done {
            self.raw.clear();
            match self.input.read_until(b'\n', &mut self.raw) {
                Ok(0) => {
                    self.done = true;
                    return self.current.take().map(Ok);
                }
                Ok(_) => {}
                Err(e) => {
                    self.done = true;
                    return Some(Err(RowError {
                        line: self.line_no + 1,
                        reason: format!("cannot read: {e}"),
                    }));
                }
            }
            self.line_no += 1;
            let mut bytes: &[u8] = &self.raw;
            if self.line_no == 1 && bytes.starts_with(b"\xEF\xBB\xBF") {
                bytes = &bytes[3..];
            }
            while let Some((b'\n' | b'\r', rest)) = bytes.split_last() {
                bytes = rest;
            }
            let Ok(text) = std::str::from_utf8(bytes) else {
                self.done = true;
                return Some(Err(RowError {
                    line: self.line_no,
                    reason: "not UTF-8 text".into(),
                }));
            };
            if let Some(rest) = text.strip_prefix([' ', '\t']) {
                match self.current.as_mut() {
                    Some((_, line)) => line.push_str(rest),
                    None => self.current = Some((self.line_no, rest.to_string())),
                }
                continue;
            }
            let previous = self.current.replace((self.line_no, text.to_string()));
            if let Some(line) = previous {
                return Some(Ok(line));
            }
        }
        None
    }
}

/// Appends one content line to a component's text for the parser: its name in capitals
/// (names are case-insensitive, and the parser only unescapes the TEXT values of names it
/// knows, which it compares in capitals), then CRLF. The parser looks for the end of each
/// value by searching for CRLF first: with LF alone that search ran to the end of the
/// component for every line, so parsing was quadratic in the component's lines.
pub(super) fn push_content_line(text: &mut String, line: &str) {
    let name_end = line.find([';', ':']).unwrap_or(line.len());
    let (name, rest) = line.split_at(name_end);
    text.extend(name.chars().map(|c| c.to_ascii_uppercase()));
    text.push_str(rest);
    text.push_str("\r\n");
}

/// One component at the top level of a calendar (a VEVENT, a VTIMEZONE, ...), as its
/// unfolded text, with the line it starts on.
pub(super) struct Block {
    pub(super) name: String,
    pub(super) line: u64,
    pub(super) text: String,
}

impl Block {
    /// The component parsed (it borrows the block's text).
    pub(super) fn parse(&self) -> Result<Component<'_>, String> {
        read_components(&self.text)
            .ok()
            .and_then(|mut c| (!c.is_empty()).then(|| c.swap_remove(0)))
            .ok_or_else(|| format!("{} cannot be parsed as iCalendar", self.name))
    }
}

/// The top-level components of a calendar stream, one at a time: a file of any size is
/// read holding one component.
pub(super) struct Blocks<R: BufRead> {
    lines: Unfolded<R>,
    started: bool,
    done: bool,
}

pub(super) fn blocks<R: BufRead>(input: R) -> Blocks<R> {
    Blocks {
        lines: Unfolded::new(input),
        started: false,
        done: false,
    }
}

fn begin_end(line: &str) -> Option<(bool, String)> {
    let (key, value) = line.split_once(':')?;
    let begin = if key.trim().eq_ignore_ascii_case("BEGIN") {
        true
    } else if key.trim().eq_ignore_ascii_case("END") {
        false
    } else {
        return None;
    };
    Some((begin, value.trim().to_ascii_uppercase()))
}

impl<R: BufRead> Iterator for Blocks<R> {
    type Item = Result<Block, RowError>;

    fn next(&mut self) -> Option<Self::Item> {
        let mut block: Option<Block> = None;
        let mut depth = 0usize;
        while !self.done {
            let (line_no, line) = match self.lines.next() {
                None => break,
                Some(Err(e)) => {
                    self.done = true;
                    return Some(Err(e));
                }
                Some(Ok(l)) => l,
            };
            if line.trim().is_empty() {
                continue;
            }
            if !self.started {
                if begin_end(&line) != Some((true, "VCALENDAR".into())) {
                    self.done = true;
                    return Some(Err(RowError {
                        line: line_no,
                        reason: "not an iCalendar file (no BEGIN:VCALENDAR)".into(),
                    }));
                }
                self.started = true;
                continue;
            }
            let marker = begin_end(&line);
            match block.as_mut() {
                None => match marker {
                    Some((true, name)) => {
                        depth = 1;
                        let mut text = String::new();
                        push_content_line(&mut text, &line);
                        block = Some(Block {
                            line: line_no,
                            text,
                            name,
                        });
                    }
                    // The calendar ends; a second one may follow.
                    Some((false, name)) if name == "VCALENDAR" => self.started = false,
                    _ => {} // a calendar property (VERSION, PRODID, X-WR-TIMEZONE, ...)
                },
                Some(b) => {
                    push_content_line(&mut b.text, &line);
                    match marker {
                        Some((true, _)) => depth += 1,
                        Some((false, _)) => {
                            depth -= 1;
                            if depth == 0 {
                                return block.map(Ok);
                            }
                        }
                        None => {}
                    }
                }
            }
        }
        self.done = true;
        block.map(|b| {
            Err(RowError {
                line: b.line,
                reason: format!("BEGIN:{} has no END:{}", b.name, b.name),
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_unfolded_with_the_line_they_start_on() {
        let text =
            "\u{feff}BEGIN:VCALENDAR\r\nDESCRIPTION:one\r\n  two\r\n\tthree\r\nEND:VCALENDAR";
        let lines: Vec<(u64, String)> =
            Unfolded::new(text.as_bytes()).map(|l| l.unwrap()).collect();
        assert_eq!(
            lines,
            [
                (1, "BEGIN:VCALENDAR".to_string()),
                (2, "DESCRIPTION:one twothree".to_string()),
                (5, "END:VCALENDAR".to_string()),
            ]
        );
    }

    #[test]
    fn blocks_are_the_top_level_components_with_their_lines() {
        let text = "BEGIN:VCALENDAR\nVERSION:2.0\nBEGIN:VTIMEZONE\nTZID:X\nBEGIN:STANDARD\n\
                    END:STANDARD\nEND:VTIMEZONE\nBEGIN:VEVENT\nBEGIN:VALARM\nEND:VALARM\n\
                    END:VEVENT\nEND:VCALENDAR\n";
        let found: Vec<(String, u64)> = blocks(text.as_bytes())
            .map(|b| b.map(|b| (b.name, b.line)).unwrap())
            .collect();
        assert_eq!(
            found,
            [("VTIMEZONE".to_string(), 3), ("VEVENT".to_string(), 8)]
        );

        let unended = "BEGIN:VCALENDAR\nBEGIN:VEVENT\nSUMMARY:x\n";
        let e = blocks(unended.as_bytes()).next().unwrap().err().unwrap();
        assert_eq!(e.to_string(), "line 2: BEGIN:VEVENT has no END:VEVENT");
        let not_ics = "hello\n";
        let e = blocks(not_ics.as_bytes()).next().unwrap().err().unwrap();
        assert!(
            e.to_string().starts_with("line 1: not an iCalendar file"),
            "{e}"
        );
    }

    /// The parser finds the end of each value by searching for CRLF first: every line it is
    /// given must end in CRLF, or each search runs to the end of the component and parsing
    /// is quadratic in its lines (a million EXDATE lines never finished).
    #[test]
    fn components_reach_the_parser_with_crlf_lines_and_capital_names() {
        let text = "BEGIN:VCALENDAR\nbegin:vevent\nsummary;language=en:a\r\nDtStart:20400101T090000\n\
                    END:VEVENT\nEND:VCALENDAR\n";
        let block = blocks(text.as_bytes()).next().unwrap().unwrap();
        assert_eq!(
            block.text,
            "BEGIN:vevent\r\nSUMMARY;language=en:a\r\nDTSTART:20400101T090000\r\nEND:VEVENT\r\n"
        );
        assert_eq!(
            block.text.matches('\n').count(),
            block.text.matches("\r\n").count()
        );
    }
}
