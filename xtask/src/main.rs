//! `cargo xtask`: set up, build, run and test modroute with one command each.
//!
//! ```text
//! cargo xtask setup [--ci] [--app] [--dry-run]   install what is missing (Debian/Ubuntu)
//! cargo xtask run [-- ARGS…]                     build the UI, run the desktop app
//! cargo xtask test [--skip-ui] [--skip-e2e] [--no-setup]
//!                                                every check, as CI runs it
//! cargo xtask bench [--no-setup] [FILTER…]       run benches/*.sh and benches/*.mjs
//! cargo xtask screenshots [--no-setup]           the README's pictures of the real window
//! cargo xtask bundle [--no-setup] [--appimage]   the .deb (and AppImage) with the Tauri bundler
//! ```
//!
//! Modules: [`setup`] (system packages, Go, Node, tauri-driver, `npm ci`), [`test`] (the ordered
//! steps), [`hermetic`] (the `$HOME` snapshot and diff), [`display`] (Xvfb), [`bench`],
//! [`screenshots`] (the README's pictures), [`bundle`] (Linux packages), [`util`] (running commands, timing, the test
//! environment). Dependencies are std and anyhow only, so `cargo xtask` compiles in seconds on
//! a fresh clone.

mod bench;
mod bundle;
mod display;
mod gomatrix;
mod hermetic;
mod screenshots;
mod setup;
mod test;
mod util;

use std::process::{Command, ExitCode};

use anyhow::{Result, bail};

const USAGE: &str = "\
usage: cargo xtask <command> [options]

commands:
  setup [--ci] [--app] [--dry-run]
        install what the build and the tests need (apt on Debian/Ubuntu; Go from
        bookworm-backports on Debian 12; tauri-driver; ui/node_modules). --app: only
        what `run` needs. --dry-run: print the commands, change nothing. --ci: also
        print the versions of the tools, for CI logs
  run [-- ARGS...]
        set up the app's dependencies, build the UI, `cargo run -p modroute-desktop`
  test [--skip-ui] [--skip-e2e] [--no-setup]
        set up, then: npm ci, cargo fetch, UI build, fmt, clippy, cargo test, UI check,
        UI unit and browser tests, desktop build, window tests under Xvfb, and the
        hermeticity check of $HOME
  bench [--no-setup] [FILTER...]
        build, then run benches/*.sh and benches/*.mjs (names containing a FILTER)
  screenshots [--no-setup]
        build the UI, the app and the CLI, then take the README's pictures of the real
        window under Xvfb (e2e/screenshots.mjs) into docs/screenshots/
  bundle [--no-setup] [--appimage]
        build the UI, the CLI and the release app, then the .deb with the Tauri bundler
        (the Tauri CLI, installed into target/tauri-cli on first use) into
        target/release/bundle/deb/, with `modroute` in /usr/bin;
        check it with dpkg-deb. --appimage: also try the AppImage (the bundler downloads
        linuxdeploy from GitHub, so it fails offline and says what is missing)
  help  this text
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match dispatch(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("\nerror: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn dispatch(args: &[String]) -> Result<()> {
    let (command, rest) = match args.split_first() {
        Some((command, rest)) => (command.as_str(), rest),
        None => ("help", &[][..]),
    };
    match command {
        "setup" => {
            let flags = Flags::parse(rest, &["--ci", "--app", "--dry-run"])?;
            setup::setup(setup::Options {
                scope: if flags.has("--app") {
                    setup::Scope::App
                } else {
                    setup::Scope::Full
                },
                dry_run: flags.has("--dry-run"),
                npm_ci: !flags.has("--dry-run"),
            })?;
            if flags.has("--ci") {
                setup::print_versions();
            }
            Ok(())
        }
        "run" => run_app(rest),
        "test" => {
            let flags = Flags::parse(rest, &["--skip-ui", "--skip-e2e", "--no-setup"])?;
            test::test(test::Options {
                skip_ui: flags.has("--skip-ui"),
                skip_e2e: flags.has("--skip-e2e"),
                no_setup: flags.has("--no-setup"),
            })
        }
        "bench" => {
            let no_setup = rest.iter().any(|a| a == "--no-setup");
            let filters: Vec<String> = rest
                .iter()
                .filter(|a| *a != "--no-setup")
                .cloned()
                .collect();
            if let Some(flag) = filters.iter().find(|f| f.starts_with('-')) {
                bail!("unknown option `{flag}` for `bench`\n\n{USAGE}");
            }
            bench::bench(&filters, no_setup)
        }
        "screenshots" => {
            let flags = Flags::parse(rest, &["--no-setup"])?;
            screenshots::screenshots(flags.has("--no-setup"))
        }
        "bundle" => {
            let flags = Flags::parse(rest, &["--no-setup", "--appimage"])?;
            bundle::bundle(bundle::Options {
                no_setup: flags.has("--no-setup"),
                appimage: flags.has("--appimage"),
            })
        }
        "help" | "-h" | "--help" => {
            print!("{USAGE}");
            Ok(())
        }
        other => bail!("unknown command `{other}`\n\n{USAGE}"),
    }
}

/// `cargo xtask run`: the app's dependencies, the UI build, then the app with the developer's
/// own environment (it is the developer's Go set-up the app is meant to show).
fn run_app(args: &[String]) -> Result<()> {
    let args = match args.split_first() {
        Some((dashdash, rest)) if dashdash == "--" => rest,
        _ => args,
    };
    setup::setup(setup::Options {
        scope: setup::Scope::App,
        dry_run: false,
        npm_ci: true,
    })?;
    let root = util::workspace_root();
    util::timed("ui: npm run build", || {
        util::run(
            Command::new("npm")
                .args(["run", "build"])
                .current_dir(root.join("ui")),
        )
    })?;
    util::run(
        util::cargo()
            .args(["run", "-p", "modroute-desktop", "--"])
            .args(args)
            .current_dir(&root),
    )
}

/// Boolean flags of one subcommand.
struct Flags(Vec<String>);

impl Flags {
    fn parse(args: &[String], known: &[&str]) -> Result<Self> {
        if let Some(unknown) = args.iter().find(|a| !known.contains(&a.as_str())) {
            bail!(
                "unknown option `{unknown}` (expected one of: {})\n\n{USAGE}",
                known.join(" ")
            );
        }
        Ok(Self(args.to_vec()))
    }

    fn has(&self, flag: &str) -> bool {
        self.0.iter().any(|a| a == flag)
    }
}
