//! `modroute doctor`: what every context sees for each setting (a compact matrix), the findings
//! with their fixes; `--json` (the contract's DoctorReport) or `--markdown` (for a ticket).
//! Exit 1 when any error or warning is found.

use std::fmt::Write as _;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context as _, bail};
use modroute_core::Env;
use modroute_core::doctor::contexts::ContextStatus;
use modroute_core::doctor::{self, Options, Report, Severity};

use crate::style::{Paint, colour_enabled};

/// The subcommand's arguments.
#[derive(clap::Args)]
pub struct DoctorArgs {
    /// Print the report as JSON (stable shape: docs/cli.md).
    #[arg(long, conflicts_with = "markdown")]
    pub json: bool,
    /// Print a redacted Markdown report to paste into a ticket.
    #[arg(long)]
    pub markdown: bool,
    /// The project whose .vscode/settings.json, .idea/workspace.xml, .envrc and
    /// Dockerfiles are read (default: the current directory when it has one of them).
    #[arg(long, value_name = "DIR")]
    pub project: Option<PathBuf>,
}

/// Runs the subcommand.
pub fn run(env: &Env, args: &DoctorArgs) -> anyhow::Result<ExitCode> {
    let project = match &args.project {
        Some(dir) => {
            if !dir.is_dir() {
                bail!("--project {}: no such directory", dir.display());
            }
            Some(
                std::fs::canonicalize(dir)
                    .with_context(|| format!("--project {}", dir.display()))?,
            )
        }
        None => std::env::current_dir()
            .ok()
            .filter(|d| looks_like_project(d)),
    };
    let report = doctor::run(env, project.as_deref(), &Options::default());
    let text = if args.json {
        serde_json::to_string_pretty(&report)? + "\n"
    } else if args.markdown {
        doctor::markdown(&report)
    } else {
        render(&report, Paint(colour_enabled()))
    };
    std::io::stdout().write_all(text.as_bytes())?;
    Ok(if report.has_problems() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// A directory with files the doctor reads for a project.
fn looks_like_project(dir: &Path) -> bool {
    [
        ".vscode/settings.json",
        ".idea/workspace.xml",
        ".envrc",
        "Dockerfile",
    ]
    .iter()
    .any(|f| dir.join(f).is_file())
}

/// Short column headers, in `Setting::ALL` order.
const SHORT: [&str; modroute_core::Setting::ALL.len()] = [
    "PROXY", "SUMDB", "PRIV", "NOPRX", "NOSUM", "INSEC", "FLAGS", "TCHN", "AUTH", "VCS", "HTTP",
    "HTTPS", "NO_PX", "CERT", "CDIR", "NETRC",
];

/// The human-readable report.
pub fn render(report: &Report, p: Paint) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}", p.bold("What go uses in this process"));
    let width = report.reference.keys().map(|k| k.len()).max().unwrap_or(0);
    for (name, value) in &report.reference {
        let shown = if value.is_empty() {
            p.dim("(empty)")
        } else {
            value.clone()
        };
        let _ = writeln!(out, "  {name:<width$}  {shown}");
    }

    let _ = writeln!(
        out,
        "\n{}  {}",
        p.bold("What each context would use"),
        p.dim("(· not set there, = sets the same value, ≠ differs)")
    );
    let label_width = report
        .contexts
        .iter()
        .map(|c| c.label.chars().count())
        .max()
        .unwrap_or(0)
        .min(44);
    let _ = write!(out, "  {:label_width$} ", "");
    for h in SHORT {
        let _ = write!(out, " {h:>5}");
    }
    out.push('\n');
    let names: Vec<&str> = report.matrix.keys().copied().collect();
    for c in &report.contexts {
        let label: String = c.label.chars().take(label_width).collect();
        let _ = write!(out, "  {label:label_width$} ");
        if c.status != ContextStatus::Ok {
            let status = match c.status {
                ContextStatus::Error => p.red("error"),
                ContextStatus::Timeout => p.red("timeout"),
                _ => p.dim("skipped"),
            };
            let why = c.error.as_deref().unwrap_or_default();
            let _ = writeln!(out, " {status} {}", p.dim(why));
            continue;
        }
        for name in &names {
            let mark = match report.matrix.get(name).and_then(|row| row.get(&c.id)) {
                Some(cell) if cell.mismatch => p.red(&p.bold(&format!("{:>5}", "≠"))),
                Some(cell) if cell.value.is_some() => format!("{:>5}", "="),
                Some(_) => p.dim(&format!("{:>5}", "·")),
                None => format!("{:>5}", ""),
            };
            let _ = write!(out, " {mark}");
        }
        out.push('\n');
    }

    if report.findings.is_empty() {
        let _ = writeln!(out, "\n{}", p.green("No problems found."));
        return out;
    }
    let _ = writeln!(out, "\n{}", p.bold("Findings"));
    for f in &report.findings {
        let tag = match f.severity {
            Severity::Error => p.red("error  "),
            Severity::Warning => p.yellow("warning"),
            Severity::Info => p.dim("info   "),
        };
        let _ = writeln!(out, "  {tag} {}", f.message);
        if let Some(fix) = &f.fix {
            // A multi-line fix (the lines to add to a Dockerfile) stays under its label.
            let fix = fix.replace('\n', "\n               ");
            let _ = writeln!(out, "          {} {fix}", p.dim("fix:"));
        }
    }
    let s = report.summary;
    let _ = writeln!(
        out,
        "\n{} error(s), {} warning(s), {} info(s)",
        s.errors, s.warnings, s.infos
    );
    out
}
