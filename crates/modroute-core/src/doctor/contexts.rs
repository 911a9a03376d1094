//! What each context sees: this process, real shells (login and interactive), the shells VS Code
//! and JetBrains IDEs run at launch, the desktop session, VS Code and GoLand settings, direnv,
//! every `go` on PATH, and running IDE processes.
//!
//! [`collect`] runs every probe at once (one thread each), each process with its own timeout.
//! Shells start from a small clean environment (HOME, USER, PATH, SHELL, `TERM=dumb`, LANG, and
//! ZDOTDIR/XDG_CONFIG_HOME when set), so what they print is what their start-up files set, not
//! what this process inherited. They print the environment with `env -0` between two random
//! markers, so start-up noise and multi-line values are harmless; their output goes to a file,
//! so a background job an rc file leaves behind cannot hold a pipe open.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::io::{Read, Seek};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde::Serialize;

use super::ide::{direnv, goland, vscode};
use super::{Fix, Options};
use crate::env::{Env, TargetOs};
use crate::setting::Setting;
use crate::{apply, session, status};

/// What kind of context.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ContextKind {
    /// This process (the reference).
    Process,
    /// A real shell, login or interactive.
    Shell,
    /// The shell an IDE runs at launch to read the user's environment.
    IdeLaunch,
    /// The desktop session (environment.d, the systemd user manager).
    Session,
    /// VS Code settings.
    Vscode,
    /// GoLand project settings.
    Goland,
    /// direnv's `.envrc`.
    Direnv,
    /// A `go` binary on PATH.
    GoBinary,
    /// A running IDE, gopls or dlv process.
    RunningProcess,
    /// `sudo go …`: sudo's environment and root's go env file.
    Sudo,
    /// git, which `direct` fetches run: its own proxy settings.
    Git,
    /// Docker: what builds and containers get (the client's config.json), the daemon's proxy.
    Docker,
}

impl ContextKind {
    /// The kind as it appears in ids and finding ids (`ide-launch`).
    pub fn slug(self) -> &'static str {
        match self {
            ContextKind::Process => "process",
            ContextKind::Shell => "shell",
            ContextKind::IdeLaunch => "ide-launch",
            ContextKind::Session => "session",
            ContextKind::Vscode => "vscode",
            ContextKind::Goland => "goland",
            ContextKind::Direnv => "direnv",
            ContextKind::GoBinary => "go-binary",
            ContextKind::RunningProcess => "running-process",
            ContextKind::Sudo => "sudo",
            ContextKind::Git => "git",
            ContextKind::Docker => "docker",
        }
    }
}

/// How collecting a context went.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ContextStatus {
    /// Read.
    Ok,
    /// Failed (see `error`).
    Error,
    /// Did not finish within the timeout.
    Timeout,
    /// Not applicable here (not installed, not this OS, no user manager).
    Skipped,
}

/// One context, as the report lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Context {
    /// Stable id (`bash-login`, `vscode-user:Code`, `go:/usr/bin/go`, `pid:1234`).
    pub id: String,
    /// Kind.
    pub kind: ContextKind,
    /// Human label (`bash (login)`).
    pub label: String,
    /// How collecting it went.
    pub status: ContextStatus,
    /// What went wrong (redacted).
    pub error: Option<String>,
    /// How long collecting it took.
    pub elapsed_ms: Option<u64>,
    /// The file it reads, for file contexts.
    pub file: Option<PathBuf>,
    /// The process id, for running processes.
    pub pid: Option<u32>,
    /// For running processes: whether it started before the newest switch or fix.
    pub started_before_switch: Option<bool>,
    /// Something worth knowing about this context (`direnv is not installed`, …).
    pub note: Option<String>,
}

impl Context {
    pub(crate) fn new(id: impl Into<String>, kind: ContextKind, label: impl Into<String>) -> Self {
        Context {
            id: id.into(),
            kind,
            label: label.into(),
            status: ContextStatus::Ok,
            error: None,
            elapsed_ms: None,
            file: None,
            pid: None,
            started_before_switch: None,
            note: None,
        }
    }

    pub(crate) fn with_status(mut self, status: ContextStatus, error: Option<String>) -> Self {
        self.status = status;
        self.error = error.map(|e| crate::redact::redact_lines(&e));
        self
    }
}

/// One variable a context sets, with where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// The variable as written (`https_proxy`).
    pub var: String,
    /// The value (unredacted); `None` removes the variable (a VS Code terminal `null`).
    pub value: Option<String>,
    /// The file that sets it.
    pub file: Option<PathBuf>,
    /// 1-based line there.
    pub line: Option<usize>,
    /// How to remove it.
    pub fix: Option<Fix>,
}

/// What a context sees, unredacted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Seen {
    /// A whole environment: a variable that is absent is unset there (processes, shells, the
    /// session). `located` names the file and line of variables whose origin is known.
    Environment {
        /// The setting variables (every spelling) present in that environment.
        vars: BTreeMap<String, String>,
        /// Where some of them come from.
        located: Vec<Entry>,
    },
    /// Variables added on top of the environment the tool was started with (IDE settings,
    /// direnv), in the order they apply.
    Overrides(Vec<Entry>),
    /// What `go env -json` printed (GO* settings only).
    GoEnv(BTreeMap<String, String>),
    /// Cells the context computed itself (sudo predicts root's whole resolution; git only has
    /// the proxy rows). Settings it does not list have no cell.
    Resolved(Vec<ResolvedCell>),
    /// Nothing (the context was skipped or failed).
    Nothing,
}

/// One setting as a context that resolves for itself sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResolvedCell {
    /// The setting.
    pub setting: Setting,
    /// What the context sets (unredacted); `None` when it does not set it.
    pub value: Option<String>,
    /// What is used there (unredacted).
    pub effective: String,
    /// The file that decides it.
    pub file: Option<PathBuf>,
    /// 1-based line there.
    pub line: Option<usize>,
}

/// A context and what it sees.
#[derive(Clone, Debug)]
pub struct Observation {
    /// The context.
    pub context: Context,
    /// What it sees.
    pub seen: Seen,
}

impl Observation {
    fn nothing(context: Context) -> Self {
        Observation {
            context,
            seen: Seen::Nothing,
        }
    }
}

/// Every variable name of the 16 settings (lower-case proxy spellings included).
pub fn setting_vars() -> impl Iterator<Item = &'static str> {
    Setting::ALL
        .into_iter()
        .flat_map(|s| s.env_names().iter().copied())
}

fn is_setting_var(name: &str) -> bool {
    setting_vars().any(|v| v == name)
}

/// Collects every context for `env` (and `project`'s files), all at once.
pub fn collect(env: &Env, project: Option<&Path>, options: &Options) -> Vec<Observation> {
    type Job<'a> = Box<dyn FnOnce() -> Vec<Observation> + Send + 'a>;
    let mut jobs: Vec<Job<'_>> = Vec::new();
    jobs.push(Box::new(|| vec![process(env)]));
    if options.shells {
        for shell in ["bash", "zsh", "fish"] {
            let Some(program) = on_path(env, shell) else {
                continue;
            };
            for login in [true, false] {
                let program = program.clone();
                jobs.push(Box::new(move || {
                    vec![shell_context(env, shell, &program, login, options.timeout)]
                }));
            }
        }
        jobs.push(Box::new(|| {
            vec![ide_launch(env, Ide::VsCode, options.timeout)]
        }));
        jobs.push(Box::new(|| {
            vec![ide_launch(env, Ide::JetBrains, options.timeout)]
        }));
    }
    if options.session {
        jobs.push(Box::new(|| vec![session_context(env, options.timeout)]));
    }
    jobs.push(Box::new(move || ide_files(env, project)));
    if options.go_binaries {
        let reference_toolchain = status::resolutions(env)
            .into_iter()
            .find(|r| r.setting == Setting::GoToolchain)
            .map(|r| r.value)
            .unwrap_or_default();
        for (shown, real) in go_binaries(env) {
            let reference_toolchain = reference_toolchain.clone();
            jobs.push(Box::new(move || {
                vec![go_binary(
                    env,
                    &shown,
                    &real,
                    &reference_toolchain,
                    options.timeout,
                )]
            }));
        }
    }
    if options.sudo && env.os() != TargetOs::Windows {
        jobs.push(Box::new(|| {
            vec![super::sudo::observe(env, &options.sudo_files)]
        }));
    }
    if options.git {
        jobs.push(Box::new(move || {
            vec![super::git::observe(env, project, options.timeout)]
        }));
    }
    if options.docker {
        jobs.push(Box::new(|| super::docker::observe(env)));
    }
    if options.processes && env.os() == TargetOs::Unix {
        jobs.push(Box::new(|| {
            let root = options.proc_root.as_path();
            let Some(uid) = own_uid(root) else {
                return Vec::new();
            };
            processes(root, uid, apply::last_change_time(env))
        }));
    }
    std::thread::scope(|scope| {
        let handles: Vec<_> = jobs.into_iter().map(|job| scope.spawn(job)).collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    })
}

/// This process: the reference.
fn process(env: &Env) -> Observation {
    let vars = env
        .iter()
        .filter_map(|(k, v)| {
            let k = k.to_str()?;
            is_setting_var(k).then(|| (k.to_string(), v.to_string_lossy().into_owned()))
        })
        .collect();
    let mut context = Context::new("process", ContextKind::Process, "this process");
    context.elapsed_ms = Some(0);
    context.pid = Some(std::process::id());
    Observation {
        context,
        seen: Seen::Environment {
            vars,
            located: Vec::new(),
        },
    }
}

fn on_path(env: &Env, program: &str) -> Option<PathBuf> {
    let path = env.get_os("PATH")?;
    which::which_in(program, Some(path), "/").ok()
}

/// The clean environment shells start from.
fn shell_vars(env: &Env) -> Vec<(OsString, OsString)> {
    let mut vars: Vec<(OsString, OsString)> = Vec::new();
    for name in ["HOME", "USER", "LOGNAME", "PATH", "SHELL", "LANG"] {
        if let Some(v) = env.get_os(name) {
            vars.push((name.into(), v.to_os_string()));
        }
    }
    vars.push(("TERM".into(), "dumb".into()));
    for name in ["ZDOTDIR", "XDG_CONFIG_HOME"] {
        if let Some(v) = env.get_os(name).filter(|v| !v.is_empty()) {
            vars.push((name.into(), v.to_os_string()));
        }
    }
    vars
}

/// The outcome of running a probe process.
pub(crate) enum Ran {
    /// Finished: exit success, stdout, stderr.
    Done(bool, Vec<u8>, Vec<u8>),
    /// Killed at the deadline.
    TimedOut,
    /// Could not be started.
    Failed(String),
}

/// Runs `program args` with exactly `vars`, stdout and stderr to temporary files, killing its
/// whole process group at `timeout`.
pub(crate) fn run(
    program: &Path,
    args: &[&str],
    vars: &[(OsString, OsString)],
    cwd: &Path,
    timeout: Duration,
) -> Ran {
    let (Ok(mut out), Ok(mut err)) = (tempfile::tempfile(), tempfile::tempfile()) else {
        return Ran::Failed("cannot create a temporary file".into());
    };
    let (Ok(out_w), Ok(err_w)) = (out.try_clone(), err.try_clone()) else {
        return Ran::Failed("cannot create a temporary file".into());
    };
    // Detached from this terminal, as VS Code and JetBrains run their probes: an interactive
    // shell in a background process group of a terminal would be stopped (SIGTTOU) the moment
    // it touches the terminal. The new session's process group is also what a timeout kills.
    let mut command = match detacher() {
        Some(Detacher::Setsid(setsid)) => {
            let mut c = Command::new(setsid);
            c.arg(program);
            c
        }
        Some(Detacher::Perl(perl)) => {
            let mut c = Command::new(perl);
            c.args([
                "-MPOSIX",
                "-e",
                "POSIX::setsid(); exec {$ARGV[0]} @ARGV or exit 127",
                "--",
            ])
            .arg(program);
            c
        }
        None => {
            let mut c = Command::new(program);
            #[cfg(unix)]
            {
                use std::os::unix::process::CommandExt;
                c.process_group(0);
            }
            c
        }
    };
    command
        .args(args)
        .env_clear()
        .envs(vars.iter().map(|(k, v)| (k, v)))
        .current_dir(cwd)
        .stdin(Stdio::null())
        .stdout(Stdio::from(out_w))
        .stderr(Stdio::from(err_w));
    let mut child = match command.spawn() {
        Ok(c) => c,
        Err(e) => return Ran::Failed(format!("cannot start {}: {e}", program.display())),
    };
    // A thread waits for the exit, so it is seen at once (no polling delay); at the deadline
    // the whole process group is killed, which ends that wait too.
    let pid = child.id();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait());
    });
    let status = match rx.recv_timeout(timeout) {
        Ok(Ok(status)) => status,
        Ok(Err(e)) => return Ran::Failed(e.to_string()),
        Err(_) => {
            kill_group(pid);
            let _ = rx.recv_timeout(Duration::from_secs(2));
            return Ran::TimedOut;
        }
    };
    let read = |f: &mut std::fs::File| {
        let mut buf = Vec::new();
        let _ = f.rewind();
        let _ = f.read_to_end(&mut buf);
        buf
    };
    Ran::Done(status.success(), read(&mut out), read(&mut err))
}

/// How a probe is started in a session of its own.
enum Detacher {
    /// util-linux `setsid program args…` (execs in place: same pid, its own session).
    Setsid(&'static Path),
    /// `perl -MPOSIX -e 'setsid; exec'` (macOS has perl but no setsid).
    Perl(&'static Path),
}

/// The detacher this system has (fixed system paths: never something a PATH could swap in).
fn detacher() -> Option<Detacher> {
    if !cfg!(unix) {
        return None;
    }
    let found = |paths: &[&'static str]| {
        paths
            .iter()
            .map(|p| Path::new(*p))
            .find(|p| is_executable(p))
    };
    found(&["/usr/bin/setsid", "/bin/setsid"])
        .map(Detacher::Setsid)
        .or_else(|| found(&["/usr/bin/perl"]).map(Detacher::Perl))
}

/// Kills a probe and everything it started (on Unix its own process group).
pub(crate) fn kill_group(pid: u32) {
    let mut kill = if cfg!(windows) {
        let mut c = Command::new("taskkill");
        c.args(["/PID", &pid.to_string(), "/T", "/F"]);
        c
    } else {
        let mut c = Command::new("kill");
        c.args(["-KILL", "--", &format!("-{pid}")]);
        c
    };
    let _ = kill
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
}

/// The last lines of a probe's stderr, for an error message.
fn tail(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    lines[lines.len().saturating_sub(3)..].join(" / ")
}

/// A fresh marker, so nothing a start-up file prints can be mistaken for the output.
fn marker() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or_default();
    format!("__modroute_{:x}_{nanos:x}__", std::process::id())
}

/// The command a shell runs: the environment, NUL-separated, between two markers. `env` is
/// named by its absolute path so no alias or function in a start-up file replaces it; the
/// syntax is valid in POSIX shells, fish and csh alike.
fn print_command(env_program: &Path, mark: &str) -> String {
    let program = env_program.to_string_lossy().replace('\'', "");
    format!("echo {mark}; '{program}' -0; echo {mark}")
}

/// The setting variables in `env -0` output between the markers.
fn parse_marked(stdout: &[u8], mark: &str) -> Option<BTreeMap<String, String>> {
    let open = format!("{mark}\n");
    let begin = find(stdout, open.as_bytes())? + open.len();
    let end = begin + rfind(&stdout[begin..], mark.as_bytes())?;
    Some(parse_env0(&stdout[begin..end]))
}

/// The setting variables of NUL-separated `NAME=value` entries.
pub fn parse_env0(bytes: &[u8]) -> BTreeMap<String, String> {
    bytes
        .split(|&b| b == 0)
        .filter_map(|entry| {
            let eq = entry.iter().position(|&b| b == b'=')?;
            let name = std::str::from_utf8(&entry[..eq]).ok()?;
            is_setting_var(name).then(|| {
                (
                    name.to_string(),
                    String::from_utf8_lossy(&entry[eq + 1..]).into_owned(),
                )
            })
        })
        .collect()
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn rfind(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).rposition(|w| w == needle)
}

/// Runs one shell probe and turns the result into an observation.
fn probe(
    mut context: Context,
    env: &Env,
    program: &Path,
    flags: &[&str],
    extra: &[(&str, &str)],
    timeout: Duration,
) -> Observation {
    let started = Instant::now();
    let Some(env_program) = on_path(env, "env") else {
        return Observation::nothing(
            context.with_status(ContextStatus::Error, Some("`env` is not on PATH".into())),
        );
    };
    let mark = marker();
    let command = print_command(&env_program, &mark);
    let mut args: Vec<&str> = flags.to_vec();
    args.push(&command);
    let mut vars = shell_vars(env);
    vars.extend(
        extra
            .iter()
            .map(|(k, v)| (OsString::from(k), OsString::from(v))),
    );
    let cwd = env
        .home()
        .filter(|h| h.is_dir())
        .unwrap_or_else(|| "/".into());
    let ran = run(program, &args, &vars, &cwd, timeout);
    context.elapsed_ms = Some(elapsed_ms(started));
    match ran {
        Ran::Done(success, stdout, stderr) => match parse_marked(&stdout, &mark) {
            Some(vars) => {
                if !success {
                    context.note = Some(format!(
                        "the shell exited with an error after printing its environment: {}",
                        crate::redact::redact_lines(&tail(&stderr))
                    ));
                }
                Observation {
                    context,
                    seen: Seen::Environment {
                        vars,
                        located: Vec::new(),
                    },
                }
            }
            None => {
                let why = match tail(&stderr) {
                    t if t.is_empty() => "it printed no environment".to_string(),
                    t => t,
                };
                Observation::nothing(context.with_status(ContextStatus::Error, Some(why)))
            }
        },
        Ran::TimedOut => Observation::nothing(context.with_status(
            ContextStatus::Timeout,
            Some(format!(
                "no answer within {} s (a start-up file waits for input or hangs)",
                timeout.as_secs_f32()
            )),
        )),
        Ran::Failed(e) => Observation::nothing(context.with_status(ContextStatus::Error, Some(e))),
    }
}

fn elapsed_ms(started: Instant) -> u64 {
    u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX)
}

/// `bash -l -c` / `bash -i -c` (and zsh, fish).
fn shell_context(
    env: &Env,
    shell: &str,
    program: &Path,
    login: bool,
    timeout: Duration,
) -> Observation {
    let (suffix, flag, label) = if login {
        ("login", "-l", "login")
    } else {
        ("interactive", "-i", "interactive")
    };
    let id = format!("{shell}-{suffix}");
    let mut context = Context::new(id.clone(), ContextKind::Shell, format!("{shell} ({label})"));
    context.file = main_file(env, &id, shell);
    probe(context, env, program, &[flag, "-c"], &[], timeout)
}

/// The last existing user start-up file a shell context reads (the one most likely to matter).
fn main_file(env: &Env, context_id: &str, shell: &str) -> Option<PathBuf> {
    super::matrix::files_read(env, context_id, shell)
        .into_iter()
        .rev()
        .find(|p| p.is_file())
}

/// The IDE whose launch-time shell is emulated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Ide {
    VsCode,
    JetBrains,
}

/// `$SHELL` run as VS Code (`-i -l -c`, `VSCODE_RESOLVING_ENVIRONMENT=1`) or a JetBrains IDE
/// (`-l -i -c`, `INTELLIJ_ENVIRONMENT_READER=true`; no `-i` for fish, no `-l` for csh) runs it
/// at launch to read the user's environment.
fn ide_launch(env: &Env, ide: Ide, timeout: Duration) -> Observation {
    let (id, label) = match ide {
        Ide::VsCode => ("vscode-launch", "VS Code launch"),
        Ide::JetBrains => ("jetbrains-launch", "JetBrains IDE launch"),
    };
    let context = Context::new(id, ContextKind::IdeLaunch, label);
    if env.os() == TargetOs::Windows {
        let why = "on Windows the IDE inherits the environment Explorer gives it; no shell is run";
        return Observation::nothing(context.with_status(ContextStatus::Skipped, Some(why.into())));
    }
    let Some(shell) = env.path("SHELL") else {
        return Observation::nothing(
            context.with_status(ContextStatus::Skipped, Some("$SHELL is not set".into())),
        );
    };
    let name = shell
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let csh = matches!(name.as_str(), "csh" | "tcsh");
    if matches!(name.as_str(), "pwsh" | "nu" | "xonsh" | "elvish") {
        let why = format!("the launch of a {name} login shell is not emulated");
        return Observation::nothing(context.with_status(ContextStatus::Skipped, Some(why)));
    }
    let (flags, extra): (&[&str], Vec<(&str, &str)>) = match ide {
        Ide::VsCode if csh => (&["-ic"], vec![("VSCODE_RESOLVING_ENVIRONMENT", "1")]),
        Ide::VsCode => (
            &["-i", "-l", "-c"],
            vec![("VSCODE_RESOLVING_ENVIRONMENT", "1")],
        ),
        Ide::JetBrains => {
            let flags: &[&str] = if name == "fish" {
                &["-l", "-c"]
            } else if csh {
                &["-i", "-c"]
            } else {
                &["-l", "-i", "-c"]
            };
            let mut extra = vec![("INTELLIJ_ENVIRONMENT_READER", "true")];
            if name == "zsh" {
                extra.push(("DISABLE_AUTO_UPDATE", "true"));
            }
            (flags, extra)
        }
    };
    let mut context = context;
    context.label = format!("{label} ({name} {})", flags.join(" "));
    context.file = main_file(env, id, &name);
    if ide == Ide::JetBrains && env.os() == TargetOs::Unix {
        context.note = Some(
            "on Linux, JetBrains IDEs read this only with -Dij.load.shell.env=true; otherwise they inherit the desktop session's environment".into(),
        );
    }
    probe(context, env, &shell, flags, &extra, timeout)
}

/// The desktop session: the user's environment.d files, and the systemd user manager's
/// environment when one is reachable.
fn session_context(env: &Env, timeout: Duration) -> Observation {
    let started = Instant::now();
    let mut context = Context::new("session", ContextKind::Session, "desktop session");
    if env.os() != TargetOs::Unix {
        let why = "reading the launchd / registry session environment is not implemented";
        return Observation::nothing(context.with_status(ContextStatus::Skipped, Some(why.into())));
    }
    let mut expand: BTreeMap<String, String> = env
        .iter()
        .filter_map(|(k, v)| {
            let k = k.to_str()?;
            (!is_setting_var(k)).then(|| (k.to_string(), v.to_string_lossy().into_owned()))
        })
        .collect();
    let mut vars = BTreeMap::new();
    let mut located: Vec<Entry> = Vec::new();
    let files = session::environment_d::user_files(env);
    for file in &files {
        let Ok(text) = std::fs::read_to_string(file) else {
            continue;
        };
        for parsed in session::environment_d::parse(&text, &mut expand) {
            if !is_setting_var(&parsed.name) {
                continue;
            }
            vars.insert(parsed.name.clone(), parsed.value.clone());
            located.retain(|e| e.var != parsed.name);
            located.push(Entry {
                var: parsed.name,
                value: Some(parsed.value),
                file: Some(file.clone()),
                line: Some(parsed.line),
                fix: Some(Fix::CommentOutShadow {
                    file: file.clone(),
                    line: parsed.line,
                }),
            });
        }
    }
    let manager = env
        .path("XDG_RUNTIME_DIR")
        .is_some_and(|dir| dir.join("systemd/private").exists());
    let systemctl = on_path(env, "systemctl");
    let mut notes = Vec::new();
    match (manager, systemctl) {
        (true, Some(program)) => {
            let all: Vec<(OsString, OsString)> = env
                .iter()
                .map(|(k, v)| (k.to_os_string(), v.to_os_string()))
                .collect();
            match run(
                &program,
                &["--user", "show-environment"],
                &all,
                Path::new("/"),
                timeout,
            ) {
                Ran::Done(true, stdout, _) => {
                    // The manager's environment is what apps started from now on get; it
                    // replaces environment.d's values (read at the manager's start).
                    let live = parse_show_environment(&String::from_utf8_lossy(&stdout));
                    located.retain(|e| live.get(&e.var) == e.value.as_ref());
                    vars = live;
                    notes.push("the systemd user manager's environment".to_string());
                }
                _ => notes.push("the systemd user manager did not answer".into()),
            }
        }
        _ => notes.push("no systemd user manager is reachable".into()),
    }
    context.elapsed_ms = Some(elapsed_ms(started));
    if files.is_empty()
        && !notes
            .iter()
            .any(|n| n.starts_with("the systemd user manager's"))
    {
        let why = "no environment.d files and no systemd user manager";
        return Observation::nothing(context.with_status(ContextStatus::Skipped, Some(why.into())));
    }
    context.file = session::environment_d::user_dir(env);
    context.note = Some(format!(
        "environment.d ({} file(s)); {}",
        files.len(),
        notes.join("; ")
    ));
    Observation {
        context,
        seen: Seen::Environment { vars, located },
    }
}

/// `systemctl --user show-environment` output: `NAME=value` lines, special values as
/// `NAME=$'…'` with C escapes.
fn parse_show_environment(text: &str) -> BTreeMap<String, String> {
    text.lines()
        .filter_map(|line| {
            let (name, value) = line.split_once('=')?;
            if !is_setting_var(name) {
                return None;
            }
            let value = match value.strip_prefix("$'").and_then(|v| v.strip_suffix('\'')) {
                Some(quoted) => {
                    let mut out = String::new();
                    let mut chars = quoted.chars();
                    while let Some(c) = chars.next() {
                        match (c, c == '\\') {
                            (_, true) => match chars.next() {
                                Some('n') => out.push('\n'),
                                Some('t') => out.push('\t'),
                                Some(other) => out.push(other),
                                None => {}
                            },
                            (c, false) => out.push(c),
                        }
                    }
                    out
                }
                None => value.to_string(),
            };
            Some((name.to_string(), value))
        })
        .collect()
}

/// VS Code (user settings of each product, workspace settings), GoLand and direnv files.
fn ide_files(env: &Env, project: Option<&Path>) -> Vec<Observation> {
    let mut out = Vec::new();
    for product in vscode::PRODUCTS {
        if let Some(path) = vscode::user_settings_path(env, product) {
            out.extend(vscode_file(
                env,
                &path,
                &format!("vscode-user:{product}"),
                &format!("{product} user settings"),
            ));
        }
    }
    let Some(project) = project else {
        return out;
    };
    out.extend(vscode_file(
        env,
        &vscode::workspace_settings_path(project),
        "vscode-workspace",
        "workspace settings",
    ));
    out.extend(goland_file(&goland::workspace_path(project)));
    out.extend(direnv_file(env, &direnv::envrc_path(project)));
    out
}

/// Reads a file that may be missing: `None` when it does not exist.
fn read_optional(path: &Path) -> Option<Result<String, String>> {
    match std::fs::read(path) {
        Ok(bytes) => Some(
            String::from_utf8(bytes)
                .map_err(|e| format!("not UTF-8 (byte {})", e.utf8_error().valid_up_to())),
        ),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => Some(Err(e.to_string())),
    }
}

fn vscode_file(env: &Env, path: &Path, id: &str, label: &str) -> Vec<Observation> {
    let started = Instant::now();
    let Some(read) = read_optional(path) else {
        return Vec::new();
    };
    let mut tools = Context::new(
        id,
        ContextKind::Vscode,
        format!("VS Code Go tools ({label})"),
    );
    tools.file = Some(path.to_path_buf());
    let entries = match read.and_then(|text| vscode::parse(&text)) {
        Ok(entries) => entries,
        Err(e) => {
            let error = format!("{}: {e}", path.display());
            return vec![Observation::nothing(
                tools.with_status(ContextStatus::Error, Some(error)),
            )];
        }
    };
    let here = vscode::terminal_os(env.os());
    let convert = |e: &vscode::VsEntry, substitute: bool| Entry {
        var: e.var.clone(),
        value: e.value.as_ref().map(|v| {
            if substitute {
                vscode::substitute(v, env)
            } else {
                v.clone()
            }
        }),
        file: Some(path.to_path_buf()),
        line: Some(e.line),
        fix: Some(Fix::RemoveVsCodeKey {
            file: path.to_path_buf(),
            key_path: e.key_path.clone(),
        }),
    };
    // The Go extension applies `http.proxy` after `go.toolsEnvVars`, wherever it stands.
    let mut tool_source: Vec<&vscode::VsEntry> = entries
        .iter()
        .filter(|e| e.scope == vscode::Scope::Tools)
        .collect();
    tool_source.sort_by_key(|e| e.key_path[0] == vscode::HTTP_PROXY);
    let tool_entries: Vec<Entry> = tool_source.into_iter().map(|e| convert(e, true)).collect();
    let terminal_entries: Vec<Entry> = entries
        .iter()
        .filter(|e| e.scope == vscode::Scope::Terminal(here.into()))
        .map(|e| convert(e, false))
        .collect();
    tools.elapsed_ms = Some(elapsed_ms(started));
    tools.note =
        Some("go, gopls and dlv started by the Go extension (go.toolsEnvVars, http.proxy)".into());
    let mut out = vec![Observation {
        context: tools,
        seen: Seen::Overrides(tool_entries),
    }];
    if !terminal_entries.is_empty() {
        let (kind_id, rest) = id.split_once(':').unwrap_or((id, ""));
        let terminal_id = match rest {
            "" => format!("{kind_id}-terminal"),
            product => format!("{kind_id}-terminal:{product}"),
        };
        let mut terminal = Context::new(
            terminal_id,
            ContextKind::Vscode,
            format!("VS Code terminal ({label})"),
        );
        terminal.file = Some(path.to_path_buf());
        terminal.elapsed_ms = Some(elapsed_ms(started));
        terminal.note = Some(format!(
            "terminal only (terminal.integrated.env.{here}); the Go extension's tools do not see it"
        ));
        out.push(Observation {
            context: terminal,
            seen: Seen::Overrides(terminal_entries),
        });
    }
    out
}

fn goland_file(path: &Path) -> Vec<Observation> {
    let started = Instant::now();
    let Some(read) = read_optional(path) else {
        return Vec::new();
    };
    let mut project = Context::new(
        "goland-workspace",
        ContextKind::Goland,
        "GoLand project (Go Modules environment)",
    );
    project.file = Some(path.to_path_buf());
    let entries = match read.and_then(|text| goland::parse(&text)) {
        Ok(entries) => entries,
        Err(e) => {
            let error = format!("{}: {e}", path.display());
            return vec![Observation::nothing(
                project.with_status(ContextStatus::Error, Some(error)),
            )];
        }
    };
    let convert = |e: &goland::GoLandEntry| Entry {
        var: e.var.clone(),
        value: Some(e.value.clone()),
        file: Some(path.to_path_buf()),
        line: Some(e.line),
        fix: Some(Fix::RemoveGoLandEnv {
            file: path.to_path_buf(),
            var: e.var.clone(),
            line: e.line,
        }),
    };
    project.elapsed_ms = Some(elapsed_ms(started));
    let mut out = vec![Observation {
        context: project,
        seen: Seen::Overrides(
            entries
                .iter()
                .filter(|e| e.origin == goland::Origin::Project)
                .map(convert)
                .collect(),
        ),
    }];
    let mut names: Vec<&str> = Vec::new();
    for e in &entries {
        if let goland::Origin::RunConfiguration { name } = &e.origin
            && !names.contains(&name.as_str())
        {
            names.push(name);
        }
    }
    for name in names {
        let mut context = Context::new(
            format!("goland-run:{name}"),
            ContextKind::Goland,
            format!("GoLand run configuration \"{name}\""),
        );
        context.file = Some(path.to_path_buf());
        context.elapsed_ms = Some(elapsed_ms(started));
        let selected = entries
            .iter()
            .filter(
                |e| matches!(&e.origin, goland::Origin::RunConfiguration { name: n } if n == name),
            )
            .map(convert)
            .collect();
        out.push(Observation {
            context,
            seen: Seen::Overrides(selected),
        });
    }
    out
}

fn direnv_file(env: &Env, path: &Path) -> Vec<Observation> {
    let started = Instant::now();
    let Some(read) = read_optional(path) else {
        return Vec::new();
    };
    let mut context = Context::new("direnv", ContextKind::Direnv, "direnv (.envrc)");
    context.file = Some(path.to_path_buf());
    let text = match read {
        Ok(text) => text,
        Err(e) => {
            let error = format!("{}: {e}", path.display());
            return vec![Observation::nothing(
                context.with_status(ContextStatus::Error, Some(error)),
            )];
        }
    };
    let entries: Vec<Entry> = direnv::scan(&text)
        .into_iter()
        .map(|e| Entry {
            var: e.var,
            value: Some(e.value),
            file: Some(path.to_path_buf()),
            line: Some(e.line),
            fix: Some(Fix::CommentOutShadow {
                file: path.to_path_buf(),
                line: e.line,
            }),
        })
        .collect();
    context.elapsed_ms = Some(elapsed_ms(started));
    context.note = Some(match direnv::on_path(env) {
        Some(p) => format!(
            "read statically, not run; direnv is installed ({}), so shells with its hook load it after `direnv allow`",
            p.display()
        ),
        None => {
            "read statically, not run; direnv is not on PATH, so this file has no effect yet".into()
        }
    });
    vec![Observation {
        context,
        seen: Seen::Overrides(entries),
    }]
}

/// Every distinct `go` on PATH, in PATH order: (path as found, canonical path).
pub fn go_binaries(env: &Env) -> Vec<(PathBuf, PathBuf)> {
    let Some(path) = env.get_os("PATH") else {
        return Vec::new();
    };
    let name = if env.os() == TargetOs::Windows {
        "go.exe"
    } else {
        "go"
    };
    let mut out: Vec<(PathBuf, PathBuf)> = Vec::new();
    for dir in std::env::split_paths(path) {
        if dir.as_os_str().is_empty() || !dir.is_absolute() {
            continue;
        }
        let candidate = dir.join(name);
        if !is_executable(&candidate) {
            continue;
        }
        let Ok(real) = std::fs::canonicalize(&candidate) else {
            continue;
        };
        if !out.iter().any(|(_, r)| *r == real) {
            out.push((candidate, real));
        }
    }
    out
}

fn is_executable(path: &Path) -> bool {
    let Ok(meta) = std::fs::metadata(path) else {
        return false;
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        meta.is_file() && meta.permissions().mode() & 0o111 != 0
    }
    #[cfg(not(unix))]
    {
        meta.is_file()
    }
}

/// `go env -json` of one binary, started with this process's environment (in `/`, so no go.mod
/// can ask for a toolchain switch).
fn go_binary(
    env: &Env,
    shown: &Path,
    real: &Path,
    reference_toolchain: &str,
    timeout: Duration,
) -> Observation {
    let started = Instant::now();
    let mut context = Context::new(
        format!("go:{}", shown.display()),
        ContextKind::GoBinary,
        format!("go ({})", shown.display()),
    );
    context.file = Some(shown.to_path_buf());
    let mut vars: Vec<(OsString, OsString)> = env
        .iter()
        .map(|(k, v)| (k.to_os_string(), v.to_os_string()))
        .collect();
    // GOTOOLCHAIN=go1.x would make this go download or run another toolchain: ask this one.
    let pinned = reference_toolchain.starts_with("go");
    if pinned {
        vars.retain(|(k, _)| k != "GOTOOLCHAIN");
        vars.push(("GOTOOLCHAIN".into(), "local".into()));
        context.note = Some(format!(
            "asked with GOTOOLCHAIN=local: GOTOOLCHAIN={reference_toolchain} would switch toolchains"
        ));
    }
    let mut args = vec!["env", "-json", "GOVERSION", "GOROOT"];
    args.extend(
        Setting::ALL
            .iter()
            .filter(|s| s.kind() == crate::SettingKind::Go)
            .map(|s| s.name()),
    );
    let ran = run(real, &args, &vars, Path::new("/"), timeout);
    context.elapsed_ms = Some(elapsed_ms(started));
    match ran {
        Ran::Done(true, stdout, _) => {
            match serde_json::from_slice::<BTreeMap<String, String>>(&stdout) {
                Ok(mut values) => {
                    if let Some(version) = values.remove("GOVERSION") {
                        context.label = format!("{version} ({})", shown.display());
                    }
                    if let Some(root) = values.remove("GOROOT") {
                        let note = format!("GOROOT {root}");
                        context.note = Some(match context.note.take() {
                            Some(n) => format!("{note}; {n}"),
                            None => note,
                        });
                    }
                    if pinned {
                        values.remove("GOTOOLCHAIN");
                    }
                    Observation {
                        context,
                        seen: Seen::GoEnv(values),
                    }
                }
                Err(e) => Observation::nothing(context.with_status(
                    ContextStatus::Error,
                    Some(format!("go env -json printed something else: {e}")),
                )),
            }
        }
        Ran::Done(false, _, stderr) => {
            Observation::nothing(context.with_status(ContextStatus::Error, Some(tail(&stderr))))
        }
        Ran::TimedOut => Observation::nothing(context.with_status(
            ContextStatus::Timeout,
            Some(format!(
                "go env did not finish within {} s",
                timeout.as_secs_f32()
            )),
        )),
        Ran::Failed(e) => Observation::nothing(context.with_status(ContextStatus::Error, Some(e))),
    }
}

/// The processes the doctor looks for (by `comm` or the name of `argv[0]`).
pub const IDE_PROCESSES: [&str; 8] = [
    "code", "code-oss", "codium", "cursor", "goland", "idea", "gopls", "dlv",
];

/// The uid that owns `proc_root/self` (this process's uid on a real /proc).
fn own_uid(proc_root: &Path) -> Option<u32> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        std::fs::metadata(proc_root.join("self"))
            .ok()
            .map(|m| m.uid())
    }
    #[cfg(not(unix))]
    {
        let _ = proc_root;
        None
    }
}

/// Clock ticks per second of `/proc/PID/stat`'s start time (`sysconf(_SC_CLK_TCK)`, 100 on
/// every mainstream Linux architecture).
const CLK_TCK: u64 = 100;

/// Running IDE, gopls and dlv processes of user `uid` under `proc_root` (`/proc`), with the
/// setting variables of their environment (unreadable ones skipped). Processes with the same
/// name and the same variables are listed once (the oldest). `switched_at` (Unix seconds) marks
/// those started before it.
pub fn processes(proc_root: &Path, uid: u32, switched_at: Option<u64>) -> Vec<Observation> {
    let Ok(dir) = std::fs::read_dir(proc_root) else {
        return Vec::new();
    };
    let btime = std::fs::read_to_string(proc_root.join("stat"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("btime ")?.trim().parse::<u64>().ok())
        });
    let mut pids: Vec<u32> = dir
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
        .collect();
    pids.sort_unstable();
    let mut seen_keys: Vec<(String, BTreeMap<String, String>)> = Vec::new();
    let mut out = Vec::new();
    for pid in pids {
        let started = Instant::now();
        let dir = proc_root.join(pid.to_string());
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            if std::fs::metadata(&dir).map(|m| m.uid()).ok() != Some(uid) {
                continue;
            }
        }
        #[cfg(not(unix))]
        let _ = uid;
        let comm = std::fs::read_to_string(dir.join("comm"))
            .map(|c| c.trim_end().to_string())
            .unwrap_or_default();
        let argv0 = std::fs::read(dir.join("cmdline"))
            .ok()
            .and_then(|c| c.split(|&b| b == 0).next().map(<[u8]>::to_vec))
            .map(|a| {
                let a = String::from_utf8_lossy(&a).into_owned();
                let base = a.rsplit('/').next().unwrap_or_default().to_string();
                base.strip_suffix(".sh").map(str::to_string).unwrap_or(base)
            })
            .unwrap_or_default();
        let Some(name) = IDE_PROCESSES
            .iter()
            .find(|n| **n == comm || **n == argv0)
            .copied()
        else {
            continue;
        };
        let Ok(environ) = std::fs::read(dir.join("environ")) else {
            continue;
        };
        let vars = parse_env0(&environ);
        let key = (name.to_string(), vars.clone());
        if seen_keys.contains(&key) {
            continue;
        }
        seen_keys.push(key);
        let start_time = std::fs::read_to_string(dir.join("stat"))
            .ok()
            .and_then(|s| start_ticks(&s))
            .zip(btime)
            .map(|(ticks, btime)| btime + ticks / CLK_TCK);
        let mut context = Context::new(
            format!("pid:{pid}"),
            ContextKind::RunningProcess,
            format!("{name} (pid {pid})"),
        );
        context.pid = Some(pid);
        context.started_before_switch = start_time.zip(switched_at).map(|(s, w)| s < w);
        context.elapsed_ms = Some(elapsed_ms(started));
        out.push(Observation {
            context,
            seen: Seen::Environment {
                vars,
                located: Vec::new(),
            },
        });
    }
    out
}

/// Field 22 of `/proc/PID/stat` (start time in clock ticks after boot). The command name in
/// field 2 may hold spaces and parentheses, so fields are counted after its last `)`.
fn start_ticks(stat: &str) -> Option<u64> {
    let rest = &stat[stat.rfind(')')? + 1..];
    rest.split_whitespace().nth(19)?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marked_output_survives_noise_and_newlines() {
        let mark = "__m__";
        let out = b"motd\n__m__\nGOPROXY=a\nb\0PATH=/bin\0https_proxy=http://p\0__m__\n";
        let vars = parse_marked(out, mark).unwrap();
        assert_eq!(vars.get("GOPROXY").map(String::as_str), Some("a\nb"));
        assert_eq!(
            vars.get("https_proxy").map(String::as_str),
            Some("http://p")
        );
        assert!(!vars.contains_key("PATH"));
        assert!(parse_marked(b"nothing", mark).is_none());
    }

    #[test]
    fn start_time_is_counted_after_the_command_name() {
        let stat = "42 (a) b) c) S 1 42 42 0 -1 4194560 100 0 0 0 5 3 0 0 20 0 1 0 123456 1000 10";
        assert_eq!(start_ticks(stat), Some(123_456));
    }

    #[test]
    fn show_environment_values_are_unquoted() {
        let vars = parse_show_environment("HOME=/h\nGOPROXY=$'https://a\\'b'\nNO_PROXY=x\n");
        assert_eq!(vars.get("GOPROXY").map(String::as_str), Some("https://a'b"));
        assert_eq!(vars.get("NO_PROXY").map(String::as_str), Some("x"));
        assert!(!vars.contains_key("HOME"));
    }
}
