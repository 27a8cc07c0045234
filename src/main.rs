//! The `attctl` binary: everything lives in the library.

fn main() {
    std::process::exit(attctl::run(std::env::args_os()));
}
