//! `cargo xtask bench`: builds what the benchmarks measure and runs `benches/*.sh` (with bash)
//! and `benches/*.mjs` (with node, under a virtual display), in file-name order.
//!
//! The benchmarks themselves live in `benches/` and are written by the crates' owners. They get
//! the test environment ([`crate::util::test_env`]) plus:
//! - `MODROUTE_CLI_BIN`: the release build of the `modroute` command line,
//! - `MODROUTE_DESKTOP_BIN`: the release build of the desktop app, with the UI embedded
//!   (`--features tauri/custom-protocol`); built only when an `.mjs` benchmark exists, as those
//!   drive the app,
//! - `MODROUTE_TARGET_DIR`: cargo's target directory,
//! - `DISPLAY` (for `.mjs` only).
//!
//! Arguments filter by substring of the file name: `cargo xtask bench status` runs the
//! benchmarks whose name contains `status`.
//!
//! Every benchmark prints its results as Markdown table rows (`| what | ours | baseline | ratio |
//! target | met? |`) on stdout; they are passed through and, at the end, printed again as one
//! table — the one the README's Performance section shows.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::Instant;

use anyhow::{Context, Result, bail};

use crate::display::VirtualDisplay;
use crate::setup::{self, Scope};
use crate::test::{exe, test_path};
use crate::util::{self, human, run, timed};

/// The header of the combined table (every benchmark prints rows of these columns).
const TABLE_HEADER: &str =
    "| what | modroute | baseline (same run) | ratio | target | |\n|---|---|---|---|---|---|";

/// Runs the benchmarks whose file name contains one of `filters` (all when empty).
pub fn bench(filters: &[String], no_setup: bool) -> Result<()> {
    let start = Instant::now();
    let root = util::workspace_root();
    let benches = list(&root.join("benches"), filters)?;
    if benches.is_empty() {
        println!("==> no benchmarks (benches/*.sh, benches/*.mjs) match");
        return Ok(());
    }
    if !no_setup {
        setup::setup(setup::Options {
            scope: Scope::Full,
            dry_run: false,
            npm_ci: true,
        })?;
    }
    let target = util::target_dir()?;
    let path = test_path();
    let wants_app = benches
        .iter()
        .any(|b| b.extension().is_some_and(|e| e == "mjs"));
    timed(
        "cargo build --release -p modroute-cli -p modroute-testkit",
        || {
            run(util::test_env(&mut util::cargo())
                .args(["build", "--release", "-p", "modroute-cli"])
                .args(["-p", "modroute-testkit", "--bins"])
                .current_dir(&root))
        },
    )?;
    if wants_app {
        timed("ui: npm run build", || {
            run(util::test_env(&mut Command::new("npm"))
                .args(["run", "build"])
                .current_dir(root.join("ui")))
        })?;
        timed("cargo build --release -p modroute-desktop", || {
            run(util::test_env(&mut util::cargo())
                .args(["build", "--release", "-p", "modroute-desktop"])
                .args(["--features", "tauri/custom-protocol"])
                .current_dir(&root))
        })?;
    }
    let display = if wants_app {
        Some(VirtualDisplay::start(
            &target.join("xtask").join("xvfb-bench.log"),
        )?)
    } else {
        None
    };
    let mut times = Vec::new();
    let mut rows = Vec::new();
    for file in &benches {
        let name = file
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        let is_node = file.extension().is_some_and(|e| e == "mjs");
        let mut cmd = Command::new(if is_node { "node" } else { "bash" });
        util::test_env(&mut cmd)
            .arg(file)
            .current_dir(&root)
            .env("PATH", &path)
            .env(
                "MODROUTE_CLI_BIN",
                target.join("release").join(exe("modroute")),
            )
            .env(
                "MODROUTE_TESTSERVER_BIN",
                target.join("release").join(exe("modroute-testserver")),
            )
            .env(
                "MODROUTE_DESKTOP_BIN",
                target.join("release").join(exe("modroute-desktop")),
            )
            .env("MODROUTE_TARGET_DIR", &target);
        if let (true, Some(display)) = (is_node, &display) {
            cmd.env("DISPLAY", &display.display);
        }
        let started = Instant::now();
        timed(&format!("bench {name}"), || {
            rows.extend(run_collecting_rows(&mut cmd)?);
            Ok(())
        })?;
        times.push((name, started.elapsed()));
    }
    drop(display);
    println!("\n==> results\n{TABLE_HEADER}");
    for row in &rows {
        println!("{row}");
    }
    println!("\n==> benchmarks run");
    for (name, took) in &times {
        println!("    {name:<40} {:>8}", human(*took));
    }
    println!("    {:<40} {:>8}", "total", human(start.elapsed()));
    Ok(())
}

/// Runs a benchmark with its stdout passed through, returning the Markdown table rows it printed.
fn run_collecting_rows(cmd: &mut Command) -> Result<Vec<String>> {
    let shown = format!("{cmd:?}");
    println!("$ {shown}");
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .spawn()
        .with_context(|| format!("could not start `{shown}`"))?;
    let mut rows = Vec::new();
    if let Some(out) = child.stdout.take() {
        for line in BufReader::new(out).lines() {
            let line = line?;
            println!("{line}");
            if is_row(&line) {
                rows.push(line);
            }
        }
    }
    let status = child.wait()?;
    if !status.success() {
        bail!("`{shown}` failed ({status})");
    }
    Ok(rows)
}

/// A Markdown table row of results (not a header separator).
fn is_row(line: &str) -> bool {
    let line = line.trim();
    line.starts_with('|') && line.ends_with('|') && !line.starts_with("|---") && line.len() > 2
}

/// `*.sh` and `*.mjs` directly in `dir`, sorted by name, filtered by substring.
fn list(dir: &std::path::Path, filters: &[String]) -> Result<Vec<PathBuf>> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(Vec::new());
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == "sh" || e == "mjs"))
        .filter(|p| {
            let name = p.file_name().unwrap_or_default().to_string_lossy();
            filters.is_empty() || filters.iter().any(|f| name.contains(f.as_str()))
        })
        .collect();
    files.sort();
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_result_rows_are_collected() {
        assert!(is_row(
            "| status vs go env -json | 0.79 ms | 2.21 ms | 0.36 | <= 0.333 | NOT met |"
        ));
        assert!(!is_row("|---|---|"));
        assert!(!is_row("Benchmark 1: modroute status --json"));
        assert!(!is_row("||"));
    }
}
