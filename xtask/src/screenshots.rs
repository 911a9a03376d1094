//! `cargo xtask screenshots`: the README's pictures of the real window.
//!
//! Builds the UI, the desktop app, the command line and the loopback test servers (debug; the
//! app embeds `ui/dist`), starts a private Xvfb ([`crate::display`], 1280x800) and runs
//! `node e2e/screenshots.mjs`, which sets up a demo HOME (`/tmp/home-demo`, created fresh and
//! deleted afterwards), makes one switch with the CLI, starts `modroute-testserver` for the
//! Health panel's route, drives the window through tauri-driver and writes
//! `docs/screenshots/{overview,profiles,everywhere,history,settings,settings-targets,health,doctor,doctor-why,overview-zh-dark,health-zh-dark}.png`.
//! The script refuses to save a picture whose page contains the demo proxy password.
//!
//! The children get the test environment ([`crate::util::test_env`]) plus
//! `MODROUTE_DESKTOP_BIN`, `MODROUTE_CLI_BIN`, `MODROUTE_TESTSERVER_BIN` and `DISPLAY`.

use std::process::Command;

use anyhow::Result;

use crate::display::VirtualDisplay;
use crate::setup::{self, Scope};
use crate::test::{exe, test_path};
use crate::util::{self, run, timed};

/// Runs `cargo xtask screenshots` (`no_setup`: skip installing packages and tools).
pub fn screenshots(no_setup: bool) -> Result<()> {
    if !no_setup {
        setup::setup(setup::Options {
            scope: Scope::Full,
            dry_run: false,
            npm_ci: true,
        })?;
    }
    let root = util::workspace_root();
    let target = util::target_dir()?;
    let path = test_path();
    timed("ui: npm run build", || {
        run(util::test_env(&mut Command::new("npm"))
            .args(["run", "build"])
            .current_dir(root.join("ui")))
    })?;
    timed(
        "cargo build -p modroute-desktop -p modroute-cli -p modroute-testkit --bins",
        || {
            run(util::test_env(&mut util::cargo())
                .args([
                    "build",
                    "-p",
                    "modroute-desktop",
                    "-p",
                    "modroute-cli",
                    "-p",
                    "modroute-testkit",
                    "--bins",
                ])
                .current_dir(&root))
        },
    )?;
    let display = VirtualDisplay::start(&target.join("xtask").join("xvfb-screenshots.log"))?;
    timed("node e2e/screenshots.mjs", || {
        run(util::test_env(&mut Command::new("node"))
            .arg("e2e/screenshots.mjs")
            .current_dir(&root)
            .env("PATH", &path)
            .env("DISPLAY", &display.display)
            .env(
                "MODROUTE_DESKTOP_BIN",
                target.join("debug").join(exe("modroute-desktop")),
            )
            .env(
                "MODROUTE_CLI_BIN",
                target.join("debug").join(exe("modroute")),
            )
            .env(
                "MODROUTE_TESTSERVER_BIN",
                target.join("debug").join(exe("modroute-testserver")),
            ))
    })?;
    drop(display);
    println!(
        "\n==> pictures in {}: look at each one before committing",
        root.join("docs").join("screenshots").display()
    );
    Ok(())
}
