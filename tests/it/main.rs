//! The integration tests of `attctl`, one binary: each module was once its own test file
//! (one feature each); `common` is the shared harness.

#[macro_use]
extern crate attctl_testkit;

mod common;

mod assets;
mod bulk_requests;
mod calendar_files;
mod class_notify_email;
mod config;
mod day_at_terminal;
mod doctor;
mod dry_run;
mod events_list;
mod first_hour;
mod hatchet_limits;
mod hatchet_scheduling;
mod help;
mod import_memory;
mod import_requests;
mod local_store;
mod lost_answers;
mod notify_faults;
mod original_app;
mod registers;
mod reliability;
mod report;
mod school;
mod session_close_delete;
mod session_create;
mod session_list;
mod session_reschedule;
mod staff;
mod store_contract;
mod supabase_api;
mod terminal_surface;
mod terminal_tables;
mod timetables;
