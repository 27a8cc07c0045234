//! The registers check (`registers`): whether the store holds the original app's
//! registers, and whether automark and late marks at close are on.

use super::*;
use crate::registers::{RegisterSettings, RegistersInfo};

const NAME: &str = "registers";
const UNSET: &str = "unset ATTCTL_AUTOMARK and ATTCTL_LATE_AFTER (or automark / late_after \
                     in the profile): they need the original app's tables";

/// On Supabase: what `attctl_registers_info()` answers, and the switches.
pub(super) fn registers_check(info: Result<RegistersInfo>, switches: &RegisterSettings) -> Check {
    match info {
        Err(e) => Check::warn(
            NAME,
            format!("not checked: {e}"),
            "see the supabase checks above",
        ),
        Ok(info) if info.registers => {
            let teachers = if info.teachers {
                "; report registers --by teacher works"
            } else {
                ""
            };
            Check::ok(
                NAME,
                format!(
                    "the original app's registers are here (attendances, class_students); {}{teachers}",
                    switches.describe()
                ),
            )
        }
        Ok(_) => none_here(switches, "this database"),
    }
}

/// A store without the app's tables: fine unless a switch is on.
pub(super) fn none_here(switches: &RegisterSettings, store: &str) -> Check {
    if switches.any() {
        Check::fail(
            NAME,
            format!(
                "{} is on, but {store} has no registers (attendances, class_students)",
                switches.describe()
            ),
            UNSET,
        )
    } else {
        Check::ok(
            NAME,
            format!("{store} has no registers: automark and late marks do not apply"),
        )
    }
}
