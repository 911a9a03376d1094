//! `cargo xtask test`: every check the project has, in one fixed order, failing fast.
//!
//! The order matters: the UI is built before anything compiles the desktop crate (Tauri embeds
//! `ui/dist` at compile time), formatting and lints run before the slow test suites, and the
//! window tests come last because they need the desktop binary and the loopback test servers
//! (`modroute-testserver`, passed to them as `MODROUTE_TESTSERVER_BIN`).
//!
//! Each step is timed and named; the first failure stops the run with that name. The run ends
//! with a table of steps and times and the plain line `N passed, M failed` (the runners' own
//! summaries — cargo test's, node --test's — are printed above it by the runners themselves).
//!
//! Install steps (`npm ci`, `cargo fetch`) keep the developer's environment, proxies included, so
//! downloads work behind a proxy. Every other step runs in [`util::test_env`]: Go's and the
//! proxies' variables removed, `GOTOOLCHAIN=local` and friends set, and `HOME` a new, empty
//! directory ([`TestHome`]) that must hold nothing but tool caches afterwards — so a test that
//! writes to "the user's" HOME fails on every machine, not only where the path was missing. The
//! real `$HOME` is also snapshotted before the first step and compared after the last
//! ([`crate::hermetic`]).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow, bail};

use crate::display::VirtualDisplay;
use crate::gomatrix;
use crate::hermetic::{self, HomeCheck, Rule, TestHome};
use crate::setup::{self, Scope};
use crate::util::{self, human, run};

/// Options of `cargo xtask test`.
#[derive(Clone, Copy, Debug, Default)]
pub struct Options {
    /// Skip the UI's own checks and tests (`npm run check`, `npm test`, `npm run test:browser`).
    pub skip_ui: bool,
    /// Skip the desktop build and the window (WebDriver) tests.
    pub skip_e2e: bool,
    /// Skip the set-up phase (system packages, node, tauri-driver).
    pub no_setup: bool,
}

/// What a step reports when it passes.
enum Passed {
    Ran,
    /// Passed without doing work (for example `npm ci` when `node_modules` is current).
    UpToDate,
}

type Action<'a> = Box<dyn FnOnce() -> Result<Passed> + 'a>;

/// One step: a name and what it does, or why it is skipped.
struct Step<'a> {
    name: &'static str,
    action: Result<Action<'a>, &'static str>,
}

fn step<'a>(name: &'static str, action: impl FnOnce() -> Result<Passed> + 'a) -> Step<'a> {
    Step {
        name,
        action: Ok(Box::new(action)),
    }
}

fn skipped(name: &'static str, why: &'static str) -> Step<'static> {
    Step {
        name,
        action: Err(why),
    }
}

/// How a step ended, for the summary.
enum Outcome {
    Passed(Passed),
    Skipped(&'static str),
    /// The error, shown again after the summary so the cause is the last thing in the log.
    Failed(String),
    /// An earlier step failed.
    NotRun,
}

/// Runs `cargo xtask test`.
pub fn test(opts: Options) -> Result<()> {
    let start = Instant::now();
    if !opts.no_setup {
        setup::setup(setup::Options {
            scope: Scope::Full,
            dry_run: false,
            npm_ci: false,
        })?;
    }
    let root = util::workspace_root();
    let ui = root.join("ui");
    let target = util::target_dir()?;
    let desktop_bin = target.join("debug").join(exe("modroute-desktop"));
    let testserver_bin = target.join("debug").join(exe("modroute-testserver"));
    let path = test_path();
    let home = util::home_dir().context("$HOME is not set: the hermeticity check needs it")?;
    let test_home = TestHome::create(&home).context("creating the test steps' HOME")?;
    let go_matrix = gomatrix::env_value(&gomatrix::ensure(&target)?)?;

    // The environment of every step but the install ones: a new, empty HOME among the rest.
    let tenv = |mut cmd: Command| -> Command {
        util::test_env(&mut cmd)
            .env("PATH", &path)
            .env(gomatrix::ENV, &go_matrix);
        test_home.apply(&mut cmd);
        cmd
    };
    let npm = |script: &'static [&'static str]| {
        let ui = &ui;
        move || -> Result<Passed> {
            let mut cmd = tenv(Command::new("npm"));
            run(cmd.args(script).current_dir(ui))?;
            Ok(Passed::Ran)
        }
    };
    let cargo = |args: &'static [&'static str]| {
        let root = &root;
        move || -> Result<Passed> {
            run(tenv(util::cargo()).args(args).current_dir(root))?;
            Ok(Passed::Ran)
        }
    };

    if home.parent().is_none() {
        bail!(
            "$HOME is `{}`: the hermeticity check needs a real home directory",
            home.display()
        );
    }
    let check = snapshot_home(&home, &root, &target)?;
    // Other accounts' homes the tests could reach (root's through `sudo go`, the sudo tests'
    // account): snapshotted too, where this user can read them.
    let passwd = std::fs::read_to_string("/etc/passwd").unwrap_or_default();
    let other_checks: Vec<(String, PathBuf, HomeCheck)> =
        hermetic::account_homes(&passwd, hermetic::OTHER_ACCOUNTS, &home)
            .into_iter()
            .filter_map(|(name, dir)| {
                let inside = [(std::env::temp_dir(), "the temporary directory")];
                match HomeCheck::start(&dir, &inside) {
                    Ok(check) => {
                        println!(
                            "    and {name}'s HOME {} ({} paths)",
                            dir.display(),
                            check.len()
                        );
                        Some((name, dir, check))
                    }
                    Err(e) => {
                        println!(
                            "    {name}'s HOME {} cannot be read here: {e}",
                            dir.display()
                        );
                        None
                    }
                }
            })
            .collect();

    let mut steps = vec![
        step("npm ci (ui)", || {
            Ok(if setup::npm_ci_if_needed()? {
                Passed::Ran
            } else {
                Passed::UpToDate
            })
        }),
        step("cargo fetch", || {
            run(util::cargo().arg("fetch").current_dir(&root))?;
            Ok(Passed::Ran)
        }),
        step("ui: npm run build", npm(&["run", "build"])),
        step(
            "cargo fmt --check",
            cargo(&["fmt", "--all", "--", "--check"]),
        ),
        step(
            "cargo clippy",
            cargo(&[
                "clippy",
                "--workspace",
                "--all-targets",
                "--",
                "-D",
                "warnings",
            ]),
        ),
        step("cargo test", cargo(&["test", "--workspace"])),
    ];
    if opts.skip_ui {
        for name in [
            "ui: npm run check",
            "ui: npm test",
            "ui: npm run test:browser",
        ] {
            steps.push(skipped(name, "--skip-ui"));
        }
    } else {
        steps.push(step("ui: npm run check", npm(&["run", "check"])));
        steps.push(step("ui: npm test", npm(&["test"])));
        steps.push(step(
            "ui: npm run test:browser",
            npm(&["run", "test:browser"]),
        ));
    }
    if opts.skip_e2e {
        steps.push(skipped("cargo build (desktop, test servers)", "--skip-e2e"));
        steps.push(skipped("e2e: node --test e2e/", "--skip-e2e"));
    } else {
        steps.push(step(
            "cargo build (desktop, test servers)",
            cargo(&[
                "build",
                "-p",
                "modroute-desktop",
                "-p",
                "modroute-testkit",
                "--bins",
            ]),
        ));
        steps.push(step("e2e: node --test e2e/", || {
            let display = VirtualDisplay::start(&target.join("xtask").join("xvfb.log"))?;
            run(tenv(Command::new("node"))
                .args(["--test", "e2e/"])
                .current_dir(&root)
                .env("DISPLAY", &display.display)
                .env("MODROUTE_DESKTOP_BIN", &desktop_bin)
                .env("MODROUTE_TESTSERVER_BIN", &testserver_bin))?;
            Ok(Passed::Ran)
        }));
    }
    steps.push(step("hermeticity of the test HOME", || {
        let left = test_home
            .leftovers()
            .context("listing what the steps left in their HOME")?;
        if left.is_empty() {
            println!(
                "    {} holds nothing but caches",
                test_home.path().display()
            );
            return Ok(Passed::Ran);
        }
        let shown: Vec<String> = left
            .iter()
            .take(50)
            .map(|p| format!("  + ~/{}\n", p.display()))
            .collect();
        Err(anyhow!(
            "the steps ran with HOME={} (new and empty) and left these in it; something under \
             test writes to the user's HOME instead of a temporary one:\n{}",
            test_home.path().display(),
            shown.concat()
        ))
    }));
    steps.push(step("hermeticity of $HOME", || {
        for (name, dir, other) in &other_checks {
            if let Some(report) = other
                .finish()
                .with_context(|| format!("snapshotting {} again", dir.display()))?
            {
                return Err(anyhow!(
                    "the run changed {name}'s HOME ({}); tests must not reach other accounts' \
                     files:\n{report}",
                    dir.display()
                ));
            }
            println!("    {name}'s HOME {} is untouched", dir.display());
        }
        match check.finish().context("snapshotting $HOME again")? {
            None => {
                println!("    {} is untouched", home.display());
                Ok(Passed::Ran)
            }
            Some(report) => Err(anyhow!(
                "the run changed the real HOME ({}); tests must use a temporary HOME:\n{report}\
                 (if a path is your own activity, not the tests', rerun with \
                 XTASK_HERMETIC_EXCLUDE=<path relative to HOME>)",
                home.display()
            )),
        }
    }));

    let results = run_steps(steps);
    print_summary(&results, start.elapsed());
    let failure = results.iter().find_map(|(name, outcome, _)| match outcome {
        Outcome::Failed(error) => Some((name, error)),
        _ => None,
    });
    match failure {
        Some((name, error)) => Err(anyhow!("step `{name}` failed: {error}")),
        None => Ok(()),
    }
}

/// Snapshots `home` for the hermeticity check and prints what is left out and why.
fn snapshot_home(home: &Path, root: &Path, target: &Path) -> Result<HomeCheck> {
    println!("==> snapshot of {} (hermeticity check) …", home.display());
    let started = Instant::now();
    let mut inside = vec![
        (root.to_path_buf(), "this checkout: the steps build into it"),
        (target.to_path_buf(), "cargo's target directory"),
        (
            std::env::temp_dir(),
            "the temporary directory: tests make their HOMEs there",
        ),
    ];
    // A developer's own noise (paths separated like PATH, relative to HOME or absolute).
    if let Some(extra) = std::env::var_os("XTASK_HERMETIC_EXCLUDE") {
        inside.extend(
            std::env::split_paths(&extra)
                .filter(|p| !p.as_os_str().is_empty())
                .map(|p| (home.join(p), "listed in XTASK_HERMETIC_EXCLUDE")),
        );
    }
    let check = HomeCheck::start(home, &inside)
        .with_context(|| format!("snapshotting {}", home.display()))?;
    println!(
        "    {} paths recorded in {}; not compared:",
        check.len(),
        human(started.elapsed())
    );
    for exclusion in check.exclusions() {
        let shown = match &exclusion.rule {
            Rule::Path(p) => format!("~/{}", p.display()),
            Rule::Name(n) => format!("any {n}/"),
        };
        println!("      {shown:<24} {}", exclusion.reason);
    }
    Ok(check)
}

/// Runs steps in order until one fails; the rest are not run.
fn run_steps(steps: Vec<Step<'_>>) -> Vec<(&'static str, Outcome, Duration)> {
    let count = steps.len();
    let mut results = Vec::new();
    let mut failed = false;
    for (i, step) in steps.into_iter().enumerate() {
        if failed {
            results.push((step.name, Outcome::NotRun, Duration::ZERO));
            continue;
        }
        let action = match step.action {
            Ok(action) => action,
            Err(why) => {
                println!("==> [{}/{count}] {}: skipped ({why})", i + 1, step.name);
                results.push((step.name, Outcome::Skipped(why), Duration::ZERO));
                continue;
            }
        };
        println!("==> [{}/{count}] {}", i + 1, step.name);
        let started = Instant::now();
        let outcome = action();
        let took = started.elapsed();
        match outcome {
            Ok(passed) => {
                println!("    {}: ok in {}", step.name, human(took));
                results.push((step.name, Outcome::Passed(passed), took));
            }
            Err(e) => {
                eprintln!("    {}: FAILED after {}", step.name, human(took));
                results.push((step.name, Outcome::Failed(format!("{e:#}")), took));
                failed = true;
            }
        }
    }
    results
}

fn print_summary(results: &[(&'static str, Outcome, Duration)], total: Duration) {
    let (mut passed, mut failed, mut skipped) = (0, 0, 0);
    let rows: Vec<(&str, String, String)> = results
        .iter()
        .map(|(name, outcome, took)| {
            let result = match outcome {
                Outcome::Passed(Passed::Ran) => "ok".to_string(),
                Outcome::Passed(Passed::UpToDate) => "ok (up to date)".to_string(),
                Outcome::Skipped(why) => format!("skipped ({why})"),
                Outcome::Failed(_) => "FAILED".to_string(),
                Outcome::NotRun => "not run".to_string(),
            };
            match outcome {
                Outcome::Passed(_) => passed += 1,
                Outcome::Skipped(_) => skipped += 1,
                Outcome::Failed(_) => failed += 1,
                Outcome::NotRun => {}
            }
            let time = match outcome {
                Outcome::Passed(_) | Outcome::Failed(_) => human(*took),
                Outcome::Skipped(_) | Outcome::NotRun => "-".to_string(),
            };
            (*name, result, time)
        })
        .collect();
    let name_w = rows.iter().map(|r| r.0.len()).max().unwrap_or(0).max(5);
    let result_w = rows.iter().map(|r| r.1.len()).max().unwrap_or(0).max(6);
    println!("\n==> summary");
    println!(
        "    {:<name_w$}  {:<result_w$}  {:>8}",
        "step", "result", "time"
    );
    for (name, result, time) in &rows {
        println!("    {name:<name_w$}  {result:<result_w$}  {time:>8}");
    }
    println!(
        "    {:<name_w$}  {:<result_w$}  {:>8}",
        "total",
        "",
        human(total)
    );
    if skipped > 0 {
        println!("{passed} passed, {failed} failed, {skipped} skipped");
    } else {
        println!("{passed} passed, {failed} failed");
    }
}

/// `PATH` for test children: a recent Go first if the one on `PATH` is older (Debian's
/// `/usr/lib/go-1.NN/bin`), and cargo's bin directory so `tauri-driver` is found.
pub fn test_path() -> std::ffi::OsString {
    let mut dirs: Vec<PathBuf> = setup::go_path_dirs();
    if util::find_in_path("tauri-driver").is_none() {
        dirs.extend(util::cargo_bin_dir().filter(|d| d.join("tauri-driver").exists()));
    }
    util::path_with(&dirs)
}

/// `name` with the platform's executable suffix.
pub fn exe(name: &str) -> String {
    format!("{name}{}", std::env::consts::EXE_SUFFIX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    #[test]
    fn a_failure_stops_the_run() {
        let ran = Cell::new(Vec::new());
        let record = |name: &'static str| {
            let mut v = ran.take();
            v.push(name);
            ran.set(v);
        };
        let steps = vec![
            step("a", || {
                record("a");
                Ok(Passed::Ran)
            }),
            skipped("b", "--skip-b"),
            step("c", || {
                record("c");
                Err(anyhow!("boom"))
            }),
            step("d", || {
                record("d");
                Ok(Passed::Ran)
            }),
        ];
        let results = run_steps(steps);
        assert_eq!(ran.take(), ["a", "c"]);
        let shown: Vec<String> = results
            .iter()
            .map(|(name, outcome, _)| match outcome {
                Outcome::Passed(_) => format!("{name}: ok"),
                Outcome::Skipped(why) => format!("{name}: skipped {why}"),
                Outcome::Failed(e) => format!("{name}: failed {e}"),
                Outcome::NotRun => format!("{name}: not run"),
            })
            .collect();
        assert_eq!(
            shown,
            [
                "a: ok",
                "b: skipped --skip-b",
                "c: failed boom",
                "d: not run"
            ]
        );
    }
}
