//! The mismatch matrix: for every setting and context, what the context sets and what `go`
//! would use there, compared with what `go` uses in this process (the reference).
//!
//! "What go would use" follows cmd/go's precedence ([`crate::resolve`]) with the go env file and
//! `$GOROOT/go.env` this process sees:
//! - a whole environment (process, shell, session, running process): its variables replace this
//!   process's, so a setting it does not export falls back to the go env file or the default;
//! - IDE settings and direnv add their variables on top of this process's environment (the best
//!   stand-in for the environment the IDE was started with);
//! - a `go` binary reports its own values (`go env -json`).
//!
//! Each mismatch becomes a finding with the file and line that cause it and a fix.

use std::path::{Path, PathBuf};

use indexmap::IndexMap;
use serde::Serialize;

use super::contexts::{ContextKind, ContextStatus, Entry, Observation, Seen, setting_vars};
use super::{Finding, Fix, Severity};
use crate::env::Env;
use crate::redact::redact;
use crate::resolve::{Resolution, Source};
use crate::setting::{Setting, SettingKind};
use crate::{shadow, status};

/// One cell: a setting in a context.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Cell {
    /// What the context sets (redacted); `None` when it does not set it.
    pub value: Option<String>,
    /// What `go` would use there (redacted).
    pub effective: String,
    /// The file that sets it, when known.
    pub file: Option<PathBuf>,
    /// 1-based line there.
    pub line: Option<usize>,
    /// `effective` differs from the reference.
    pub mismatch: bool,
}

/// Setting name → context id → cell.
pub type Matrix = IndexMap<&'static str, IndexMap<String, Cell>>;

/// The comparison of every context with the reference.
#[derive(Clone, Debug)]
pub struct Compared {
    /// What `go` uses in this process, unredacted (render with [`redact`]).
    pub reference: Vec<Resolution>,
    /// The matrix, redacted.
    pub matrix: Matrix,
    /// One finding per mismatch (grouped where one cause explains several).
    pub findings: Vec<Finding>,
}

/// An unredacted cell with what the findings need.
struct Raw {
    setting: Setting,
    value: Option<String>,
    effective: String,
    file: Option<PathBuf>,
    line: Option<usize>,
    fix: Option<Fix>,
    /// The default followed another setting (GONOPROXY ← GOPRIVATE).
    derived: bool,
}

/// Compares every observation with `env`'s own resolution.
pub fn compare(env: &Env, observations: &[Observation]) -> Compared {
    let reference = status::resolutions(env);
    let reference_of = |s: Setting| reference.iter().find(|r| r.setting == s);
    let shadows = shadow::scan_any(env);
    let mut matrix: Matrix = Setting::ALL
        .iter()
        .map(|s| (s.name(), IndexMap::new()))
        .collect();
    let mut findings = Vec::new();
    // Mismatches that only exist because this process exports a value the context lacks.
    let mut from_process: IndexMap<Setting, Vec<String>> = IndexMap::new();

    for obs in observations {
        if obs.context.status != ContextStatus::Ok {
            continue;
        }
        let cells = cells(env, obs, &shadows);
        let mismatched: Vec<Setting> = cells
            .iter()
            .filter(|c| reference_of(c.setting).is_some_and(|r| r.value != c.effective))
            .map(|c| c.setting)
            .collect();
        for raw in &cells {
            let Some(reference) = reference_of(raw.setting) else {
                continue;
            };
            let mismatch = reference.value != raw.effective;
            if let Some(row) = matrix.get_mut(raw.setting.name()) {
                row.insert(
                    obs.context.id.clone(),
                    Cell {
                        value: raw.value.as_deref().map(redact),
                        effective: redact(&raw.effective),
                        file: raw.file.clone(),
                        line: raw.line,
                        mismatch,
                    },
                );
            }
            // sudo and git explain their differences in findings of their own.
            if !mismatch
                || matches!(
                    obs.context.kind,
                    ContextKind::Process
                        | ContextKind::Sudo
                        | ContextKind::Git
                        | ContextKind::Docker
                )
            {
                continue;
            }
            let sets_it = raw.value.is_some()
                || raw.fix.is_some()
                || obs.context.kind == ContextKind::GoBinary;
            if sets_it {
                findings.push(finding(obs, raw, reference));
            } else if raw.derived
                && raw
                    .setting
                    .default_follows()
                    .is_some_and(|s| mismatched.contains(&s))
            {
                // Explained by the finding about the setting it follows (GOPRIVATE).
            } else if reference.source == Source::Env {
                from_process
                    .entry(raw.setting)
                    .or_default()
                    .push(obs.context.label.clone());
            }
        }
    }
    for (setting, labels) in from_process {
        let Some(reference) = reference_of(setting) else {
            continue;
        };
        let var = reference.env_name.unwrap_or(setting.name());
        findings.push(Finding {
            id: "shadowed-in-process".into(),
            severity: Severity::Warning,
            var: Some(setting.name().into()),
            context: "process".into(),
            file: None,
            line: None,
            message: format!(
                "This process's environment sets {var}={}, but {} {}: go started there uses {} instead.",
                redact(&reference.value),
                labels.join(", "),
                if labels.len() == 1 { "does not" } else { "do not" },
                describe_fallback(&reference.layers, setting),
            ),
            fix: Some(format!(
                "the value comes from the environment this command runs in: unset {var} here, or find the export that set it (a new terminal shows whether your start-up files still do)"
            )),
            fix_action: None,
        });
    }
    Compared {
        reference,
        matrix,
        findings: merge(findings, observations),
    }
}

/// One finding per cause: contexts that show the same line of the same file (a `.bashrc` line
/// seen by bash, VS Code's and JetBrains' launch shells) are named in the first finding.
fn merge(findings: Vec<Finding>, observations: &[Observation]) -> Vec<Finding> {
    let label = |id: &str| {
        observations
            .iter()
            .find(|o| o.context.id == id)
            .map_or(id.to_string(), |o| o.context.label.clone())
    };
    let mut out: Vec<(Finding, Vec<String>)> = Vec::new();
    for f in findings {
        let same = out.iter_mut().find(|(m, _)| {
            m.fix_action.is_some() && m.fix_action == f.fix_action && m.var == f.var
        });
        match same {
            Some((_, also)) => also.push(label(&f.context)),
            None => out.push((f, Vec::new())),
        }
    }
    out.into_iter()
        .map(|(mut f, also)| {
            if !also.is_empty() {
                f.message = format!("{} The same line reaches {}.", f.message, also.join(", "));
            }
            f
        })
        .collect()
}

/// What go falls back to without the environment variable (for messages).
fn describe_fallback(layers: &crate::resolve::LayerValues, setting: Setting) -> String {
    let pick = [
        (layers.goenv.as_deref(), "the go env file"),
        (layers.goroot.as_deref(), "GOROOT/go.env"),
    ];
    if setting.kind() == SettingKind::Go {
        for (value, from) in pick {
            if let Some(v) = value.filter(|v| !v.is_empty()) {
                return format!("{} ({from})", quoted(v));
            }
        }
    }
    match layers.default.as_deref() {
        Some(v) if !v.is_empty() => format!("{} (default)", quoted(v)),
        _ => "nothing (unset)".into(),
    }
}

fn quoted(v: &str) -> String {
    if v.is_empty() {
        "\"\"".into()
    } else {
        redact(v)
    }
}

/// The start-up files a shell context reads, in order (user files modroute scans).
pub(crate) fn files_read(env: &Env, context_id: &str, shell: &str) -> Vec<PathBuf> {
    let candidates = shadow::candidate_files(env);
    let named = |names: &[&str]| -> Vec<PathBuf> {
        candidates
            .iter()
            .filter(|p| {
                p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| names.contains(&n))
            })
            .cloned()
            .collect()
    };
    let fish = || -> Vec<PathBuf> {
        candidates
            .iter()
            .filter(|p| p.extension().is_some_and(|e| e == "fish"))
            .cloned()
            .collect()
    };
    let (login, interactive) = match context_id {
        id if id.ends_with("-login") => (true, false),
        id if id.ends_with("-interactive") => (false, true),
        _ => (true, true), // the IDE launches: -i -l
    };
    match shell {
        "bash" => {
            let mut files = Vec::new();
            if login {
                // bash reads the first of these that exists.
                let first = [".bash_profile", ".bash_login", ".profile"]
                    .iter()
                    .flat_map(|n| named(&[n]))
                    .find(|p| p.exists());
                if let Some(first) = first {
                    let sources_bashrc = std::fs::read(&first)
                        .is_ok_and(|b| String::from_utf8_lossy(&b).contains("bashrc"));
                    files.push(first);
                    if sources_bashrc {
                        files.extend(named(&[".bashrc"]));
                    }
                }
            }
            if interactive && !login {
                files.extend(named(&[".bashrc"]));
            }
            files
        }
        "zsh" => {
            let mut names = vec![".zshenv"];
            if login {
                names.push(".zprofile");
            }
            if interactive {
                names.push(".zshrc");
            }
            if login {
                names.push(".zlogin");
            }
            names.iter().flat_map(|n| named(&[n])).collect()
        }
        "fish" => fish(),
        "sh" | "dash" | "ksh" => named(&[".profile"]),
        "tcsh" | "csh" => named(&[".tcshrc", ".cshrc", ".login"]),
        _ => Vec::new(),
    }
}

/// The shell a context runs (`bash` for `bash-login`, `$SHELL`'s name for the IDE launches).
fn shell_of(env: &Env, obs: &Observation) -> Option<String> {
    match obs.context.kind {
        ContextKind::Shell => obs.context.id.split('-').next().map(str::to_string),
        ContextKind::IdeLaunch => env
            .path("SHELL")
            .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned())),
        _ => None,
    }
}

/// The assignment in a shell's start-up files that explains its value: the last one for the
/// setting, preferring one whose text shows the value.
fn locate<'a>(
    shadows: &'a [shadow::Shadow],
    files: &[PathBuf],
    setting: Setting,
    value: &str,
) -> Option<&'a shadow::Shadow> {
    let candidates: Vec<&shadow::Shadow> = files
        .iter()
        .flat_map(|f| shadows.iter().filter(move |s| &s.file == f))
        .filter(|s| s.setting == setting)
        .collect();
    let shown = redact(value);
    candidates
        .iter()
        .rev()
        .find(|s| !shown.is_empty() && s.text.contains(&shown))
        .or(candidates.last())
        .copied()
}

/// Every setting's cell for one observation (unredacted).
fn cells(env: &Env, obs: &Observation, shadows: &[shadow::Shadow]) -> Vec<Raw> {
    match &obs.seen {
        Seen::Nothing => Vec::new(),
        Seen::Environment { vars, located } => {
            let mut ctx_env = env.clone();
            for name in setting_vars() {
                ctx_env = ctx_env.without(name);
            }
            for (k, v) in vars {
                ctx_env = ctx_env.with(k, v);
            }
            let shell = shell_of(env, obs);
            let files = shell
                .as_deref()
                .map(|s| files_read(env, &obs.context.id, s))
                .unwrap_or_default();
            status::resolutions(&ctx_env)
                .into_iter()
                .map(|r| {
                    let mut raw = Raw {
                        setting: r.setting,
                        value: r.layers.env.clone(),
                        effective: r.value.clone(),
                        file: None,
                        line: None,
                        fix: None,
                        derived: r.derived_from.is_some(),
                    };
                    let read_name = r.env_name.unwrap_or(r.setting.name());
                    if let Some(entry) = located.iter().rev().find(|e| e.var == read_name) {
                        raw.file = entry.file.clone();
                        raw.line = entry.line;
                        raw.fix = entry.fix.clone();
                    } else if let Some(value) = &r.layers.env
                        && let Some(found) = locate(shadows, &files, r.setting, value)
                    {
                        raw.file = Some(found.file.clone());
                        raw.line = Some(found.line);
                        raw.fix = Some(Fix::CommentOutShadow {
                            file: found.file.clone(),
                            line: found.line,
                        });
                    }
                    if obs.context.kind == ContextKind::Session
                        && raw.file.as_deref().is_some_and(is_modroute_session_file)
                    {
                        raw.fix = None;
                    }
                    raw
                })
                .collect()
        }
        Seen::Overrides(entries) => {
            let mut ctx_env = env.clone();
            for e in entries {
                ctx_env = match &e.value {
                    Some(v) => ctx_env.with(&e.var, v),
                    None => ctx_env.without(&e.var),
                };
            }
            status::resolutions(&ctx_env)
                .into_iter()
                .map(|r| {
                    let read_name = r.env_name.unwrap_or(r.setting.name());
                    let touching: Vec<&Entry> = entries
                        .iter()
                        .filter(|e| r.setting.env_names().contains(&e.var.as_str()))
                        .collect();
                    let entry = touching
                        .iter()
                        .rev()
                        .find(|e| e.var == read_name)
                        .or(touching.last())
                        .copied();
                    Raw {
                        setting: r.setting,
                        value: entry.and_then(|_| r.layers.env.clone()),
                        effective: r.value.clone(),
                        file: entry.and_then(|e| e.file.clone()),
                        line: entry.and_then(|e| e.line),
                        fix: entry.and_then(|e| e.fix.clone()),
                        derived: r.derived_from.is_some(),
                    }
                })
                .collect()
        }
        Seen::Resolved(resolved) => resolved
            .iter()
            .map(|c| Raw {
                setting: c.setting,
                value: c.value.clone(),
                effective: c.effective.clone(),
                file: c.file.clone(),
                line: c.line,
                fix: None,
                derived: false,
            })
            .collect(),
        Seen::GoEnv(values) => {
            let reference = status::resolutions(env);
            reference
                .into_iter()
                .map(|r| {
                    let reported = values
                        .get(r.setting.name())
                        .filter(|_| r.setting.kind() == SettingKind::Go);
                    // A binary sets nothing itself: what it reports is what it would use.
                    Raw {
                        setting: r.setting,
                        value: None,
                        effective: reported.cloned().unwrap_or(r.value),
                        file: None,
                        line: None,
                        fix: None,
                        derived: false,
                    }
                })
                .collect()
        }
    }
}

/// modroute's own environment.d file: a stale value there is fixed by switching again.
fn is_modroute_session_file(path: &Path) -> bool {
    path.file_name()
        .is_some_and(|n| n == crate::session::environment_d::FILE_NAME)
}

/// The finding for a context that sets a value different from the reference.
fn finding(obs: &Observation, raw: &Raw, reference: &Resolution) -> Finding {
    let ctx = &obs.context;
    let setting = raw.setting;
    let var = setting.name();
    let shown = raw
        .value
        .as_deref()
        .map(quoted)
        .unwrap_or_else(|| "nothing (it removes the variable)".into());
    let where_ = match (&raw.file, raw.line) {
        (Some(f), Some(l)) => format!(" ({} line {l})", f.display()),
        (Some(f), None) => format!(" ({})", f.display()),
        _ => String::new(),
    };
    let beats = match setting.kind() {
        SettingKind::Go => "which beats the go env file".to_string(),
        SettingKind::Network => format!("not {} as in this process", quoted(&reference.value)),
    };
    let consequence = match ctx.kind {
        ContextKind::Shell => "go started from that shell uses it".to_string(),
        ContextKind::IdeLaunch if ctx.id.starts_with("vscode") => {
            "VS Code reads it at launch and passes it to gopls, go and its terminals".into()
        }
        ContextKind::IdeLaunch => "the IDE reads it at launch and passes it to go and gopls".into(),
        ContextKind::Session => "apps started from the desktop, IDEs included, inherit it".into(),
        ContextKind::Vscode if ctx.id.contains("-terminal") => {
            "go run in VS Code's integrated terminal uses it".into()
        }
        ContextKind::Vscode => "the Go extension's go, gopls and dlv use it".into(),
        ContextKind::Goland if ctx.id.starts_with("goland-run:") => {
            "runs of this configuration use it".into()
        }
        ContextKind::Goland => "GoLand's go and gopls use it".into(),
        ContextKind::Direnv => "shells that load this project's .envrc use it".into(),
        ContextKind::RunningProcess => match ctx.started_before_switch {
            Some(true) => "it keeps using it: it started before the last switch".into(),
            _ => "it keeps using it until it is restarted".into(),
        },
        ContextKind::GoBinary
        | ContextKind::Process
        | ContextKind::Sudo
        | ContextKind::Git
        | ContextKind::Docker => String::new(),
    };
    let message = match ctx.kind {
        ContextKind::GoBinary => format!(
            "{} reports {var}={}, not {} like the go this process finds first: its own GOROOT/go.env or built-in defaults differ.",
            ctx.label,
            quoted(&raw.effective),
            quoted(&reference.value)
        ),
        ContextKind::RunningProcess => format!(
            "{} was started with {var}={shown} (go would use {}), not {}: {consequence}.",
            ctx.label,
            quoted(&raw.effective),
            quoted(&reference.value)
        ),
        _ => format!(
            "{} sets {var}={shown}{where_}, {beats}: {consequence}.",
            ctx.label
        ),
    };
    let (fix, fix_action) = fix_for(obs, raw, reference);
    Finding {
        id: format!("shadowed-in-{}", ctx.kind.slug()),
        severity: Severity::Warning,
        var: Some(var.into()),
        context: ctx.id.clone(),
        file: raw.file.clone(),
        line: raw.line,
        message,
        fix,
        fix_action,
    }
}

fn fix_for(obs: &Observation, raw: &Raw, reference: &Resolution) -> (Option<String>, Option<Fix>) {
    let ctx = &obs.context;
    let var = raw.setting.name();
    let at = |f: &Path, l: usize| format!("line {l} of {}", f.display());
    match (&raw.fix, ctx.kind) {
        (Some(fix @ Fix::RemoveVsCodeKey { file, key_path }), _) => (
            Some(format!(
                "remove \"{}\" from {}{} (VS Code applies it to the Go extension's tools after a restart of the language server)",
                key_path.join("\" → \""),
                file.display(),
                raw.line.map(|l| format!(" (line {l})")).unwrap_or_default()
            )),
            Some(fix.clone()),
        ),
        (Some(fix @ Fix::RemoveGoLandEnv { file, line, .. }), _) => (
            Some(format!(
                "remove {var} from {} ({}), or in GoLand: Settings → Go → Go Modules → Environment",
                if ctx.id.starts_with("goland-run:") {
                    "the run configuration's environment"
                } else {
                    "GoLand's Go Modules environment"
                },
                at(file, *line)
            )),
            Some(fix.clone()),
        ),
        (Some(fix @ Fix::CommentOutShadow { file, line }), ContextKind::Direnv) => (
            Some(format!(
                "comment out {} (then run `direnv allow` again)",
                at(file, *line)
            )),
            Some(fix.clone()),
        ),
        (Some(fix @ Fix::CommentOutShadow { file, line }), ContextKind::Session) => (
            Some(format!(
                "comment out {}; the session sees it after you log out and in (or `systemctl --user unset-environment {var}` now)",
                at(file, *line)
            )),
            Some(fix.clone()),
        ),
        (Some(fix @ Fix::CommentOutShadow { file, line }), _) => (
            Some(format!(
                "comment out {} (`modroute undo` restores it); new shells and the next IDE launch see the go env file",
                at(file, *line)
            )),
            Some(fix.clone()),
        ),
        (_, ContextKind::RunningProcess) => (
            Some(match ctx.started_before_switch {
                Some(true) => "restart it (quit the IDE completely): it started before the last switch, and a running process never sees a new environment".into(),
                _ => "restart it (quit the IDE completely) from a shell or session that has the right value".into(),
            }),
            None,
        ),
        (_, ContextKind::GoBinary) => {
            let settable = raw.setting.kind() == SettingKind::Go
                && matches!(reference.source, Source::Goroot | Source::Default)
                && !crate::redact::has_credentials(&reference.value);
            if settable {
                (
                    Some(format!(
                        "set {var} in the go env file (go env -w {var}={}) so every toolchain agrees",
                        redact(&reference.value)
                    )),
                    Some(Fix::SetGoEnv {
                        var: var.into(),
                        value: reference.value.clone(),
                    }),
                )
            } else {
                (
                    Some("put the go you use first on PATH, or remove the other one".into()),
                    None,
                )
            }
        }
        (_, ContextKind::Session) if raw.file.as_deref().is_some_and(is_modroute_session_file) => (
            Some("switch profiles again (`modroute use <profile>`) to rewrite modroute's session file, then log out and in".into()),
            None,
        ),
        (_, ContextKind::Session) => (
            Some(format!(
                "the systemd user manager holds it: `systemctl --user unset-environment {var}` (and remove it from whatever sets it at login)"
            )),
            None,
        ),
        (_, ContextKind::Shell | ContextKind::IdeLaunch) => (
            Some(format!(
                "{var} is set by a file modroute does not scan (a system file such as /etc/profile, or a file your start-up files source); remove it there"
            )),
            None,
        ),
        _ => (None, None),
    }
}

/// Every line of the user's start-up files that exports a Go setting (it beats the go env file
/// in every shell that reads it), except those a finding in `already` names.
pub fn rc_findings(env: &Env, already: &[Finding]) -> Vec<Finding> {
    shadow::scan(env)
        .into_iter()
        .filter(|s| {
            !already
                .iter()
                .any(|f| f.file.as_deref() == Some(s.file.as_path()) && f.line == Some(s.line))
        })
        .map(|s| Finding {
            id: "shadow-in-rc-file".into(),
            severity: Severity::Warning,
            var: Some(s.setting.name().into()),
            context: "rc-file".into(),
            file: Some(s.file.clone()),
            line: Some(s.line),
            message: format!(
                "{} line {} exports {} (`{}`), which beats the go env file in every shell that reads it: switching profiles does not reach those shells.",
                s.file.display(),
                s.line,
                s.setting,
                s.text.trim()
            ),
            fix: Some(format!(
                "comment out line {} of {} (`modroute undo` restores it)",
                s.line,
                s.file.display()
            )),
            fix_action: Some(Fix::CommentOutShadow {
                file: s.file,
                line: s.line,
            }),
        })
        .collect()
}
