//! Finding a class by the name someone typed: exact first, then a unique match ignoring
//! case, else an error naming the candidates or the closest names.

use crate::error::{Error, Result};
use crate::session::Class;

/// A class name that matched nothing exactly: a unique case-insensitive match is taken;
/// otherwise the error names the candidates (ambiguous) or the closest names (a typo).
pub(super) fn resolve_class_name(name: &str, classes: &[Class]) -> Result<i64> {
    let folded = name.to_lowercase();
    let same: Vec<&Class> = classes
        .iter()
        .filter(|c| c.name.to_lowercase() == folded)
        .collect();
    match same.as_slice() {
        [one] => return Ok(one.id),
        [] => {}
        many => {
            let names: Vec<String> = many
                .iter()
                .map(|c| format!("{:?} (id {})", c.name, c.id))
                .collect();
            return Err(Error::invalid(format!(
                "class {name:?} matches {} classes when case is ignored: {}; give the exact \
                 name or the id (`--class id:N`)",
                many.len(),
                names.join(", ")
            )));
        }
    }
    let mut close: Vec<(usize, &Class)> = classes
        .iter()
        .map(|c| (edit_distance(&folded, &c.name.to_lowercase()), c))
        .filter(|(d, c)| *d <= (c.name.chars().count() / 3).max(2))
        .collect();
    close.sort_by_key(|(d, c)| (*d, c.id));
    let hint = match close.as_slice() {
        [] => "; `attctl class list` shows the classes".to_string(),
        some => format!(
            "; did you mean {}?",
            some.iter()
                .take(3)
                .map(|(_, c)| format!("{:?}", c.name))
                .collect::<Vec<_>>()
                .join(" or ")
        ),
    };
    Err(Error::NotFoundHint(format!(
        "class {name:?} not found{hint}"
    )))
}

/// Levenshtein distance over characters: class lists are short, so O(n·m) is nothing.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod class_name_tests {
    use super::*;

    fn class(id: i64, name: &str) -> Class {
        Class {
            notify_emails: Vec::new(),
            id,
            name: name.into(),
            created_at: chrono::DateTime::UNIX_EPOCH,
            code: None,
        }
    }

    #[test]
    fn case_insensitive_unique_match_and_suggestions() {
        let classes = [
            class(1, "Year 7 (A)"),
            class(2, "Year 8 (B)"),
            class(3, "Maths"),
        ];
        assert_eq!(resolve_class_name("year 7 (a)", &classes).unwrap(), 1);
        let e = resolve_class_name("Year 7 (C)", &classes)
            .unwrap_err()
            .to_string();
        assert!(e.contains("did you mean \"Year 7 (A)\""), "{e}");
        let e = resolve_class_name("History", &classes)
            .unwrap_err()
            .to_string();
        assert!(e.contains("class list"), "{e}");
        let twins = [class(1, "Art"), class(2, "ART")];
        assert!(matches!(
            resolve_class_name("art", &twins),
            Err(Error::Invalid(_))
        ));
    }
}
