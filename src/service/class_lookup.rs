//! Finding a class by the name someone typed. Read-only commands take an exact name, then a
//! unique match ignoring case, else an error naming the candidates or the closest names.
//! Commands that change or delete a class or its sessions take the exact name or the id
//! only ([`exact_name_missing`]): a near match is a suggestion, never a target.

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
    let hint = match near_names(name, classes).as_slice() {
        [] => "; `attctl class list` shows the classes".to_string(),
        some => format!(
            "; did you mean {}?",
            some.iter()
                .take(3)
                .map(|c| format!("{:?}", c.name))
                .collect::<Vec<_>>()
                .join(" or ")
        ),
    };
    Err(Error::NotFoundHint(format!(
        "class {name:?} not found{hint}"
    )))
}

/// The classes whose name is near `name`: the same ignoring case first, then typos, closest
/// first (ties by id).
fn near_names<'a>(name: &str, classes: &'a [Class]) -> Vec<&'a Class> {
    near(name, classes, |c| (c.id, &c.name))
}

/// The items whose name (of `id_name`) is near `name`: those equal to it ignoring case if
/// any (then a typo elsewhere is not what was meant), else typos, closest first, ties by id.
fn near<'a, T>(name: &str, items: &'a [T], id_name: impl Fn(&T) -> (i64, &str)) -> Vec<&'a T> {
    let folded = name.to_lowercase();
    let same_letters: Vec<&T> = items
        .iter()
        .filter(|item| id_name(item).1.to_lowercase() == folded)
        .collect();
    if !same_letters.is_empty() {
        return same_letters;
    }
    let mut close: Vec<(usize, i64, &T)> = items
        .iter()
        .filter_map(|item| {
            let (id, other) = id_name(item);
            let d = edit_distance(&folded, &other.to_lowercase());
            (d <= (other.chars().count() / 3).max(2)).then_some((d, id, item))
        })
        .collect();
    close.sort_by_key(|(d, id, _)| (*d, *id));
    close.into_iter().map(|(_, _, item)| item).collect()
}

/// The error of a command that changes data when `name` is no class's exact name: the near
/// names (a different case, a typo) are suggested with their ids, never taken, so a retried
/// `class delete art --cascade --yes` cannot reach `Art`.
pub(crate) fn exact_name_missing(name: &str, classes: &[Class]) -> Error {
    no_exact_name("class", name, classes, |c| (c.id, &c.name))
}

/// `no WHAT named "x"; did you mean "X" (id:4)? Pass the exact name or id:4` (exit 3): the
/// one message of every destructive command given a name that is not exact.
pub(crate) fn no_exact_name<T>(
    what: &str,
    name: &str,
    items: &[T],
    id_name: impl Fn(&T) -> (i64, &str),
) -> Error {
    let near: Vec<(i64, &str)> = near(name, items, &id_name)
        .into_iter()
        .map(&id_name)
        .collect();
    let plural = if what.ends_with('s') {
        format!("{what}es")
    } else {
        format!("{what}s")
    };
    let hint = match near.as_slice() {
        [] => format!("; `attctl {what} list` shows the {plural}"),
        [(id, one)] => format!("; did you mean {one:?} (id:{id})? Pass the exact name or id:{id}"),
        some => format!(
            "; did you mean {}? Pass the exact name or its id:N",
            some.iter()
                .take(3)
                .map(|(id, n)| format!("{n:?} (id:{id})"))
                .collect::<Vec<_>>()
                .join(" or ")
        ),
    };
    Error::NotFoundHint(format!("no {what} named {name:?}{hint}"))
}

/// The existing class whose name differs from `name` only in case (a warning for `class
/// create` and `class rename`: two such classes are easily confused at the prompt).
pub(crate) fn case_twin<'a>(name: &str, classes: &'a [Class]) -> Option<&'a Class> {
    let folded = name.to_lowercase();
    classes
        .iter()
        .find(|c| c.name != name && c.name.to_lowercase() == folded)
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

    #[test]
    fn a_near_name_is_only_suggested_with_its_id() {
        let classes = [class(4, "Art"), class(5, "Maths")];
        assert_eq!(
            exact_name_missing("art", &classes).to_string(),
            "no class named \"art\"; did you mean \"Art\" (id:4)? Pass the exact name or id:4"
        );
        let e = exact_name_missing("History", &classes).to_string();
        assert!(e.contains("attctl class list"), "{e}");
        assert_eq!(case_twin("ART", &classes).map(|c| c.id), Some(4));
        assert_eq!(case_twin("Art", &classes), None);
    }
}
