//! `modroute status`: the effective settings table, or the JSON report.

use std::fmt::Write as _;
use std::io::Write;
use std::process::ExitCode;

use modroute_core::Env;
use modroute_core::SettingKind;
use modroute_core::gitconfig::{GitView, ProxySource};
use modroute_core::goenv::NoteCode;
use modroute_core::goroot::FoundBy;
use modroute_core::resolve::Source;
use modroute_core::status::{self, FileReport, FileState, Status, VarReport};

use crate::style::{Paint, colour_enabled};

/// Runs the subcommand. Exit 2 when a layer file exists but cannot be read.
pub fn run(env: &Env, json: bool, git: bool) -> anyhow::Result<ExitCode> {
    let report = if git {
        status::gather_with_git(env)
    } else {
        status::gather(env)
    };
    let text = if json {
        serde_json::to_string_pretty(&report)? + "\n"
    } else {
        render(&report, Paint(colour_enabled()))
    };
    std::io::stdout().write_all(text.as_bytes())?;
    if report.has_unreadable_files() {
        for file in [&report.goenv_file, &report.goroot.go_env_file] {
            if let (FileState::Unreadable, Some(path)) = (file.state, &file.path) {
                let error = file.error.as_deref().unwrap_or("unreadable");
                let _ = writeln!(
                    std::io::stderr(),
                    "modroute: cannot read {}: {error}",
                    path.display()
                );
            }
        }
        return Ok(ExitCode::from(2));
    }
    Ok(ExitCode::SUCCESS)
}

fn source_label(source: Source) -> &'static str {
    match source {
        Source::Env => "OS environment",
        Source::Goenv => "go env file",
        Source::Goroot => "GOROOT/go.env",
        Source::Default => "default",
    }
}

fn source_code(source: Source) -> &'static str {
    match source {
        Source::Env => "env",
        Source::Goenv => "goenv",
        Source::Goroot => "goroot",
        Source::Default => "default",
    }
}

/// The human-readable table.
pub fn render(report: &Status, p: Paint) -> String {
    let mut out = String::new();
    let goenv = match report.goenv.as_str() {
        "" => format!(
            "(none: {})",
            report.goenv_file.error.as_deref().unwrap_or("unknown")
        ),
        "off" => "off (GOENV=off)".to_string(),
        path => format!("{path}{}", file_state_suffix(&report.goenv_file)),
    };
    let _ = writeln!(out, "{}  {goenv}", p.bold("go env file"));
    let goroot = match &report.goroot.path {
        Some(path) => {
            let mut facts = Vec::new();
            facts.extend(report.goroot.version.clone());
            facts.extend(report.goroot.found_by.map(|by| {
                match by {
                    FoundBy::Goenv => "GOROOT in the go env file",
                    FoundBy::Env => "$GOROOT",
                    FoundBy::Path => "the go on PATH",
                    FoundBy::GoEnvCommand => "go env GOROOT",
                }
                .to_string()
            }));
            format!("{}  ({})", path.display(), facts.join(", "))
        }
        None => "(no go toolchain found on PATH)".to_string(),
    };
    let _ = writeln!(out, "{}       {goroot}\n", p.bold("GOROOT"));

    let width = report
        .vars
        .values()
        .map(|v| display_value(&v.value).chars().count())
        .max()
        .unwrap_or(0)
        .clamp(8, 48);
    let _ = writeln!(
        out,
        "{}",
        p.bold(&format!(
            "{:<14} {:<width$}  {}",
            "VARIABLE", "VALUE", "SOURCE"
        ))
    );
    for (name, var) in &report.vars {
        let value = display_value(&var.value);
        let shown = if var.value.is_empty() {
            p.dim(&value)
        } else {
            value.clone()
        };
        let pad = " ".repeat(width.saturating_sub(value.chars().count()));
        let _ = writeln!(
            out,
            "{name:<14} {shown}{pad}  {}",
            p.source(source_code(var.source), &winner_detail(var))
        );
        for line in loser_lines(name, var) {
            let _ = writeln!(out, "{:<14} {}", "", p.dim(&line));
        }
    }

    if let Some(git) = &report.git {
        render_git(&mut out, git, p);
    }

    let notes: Vec<_> = [&report.goenv_file, &report.goroot.go_env_file]
        .into_iter()
        .flat_map(|f| f.notes.iter().map(move |n| (f, n)))
        .collect();
    let problems: Vec<_> = [
        ("go env file", &report.goenv_file),
        ("GOROOT/go.env", &report.goroot.go_env_file),
    ]
    .into_iter()
    .filter(|(_, f)| f.state == FileState::Unreadable)
    .collect();
    if !notes.is_empty() || !problems.is_empty() {
        let _ = writeln!(out, "\n{}", p.bold("Notes"));
    }
    for (label, file) in problems {
        let path = file
            .path
            .as_ref()
            .map(|p| p.display().to_string())
            .unwrap_or_default();
        let error = file.error.as_deref().unwrap_or("unreadable");
        let _ = writeln!(
            out,
            "  {} {label} {path}: {error}; go ignores it",
            p.red("error")
        );
    }
    for (file, note) in notes {
        let path = file
            .path
            .as_ref()
            .map(|p| p.display().to_string())
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "  {} {path}:{}: {}",
            p.yellow("warning"),
            note.line,
            note_message(note.code, &note.key)
        );
        let _ = writeln!(
            out,
            "          {}",
            p.dim(&format!("| {}", note.text.trim_end_matches('\r')))
        );
    }
    out
}

/// git's view: the proxy `direct` fetches use, and the settings behind it.
fn render_git(out: &mut String, git: &GitView, p: Paint) {
    let _ = writeln!(out, "\n{}", p.bold("git (what `direct` fetches use)"));
    if let Some(error) = &git.error {
        let _ = writeln!(out, "  {} {error}", p.red("error"));
        return;
    }
    if let Some(proxy) = &git.https_proxy {
        let value = proxy
            .value
            .as_deref()
            .filter(|v| !v.is_empty())
            .unwrap_or("(none: direct)");
        let from = match &proxy.source {
            ProxySource::Config { key, file, .. } => match file {
                Some(f) => format!("{key} in {}", f.display()),
                None => key.clone(),
            },
            ProxySource::Env { var } => format!("${var}"),
            ProxySource::None => "nothing set".into(),
        };
        let verdict = if git.agrees {
            p.dim("same as go")
        } else {
            p.yellow(&format!(
                "go uses {}",
                git.go_https_proxy.as_deref().unwrap_or("(none: direct)")
            ))
        };
        let _ = writeln!(out, "  https proxy  {value}  ({from}; {verdict})");
    }
    for e in &git.settings {
        let scope = serde_json::to_value(e.scope)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        let value = e.value.as_deref().unwrap_or("(true)");
        let file = e
            .file
            .as_ref()
            .map(|f| format!(" {}", f.display()))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "  {}={value}  {}",
            e.key,
            p.dim(&format!("[{scope}]{file}"))
        );
    }
}

fn file_state_suffix(file: &FileReport) -> &'static str {
    match file.state {
        FileState::Missing => "  (does not exist yet)",
        FileState::Unreadable => "  (unreadable)",
        _ => "",
    }
}

fn display_value(value: &str) -> String {
    if value.is_empty() {
        "(unset)".into()
    } else {
        value.escape_debug().to_string().replace("\\\"", "\"")
    }
}

fn winner_detail(var: &VarReport) -> String {
    let label = source_label(var.source);
    match (var.source, &var.location, var.env_name, var.derived_from) {
        (Source::Env, _, Some(name), _) => format!("{label} (${name})"),
        (_, Some(loc), _, _) => format!("{label} ({}:{})", loc.file.display(), loc.line),
        (Source::Default, _, _, Some(from)) => format!("{label} (follows {from})"),
        _ => label.to_string(),
    }
}

fn loser_lines(name: &str, var: &VarReport) -> Vec<String> {
    let mut lines = Vec::new();
    for source in Source::STRONGEST_FIRST {
        if source == var.source || source == Source::Default {
            continue;
        }
        let Some(value) = var.layers.get(source) else {
            continue;
        };
        let label = source_label(source);
        let line = match (source, var.kind) {
            (Source::Env, _) if value.is_empty() => {
                format!(
                    "ignored     {label}: ${} is exported empty",
                    var.env_name.unwrap_or(name)
                )
            }
            (Source::Goenv | Source::Goroot, SettingKind::Network) => {
                format!(
                    "no effect   {label}: {} (go reads {name} only from the OS environment)",
                    display_value(value)
                )
            }
            _ => format!("overridden  {label}: {}", display_value(value)),
        };
        lines.push(line);
    }
    lines
}

fn note_message(code: NoteCode, key: &str) -> String {
    match code {
        NoteCode::Ignored => {
            format!("go ignores this line (it must start with {key}=, no `export`, no indent)")
        }
        NoteCode::KeySpace => {
            format!("the space before `=` makes the key \"{key} \", not {key}; go never reads it")
        }
        NoteCode::CarriageReturn => format!(
            "{key}'s value ends in a carriage return (CRLF line endings); go keeps it in the value"
        ),
        NoteCode::Quoted => {
            format!("{key}'s value is quoted; go keeps the quotes as part of the value")
        }
        NoteCode::Duplicate => format!("{key} is set again further down; this line has no effect"),
    }
}
