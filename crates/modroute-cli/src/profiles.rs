//! `modroute profiles`: the built-in and user profiles, the active one marked.

use std::fmt::Write as _;
use std::io::Write;
use std::process::ExitCode;

use modroute_core::{Env, apply, profile};

use crate::style::{Paint, colour_enabled};

/// English labels of the built-ins (the app translates them).
pub fn builtin_label(id: &str) -> Option<&'static str> {
    match id {
        "domestic" => Some("Domestic mirror (goproxy.cn / Aliyun)"),
        "official" => Some("Official (proxy.golang.org)"),
        "corporate" => Some("Corporate (private proxy) — template"),
        _ => None,
    }
}

/// Runs the subcommand.
pub fn run(env: &Env, json: bool) -> anyhow::Result<ExitCode> {
    let profiles = profile::load(env)?;
    let active = apply::active_profile(env);
    if json {
        let value = serde_json::json!({
            "path": profiles.path,
            "active": active,
            "profiles": profiles.list,
        });
        let text = serde_json::to_string_pretty(&value)? + "\n";
        std::io::stdout().write_all(modroute_core::redact::redact_lines(&text).as_bytes())?;
        return Ok(ExitCode::SUCCESS);
    }
    let p = Paint(colour_enabled());
    let mut out = String::new();
    for prof in &profiles.list {
        let mark = if active.as_deref() == Some(prof.id.as_str()) {
            p.bold("*")
        } else {
            " ".into()
        };
        let label = prof
            .label
            .as_deref()
            .or(builtin_label(&prof.id))
            .unwrap_or("");
        let _ = writeln!(out, "{mark} {:<12} {}", p.bold(&prof.id), p.dim(label));
        for (setting, value) in &prof.values {
            let _ = writeln!(
                out,
                "    {:<13} {}",
                setting.name(),
                modroute_core::redact::redact(value)
            );
        }
        for problem in &prof.problems {
            let _ = writeln!(out, "    {} {problem}", p.yellow("unusable:"));
        }
    }
    if let Some(path) = &profiles.path {
        let _ = writeln!(
            out,
            "\n{}",
            p.dim(&format!("your profiles: {}", path.display()))
        );
    }
    // Values are redacted above; a problem's message may quote one.
    std::io::stdout().write_all(modroute_core::redact::redact_lines(&out).as_bytes())?;
    Ok(ExitCode::SUCCESS)
}
