//! `attctl-worker`: closes teaching sessions at their end. See the library for how.

#![warn(unreachable_pub)]

fn main() {
    let code = attctl_worker::run(std::env::args_os());
    // Exit without waiting for threads a stuck Hatchet generation may still hold: every
    // part that needed to finish has been waited for (within its bound) by `run`.
    std::process::exit(code);
}
