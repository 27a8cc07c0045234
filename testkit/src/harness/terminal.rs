//! A command run on a pseudo-terminal of a given size, as a person at a terminal runs it:
//! util-linux `script` gives the program a real tty (so tables, colours, prompts and
//! progress bars take their terminal path), and `stty` sets the width it sees.
//!
//! What the terminal received (stdout and stderr together, as on a screen) comes back in
//! [`Screen`], with the escape sequences kept for the tests that check colour and
//! [`Screen::lines`] giving the text a person reads.

use std::path::Path;

use super::{Outcome, TestEnv, binary};

/// The terminal a command is run on.
#[derive(Debug, Clone, Copy)]
pub struct Terminal {
    pub columns: u16,
    pub rows: u16,
}

impl Terminal {
    /// The narrowest terminal staff are expected to use.
    pub const NARROW: Terminal = Terminal {
        columns: 80,
        rows: 50,
    };

    pub fn columns(columns: u16) -> Terminal {
        Terminal {
            columns,
            ..Terminal::NARROW
        }
    }
}

/// What a command wrote to its terminal, and how it ended.
#[derive(Debug)]
pub struct Screen {
    pub code: i32,
    /// Everything written, escape sequences and `\r` included.
    pub raw: String,
}

impl Screen {
    /// The lines as displayed: escape sequences removed, each line's text after its last
    /// carriage return (what a redrawn progress bar leaves), trailing blanks trimmed.
    pub fn lines(&self) -> Vec<String> {
        strip_escapes(&self.raw)
            .split('\n')
            .map(|line| {
                let shown = line
                    .rsplit('\r')
                    .find(|part| !part.is_empty())
                    .unwrap_or("");
                shown.trim_end().to_string()
            })
            .collect()
    }

    /// The displayed text, one line per line.
    pub fn text(&self) -> String {
        self.lines().join("\n")
    }

    /// The widest displayed line, in characters.
    pub fn widest(&self) -> usize {
        self.lines()
            .iter()
            .map(|l| l.chars().count())
            .max()
            .unwrap_or(0)
    }

    /// The displayed lines that contain `needle`.
    pub fn lines_with(&self, needle: &str) -> Vec<String> {
        self.lines()
            .into_iter()
            .filter(|l| l.contains(needle))
            .collect()
    }

    pub fn assert_ok(&self) {
        assert_eq!(self.code, 0, "exit {}; screen:\n{}", self.code, self.text());
    }
}

/// Removes CSI (`ESC [ … final`) and OSC (`ESC ] … BEL/ST`) sequences and lone escapes.
pub fn strip_escapes(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\u{1b}' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('[') => {
                for c in chars.by_ref() {
                    if ('@'..='~').contains(&c) {
                        break;
                    }
                }
            }
            Some(']') => {
                while let Some(c) = chars.next() {
                    if c == '\u{7}' {
                        break;
                    }
                    if c == '\u{1b}' && chars.peek() == Some(&'\\') {
                        chars.next();
                        break;
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// Whether util-linux `script` (and so a pseudo-terminal) is available; tests that need
/// one say they were skipped when it is not.
pub fn terminal_available() -> bool {
    let found = std::process::Command::new("script")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        eprintln!("skipped: util-linux `script` is not installed");
    }
    found
}

fn shell_quote(arg: &str) -> String {
    if !arg.is_empty()
        && arg
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:=@,+%".contains(c))
    {
        arg.to_string()
    } else {
        format!("'{}'", arg.replace('\'', r"'\''"))
    }
}

impl TestEnv {
    /// Runs `program` (a path, e.g. [`binary`]`("attctl")`) with `args` on a terminal of
    /// `size`, typing `input`; `None` when no pseudo-terminal can be had (see
    /// [`terminal_available`]).
    pub fn on_terminal_program<S: AsRef<str>>(
        &self,
        program: &Path,
        args: &[S],
        size: Terminal,
        input: &str,
    ) -> Option<Screen> {
        if !terminal_available() {
            return None;
        }
        let mut line = format!(
            "stty cols {} rows {} 2>/dev/null; exec {}",
            size.columns,
            size.rows,
            shell_quote(&program.to_string_lossy())
        );
        for arg in args {
            line.push(' ');
            line.push_str(&shell_quote(arg.as_ref()));
        }
        let Outcome {
            code,
            stdout,
            stderr,
        } = self
            .attctl_program("script")
            .args(["-qec", &line, "/dev/null"])
            .env("COLUMNS", &size.columns.to_string())
            .env("LINES", &size.rows.to_string())
            .stdin(input)
            .run();
        let mut raw = stdout;
        raw.push_str(&stderr);
        Some(Screen { code, raw })
    }

    /// `attctl args…` on a terminal of `size`, typing `input`.
    pub fn on_terminal<S: AsRef<str>>(
        &self,
        args: &[S],
        size: Terminal,
        input: &str,
    ) -> Option<Screen> {
        self.on_terminal_program(&binary("attctl"), args, size, input)
    }
}
