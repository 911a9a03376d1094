//! `modroute use` and `modroute undo`: preview, consent, apply as one transaction, undo.

use std::fmt::Write as _;
use std::io::{BufRead, IsTerminal, Write};
use std::process::ExitCode;

use anyhow::Context;
use modroute_core::plan::{Action, Plan};
use modroute_core::{Env, apply, plan, profile};

use crate::style::{Paint, colour_enabled};

/// Options of `use`.
#[derive(clap::Args)]
pub struct UseArgs {
    /// The profile id (see `modroute profiles`).
    #[arg(value_name = "PROFILE")]
    pub id: String,
    /// Only print the plan.
    #[arg(long)]
    pub dry_run: bool,
    /// Apply without asking (needed when there is no terminal). This also consents to
    /// commenting out lines in your rc files that export a Go setting (listed in the plan).
    #[arg(long, short)]
    pub yes: bool,
    /// Leave lines in your rc files that export a Go setting as they are.
    #[arg(long)]
    pub keep_shadows: bool,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
    /// Also write the Go Modules environment of this JetBrains project (GoLand, IntelliJ
    /// IDEA) in its .idea/workspace.xml; repeatable. Projects listed in targets.toml
    /// always follow.
    #[arg(long = "project", value_name = "DIR")]
    pub projects: Vec<std::path::PathBuf>,
}

/// Runs `use`.
pub fn run_use(env: &Env, args: &UseArgs) -> anyhow::Result<ExitCode> {
    let profiles = profile::load(env)?;
    let Some(chosen) = profiles.get(&args.id) else {
        let ids: Vec<&str> = profiles.list.iter().map(|p| p.id.as_str()).collect();
        anyhow::bail!(
            "unknown profile `{}`; available: {}",
            args.id,
            ids.join(", ")
        );
    };
    let mut projects = Vec::new();
    for dir in &args.projects {
        projects.push(
            std::fs::canonicalize(dir).with_context(|| format!("--project {}", dir.display()))?,
        );
    }
    let options = plan::Options {
        keep_shadows: args.keep_shadows,
        projects,
    };
    let plan = plan::for_profile_with(env, chosen, options)?;
    let p = Paint(colour_enabled() && !args.json);
    if args.json && (args.dry_run || !args.yes) {
        print_json(&serde_json::json!({ "plan": plan, "applied": false }))?;
        return Ok(if args.dry_run {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(2)
        });
    }
    if !args.json {
        std::io::stdout().write_all(render_plan(&plan, p).as_bytes())?;
    }
    if args.dry_run {
        return Ok(ExitCode::SUCCESS);
    }
    if plan.changes().next().is_none() && plan.actions.is_empty() && plan.refusals.is_empty() {
        println!("{} is already in effect; nothing to change.", chosen.id);
        return Ok(ExitCode::SUCCESS);
    }
    if !args.yes && !confirm(&format!("Switch to {}?", chosen.id))? {
        return Ok(ExitCode::from(2));
    }
    let receipt = apply::apply(env, &plan)?;
    if args.json {
        print_json(&serde_json::json!({ "plan": plan, "applied": true, "receipt": receipt }))?;
    } else {
        let mut out = format!(
            "{} switched to {} ({} file(s) written; undo with `modroute undo`)\n",
            p.bold("✓"),
            chosen.id,
            receipt.written.len()
        );
        for outcome in &receipt.actions {
            if let Some(error) = &outcome.error {
                let _ = writeln!(
                    out,
                    "  {} {}: {error}",
                    p.yellow("note"),
                    action_text(&outcome.action)
                );
            }
        }
        // A failed step's message is the program's stderr, which may echo its arguments.
        std::io::stdout().write_all(modroute_core::redact::redact_lines(&out).as_bytes())?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Runs `undo`.
pub fn run_undo(env: &Env, yes: bool, json: bool) -> anyhow::Result<ExitCode> {
    let history = apply::history(env)?;
    let Some(last) = history.iter().find(|e| {
        matches!(
            e.status,
            apply::EntryStatus::Applied | apply::EntryStatus::Pending
        )
    }) else {
        anyhow::bail!("nothing to undo");
    };
    if !json {
        println!(
            "Undo the switch to {} ({} file(s)):",
            last.profile,
            last.files.len()
        );
        for file in &last.files {
            println!("  restore {}", file.path.display());
        }
    }
    if !yes && !confirm("Undo?")? {
        return Ok(ExitCode::from(2));
    }
    let receipt = apply::undo(env)?;
    if json {
        print_json(&serde_json::json!({ "undone": receipt }))?;
    } else {
        println!(
            "✓ undid the switch to {} ({} file(s) restored)",
            receipt.profile,
            receipt.written.len()
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn print_json(value: &serde_json::Value) -> anyhow::Result<()> {
    let text = serde_json::to_string_pretty(value)? + "\n";
    std::io::stdout().write_all(modroute_core::redact::redact_lines(&text).as_bytes())?;
    Ok(())
}

/// Asks on the terminal; without one, explains how to proceed and declines.
fn confirm(question: &str) -> anyhow::Result<bool> {
    if !std::io::stdin().is_terminal() {
        eprintln!(
            "modroute: not applied: no terminal to confirm on; pass --yes to apply (or --dry-run to only look)"
        );
        return Ok(false);
    }
    eprint!("{question} [y/N] ");
    std::io::stderr().flush()?;
    let mut answer = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut answer)
        .context("reading the answer")?;
    let yes = matches!(answer.trim(), "y" | "Y" | "yes" | "Yes");
    if !yes {
        eprintln!("modroute: not applied");
    }
    Ok(yes)
}

/// An action for display: its argv carries the values (`systemctl --user set-environment
/// HTTPS_PROXY=…`), so it is redacted.
fn action_text(action: &Action) -> String {
    match action {
        Action::Run { argv, .. } => modroute_core::redact::redact_lines(&argv.join(" ")),
    }
}

/// The plan for a terminal: per-file diffs, actions, warnings, refusals.
pub fn render_plan(plan: &Plan, p: Paint) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}",
        p.bold(&format!("Plan: switch to {}", plan.profile))
    );
    for file in &plan.files {
        if file.is_noop() {
            let _ = writeln!(out, "  unchanged  {}", file.path.display());
            continue;
        }
        let _ = writeln!(
            out,
            "  {}",
            p.bold(&format!("change     {}", file.path.display()))
        );
        for line in file.diff.lines() {
            let colored = match line.as_bytes().first() {
                Some(b'+') if !line.starts_with("+++") => p.green(line),
                Some(b'-') if !line.starts_with("---") => p.red(line),
                _ => p.dim(line),
            };
            let _ = writeln!(out, "    {colored}");
        }
    }
    for action in &plan.actions {
        let _ = writeln!(out, "  run        {}", action_text(action));
    }
    for warning in &plan.warnings {
        let _ = writeln!(out, "  {} {}", p.yellow("warning"), warning.message);
    }
    for note in &plan.notes {
        let _ = writeln!(out, "  {}    {}", p.bold("note"), note.message);
    }
    for refusal in &plan.refusals {
        let _ = writeln!(
            out,
            "  {} {}: {}",
            p.red("refused"),
            refusal.path.display(),
            refusal.reason
        );
        if let Some(manual) = &refusal.manual {
            let _ = writeln!(
                out,
                "    add by hand:\n      {}",
                manual.trim_end().replace('\n', "\n      ")
            );
        }
    }
    out
}
