//! The doctor: what each context (this process, real shells, IDEs, the desktop session, every
//! `go` on PATH, running IDE processes) sees for each setting — the mismatch matrix — plus lints
//! on the settings themselves, each finding with a fix that is an ordinary plan (previewed,
//! journaled, undoable).
//!
//! Layout:
//! - [`Finding`], [`Severity`], [`Fix`]: the shared vocabulary (this file);
//! - `lints`: rules over the effective settings and the go env file (pure);
//! - `contexts`, `ide/`, `matrix`: collecting what each context sees, and comparing;
//! - `fix`: turning a [`Fix`] into a [`crate::plan::Plan`].

pub mod contexts;
pub mod credentials;
pub mod docker;
pub mod fix;
pub mod git;
pub mod ide;
pub mod lints;
pub mod matrix;
pub mod sudo;

use std::path::{Path, PathBuf};
use std::time::Duration;

use indexmap::IndexMap;
use serde::Serialize;

use crate::env::Env;
use crate::redact::redact;
use crate::setting::Setting;

/// How bad a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Worth knowing.
    Info,
    /// Probably not what you want; `doctor` exits 1.
    Warning,
    /// Breaks module downloads; `doctor` exits 1.
    Error,
}

/// A problem found, with where it is and how to fix it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// A stable id of the rule (`goproxy-comma-after-private-proxy`, `shadowed-by-vscode`, …).
    pub id: String,
    /// How bad.
    pub severity: Severity,
    /// The variable concerned (`GOPROXY`), when one is.
    pub var: Option<String>,
    /// The context it was found in (`process`, `goenv`, `bash-login`, `vscode-user`, …).
    pub context: String,
    /// The file, when the finding is about one.
    pub file: Option<PathBuf>,
    /// 1-based line in that file.
    pub line: Option<usize>,
    /// One English sentence (redacted).
    pub message: String,
    /// A human description of the fix, when there is one (`fix_action` holds the machine form).
    pub fix: Option<String>,
    /// What applying the fix does, as data; `None` when the fix is advice only.
    pub fix_action: Option<Fix>,
}

/// A fix as data. [`fix::plan`] (module `fix`) turns it into a plan of file changes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Fix {
    /// Set a Go setting in the go env file (as `go env -w` would).
    SetGoEnv {
        /// The setting's name.
        var: String,
        /// The new value.
        value: String,
    },
    /// Remove a Go setting from the go env file (as `go env -u` would).
    UnsetGoEnv {
        /// The setting's name.
        var: String,
    },
    /// Rewrite the go env file in `go env -w`'s own format (drops CRLF, quotes, `export`).
    NormalizeGoEnv,
    /// Comment out a line of an rc file that exports a Go setting (with modroute's marker).
    CommentOutShadow {
        /// The rc file.
        file: PathBuf,
        /// 1-based line.
        line: usize,
    },
    /// Remove a key from a VS Code settings.json, keeping comments and formatting.
    RemoveVsCodeKey {
        /// The settings file.
        file: PathBuf,
        /// The key path, e.g. `["go.toolsEnvVars", "GOPROXY"]`.
        key_path: Vec<String>,
    },
    /// Set `http.proxy` in git's global config (the file `git config --global` writes) through
    /// git itself, or remove it when `value` is `None`.
    SetGitProxy {
        /// The proxy; `None` removes `http.proxy`.
        value: Option<String>,
    },
    /// Remove an environment entry from GoLand's `.idea/workspace.xml`, keeping its formatting.
    RemoveGoLandEnv {
        /// The workspace file.
        file: PathBuf,
        /// The variable.
        var: String,
        /// 1-based line of the entry.
        line: usize,
    },
}

/// The settings a doctor compares, in display order.
pub fn compared_settings() -> &'static [Setting] {
    &Setting::ALL
}

/// What [`run`] looks at, and how long it waits.
#[derive(Clone, Debug)]
pub struct Options {
    /// The time each process (shell, `go env`, `systemctl`) may take.
    pub timeout: Duration,
    /// Run the real shells and the IDE launch shells.
    pub shells: bool,
    /// Read the desktop session (environment.d, the systemd user manager).
    pub session: bool,
    /// Ask every `go` on PATH (`go env -json`).
    pub go_binaries: bool,
    /// Look at running IDE processes (Linux).
    pub processes: bool,
    /// Where `/proc` is (tests point it at a fake tree).
    pub proc_root: PathBuf,
    /// Predict what `sudo go …` sees (sudoers, root's go env file).
    pub sudo: bool,
    /// Where the sudo context reads sudoers, passwd and group.
    pub sudo_files: sudo::Files,
    /// Ask git for its own proxy settings (`git config`).
    pub git: bool,
    /// Read Docker's client and daemon proxy configuration (and, with a project, its
    /// Dockerfiles).
    pub docker: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            timeout: Duration::from_secs(10),
            shells: true,
            session: true,
            go_binaries: true,
            processes: true,
            proc_root: PathBuf::from("/proc"),
            sudo: true,
            sudo_files: sudo::Files::default(),
            git: true,
            docker: true,
        }
    }
}

/// How many findings of each severity.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Errors.
    pub errors: usize,
    /// Warnings.
    pub warnings: usize,
    /// Infos.
    pub infos: usize,
}

/// The doctor's report (the `DoctorReport` of the contract), redacted.
#[derive(Clone, Debug, Serialize)]
pub struct Report {
    /// When it was made (Unix seconds).
    pub generated_at: u64,
    /// The project whose files were read.
    pub project: Option<PathBuf>,
    /// What `go` uses in this process, per setting.
    pub reference: IndexMap<&'static str, String>,
    /// Every context, in a stable order.
    pub contexts: Vec<contexts::Context>,
    /// Setting → context id → cell.
    pub matrix: matrix::Matrix,
    /// Errors first.
    pub findings: Vec<Finding>,
    /// Counts.
    pub summary: Summary,
}

impl Report {
    /// Whether any error or warning was found (`doctor` exits 1).
    pub fn has_problems(&self) -> bool {
        self.summary.errors + self.summary.warnings > 0
    }
}

/// Collects every context, compares, lints, and reports.
pub fn run(env: &Env, project: Option<&Path>, options: &Options) -> Report {
    let observations = contexts::collect(env, project, options);
    let compared = matrix::compare(env, &observations);
    let mut findings = compared.findings;
    findings.extend(lints::lint_env(env));
    findings.extend(credentials::findings(env, &compared.reference));
    let rc = matrix::rc_findings(env, &findings);
    findings.extend(rc);
    findings.extend(context_findings(&observations, options));
    findings.extend(sudo::findings(&compared.reference, &observations));
    findings.extend(git::findings(
        env,
        project,
        options.timeout,
        &compared.reference,
        &observations,
    ));
    if options.docker {
        findings.extend(docker::findings(
            env,
            project,
            &compared.reference,
            &observations,
        ));
    }
    for f in &mut findings {
        f.message = crate::redact::redact_lines(&f.message);
        f.fix = f.fix.as_deref().map(crate::redact::redact_lines);
    }
    findings.sort_by_key(|f| std::cmp::Reverse(f.severity));
    let count = |s: Severity| findings.iter().filter(|f| f.severity == s).count();
    let summary = Summary {
        errors: count(Severity::Error),
        warnings: count(Severity::Warning),
        infos: count(Severity::Info),
    };
    Report {
        generated_at: std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or_default(),
        project: project.map(Path::to_path_buf),
        reference: compared
            .reference
            .iter()
            .map(|r| (r.setting.name(), redact(&r.value)))
            .collect(),
        contexts: observations.into_iter().map(|o| o.context).collect(),
        matrix: compared.matrix,
        findings,
        summary,
    }
}

/// Shells that hang or are slow break the IDEs that read them at launch.
fn context_findings(observations: &[contexts::Observation], options: &Options) -> Vec<Finding> {
    use contexts::{ContextKind, ContextStatus};
    let mut out = Vec::new();
    for o in observations {
        let c = &o.context;
        let shellish = matches!(c.kind, ContextKind::Shell | ContextKind::IdeLaunch);
        let finding = |id: &str, severity, message: String, fix: Option<String>| Finding {
            id: id.into(),
            severity,
            var: None,
            context: c.id.clone(),
            file: c.file.clone(),
            line: None,
            message,
            fix,
            fix_action: None,
        };
        match c.status {
            ContextStatus::Timeout => out.push(finding(
                "context-timeout",
                if shellish { Severity::Warning } else { Severity::Info },
                format!(
                    "{} did not answer within {} s; VS Code gives up on a shell after 10 s and JetBrains IDEs after 20 s, silently.",
                    c.label,
                    options.timeout.as_secs()
                ),
                shellish.then(|| "find what waits in its start-up files (a prompt, a network call, a tool asking for input) and guard it with an interactive-terminal check".to_string()),
            )),
            ContextStatus::Error => out.push(finding(
                "context-error",
                Severity::Info,
                format!(
                    "{} could not be read: {}",
                    c.label,
                    c.error.as_deref().unwrap_or("unknown error")
                ),
                None,
            )),
            ContextStatus::Ok | ContextStatus::Skipped => {
                if shellish && c.elapsed_ms.is_some_and(|ms| ms >= 3000) {
                    out.push(finding(
                        "slow-shell-start",
                        Severity::Info,
                        format!(
                            "{} took {} ms to start; IDEs that read the shell at launch wait that long (VS Code gives up at 10 s).",
                            c.label,
                            c.elapsed_ms.unwrap_or_default()
                        ),
                        None,
                    ));
                }
            }
        }
    }
    out
}

/// The report as Markdown for a helpdesk ticket: hosts are kept; passwords, user names in URLs
/// (often tokens) and URL query values never appear.
pub fn markdown(report: &Report) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    let _ = writeln!(out, "# modroute doctor report\n");
    let _ = writeln!(out, "- generated: {} UTC", utc_time(report.generated_at));
    let _ = writeln!(
        out,
        "- project: {}",
        report
            .project
            .as_ref()
            .map_or("(none)".to_string(), |p| format!("`{}`", p.display()))
    );
    let s = report.summary;
    let _ = writeln!(
        out,
        "- findings: {} error(s), {} warning(s), {} info(s)\n",
        s.errors, s.warnings, s.infos
    );

    let _ = writeln!(out, "## What go uses in this process\n");
    let _ = writeln!(out, "| setting | value |\n|---|---|");
    for (name, value) in &report.reference {
        let _ = writeln!(out, "| {name} | {} |", code(value));
    }

    let ok: Vec<&contexts::Context> = report
        .contexts
        .iter()
        .filter(|c| c.status == contexts::ContextStatus::Ok && c.id != "process")
        .collect();
    let _ = writeln!(
        out,
        "\n## Matrix\n\nWhat go would use in each context; **bold** differs from this process, `·` means the context does not set it and agrees.\n"
    );
    let _ = write!(out, "| setting |");
    for c in &ok {
        let _ = write!(out, " {} |", cell_text(&c.id));
    }
    let _ = write!(out, "\n|---|");
    for _ in &ok {
        let _ = write!(out, "---|");
    }
    out.push('\n');
    for (name, row) in &report.matrix {
        let _ = write!(out, "| {name} |");
        for c in &ok {
            let text = match row.get(&c.id) {
                Some(cell) if cell.mismatch => format!("**{}**", code(&cell.effective)),
                Some(cell) if cell.value.is_some() => code(&cell.effective),
                Some(_) => "·".into(),
                None => "".into(),
            };
            let _ = write!(out, " {text} |");
        }
        out.push('\n');
    }

    let _ = writeln!(
        out,
        "\n## Contexts\n\n| id | label | status | ms | detail |\n|---|---|---|---|---|"
    );
    for c in &report.contexts {
        let detail = [c.error.as_deref(), c.note.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join("; ");
        let status = serde_json::to_value(c.status)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "| {} | {} | {status} | {} | {} |",
            cell_text(&c.id),
            cell_text(&c.label),
            c.elapsed_ms.map(|m| m.to_string()).unwrap_or_default(),
            cell_text(&detail)
        );
    }

    let _ = writeln!(out, "\n## Findings\n");
    if report.findings.is_empty() {
        let _ = writeln!(out, "None.");
    }
    for f in &report.findings {
        let severity = match f.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        };
        let place = match (&f.file, f.line) {
            (Some(file), Some(line)) => format!(" — `{}:{line}`", file.display()),
            (Some(file), None) => format!(" — `{}`", file.display()),
            _ => String::new(),
        };
        let _ = writeln!(
            out,
            "- **{severity}** `{}` ({}{}){place}: {}",
            f.id,
            f.context,
            f.var
                .as_deref()
                .map(|v| format!(", {v}"))
                .unwrap_or_default(),
            f.message
        );
        if let Some(fix) = &f.fix {
            let _ = writeln!(out, "  - fix: {fix}");
        }
    }
    scrub(&out)
}

/// A value as inline code in a table cell.
fn code(value: &str) -> String {
    if value.is_empty() {
        "(empty)".into()
    } else {
        format!("`{}`", cell_text(value))
    }
}

/// Text safe inside a Markdown table cell.
fn cell_text(text: &str) -> String {
    text.replace('|', "\\|").replace(['\n', '\r'], " ")
}

/// Removes what must not reach a ticket: every URL's user info (`user:password@`, and a lone
/// user name, which is often a token) and its query values.
pub fn scrub(text: &str) -> String {
    let text = crate::redact::redact_lines(text);
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_str();
    while let Some(i) = rest.find("://") {
        let (head, tail) = rest.split_at(i + 3);
        out.push_str(head);
        let end = tail
            .find(|c: char| {
                c.is_whitespace() || matches!(c, '`' | '"' | '\'' | ',' | '|' | ')' | '*')
            })
            .unwrap_or(tail.len());
        let (url, after) = tail.split_at(end);
        let (authority, path) = url.split_at(url.find('/').unwrap_or(url.len()));
        match authority.rfind('@') {
            Some(at) => {
                out.push_str(crate::redact::MASK);
                out.push_str(&authority[at..]);
            }
            None => out.push_str(authority),
        }
        match path.split_once('?') {
            Some((p, query)) => {
                out.push_str(p);
                out.push('?');
                let masked: Vec<String> = query
                    .split('&')
                    .map(|kv| match kv.split_once('=') {
                        Some((k, _)) => format!("{k}={}", crate::redact::MASK),
                        None => kv.to_string(),
                    })
                    .collect();
                out.push_str(&masked.join("&"));
            }
            None => out.push_str(path),
        }
        rest = after;
    }
    out.push_str(rest);
    out
}

/// `YYYY-MM-DD HH:MM:SS` for Unix seconds (UTC), without a date library.
fn utc_time(secs: u64) -> String {
    let days = i64::try_from(secs / 86_400).unwrap_or_default();
    let rem = secs % 86_400;
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02}:{:02}",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scrub_keeps_hosts_and_drops_credentials() {
        let text = "GOPROXY `https://u:pw@proxy.corp.example/go?token=abc&x=1,https://ghp_tok@gh.example` http://plain.example:3128";
        let out = scrub(text);
        assert_eq!(
            out,
            "GOPROXY `https://xxxxx@proxy.corp.example/go?token=xxxxx&x=xxxxx,https://xxxxx@gh.example` http://plain.example:3128"
        );
    }

    #[test]
    fn utc_dates() {
        assert_eq!(utc_time(0), "1970-01-01 00:00:00");
        assert_eq!(utc_time(1_795_290_772), "2026-11-21 19:52:52");
        assert_eq!(utc_time(951_782_400), "2000-02-29 00:00:00");
    }
}
