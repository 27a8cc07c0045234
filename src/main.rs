//! The `attctl` binary: everything lives in the library.

#![warn(unreachable_pub)]

fn main() {
    std::process::exit(attctl::run(std::env::args_os()));
}
