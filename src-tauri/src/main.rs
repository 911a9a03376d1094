//! The `modroute-desktop` binary: starts the app. Everything else lives in the library
//! (`lib.rs`), so tests can build the same app on Tauri's mock runtime.

// Release builds on Windows are GUI apps: no console window next to the main window.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    modroute_desktop_lib::run();
}
