//! Plans: what a switch would change, as data — computed first, shown, then executed.
//!
//! A [`Plan`] lists, per target file, the exact bytes before and after (so it can be shown as a
//! unified diff and verified before writing), the non-file actions, and the targets that cannot
//! be written (read-only or Nix-managed files) together with the line the user can add by hand.
//! Building a plan reads files but never writes; [`crate::apply`] executes it. A plan with
//! refusals does not apply.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::env::Env;
use crate::goenv::{self, GoEnvFile, Location};
use crate::goroot;
use crate::profile::Profile;
use crate::setting::{Setting, SettingKind};
use crate::{rcblock, session, shadow, shell};

/// What kind of target a file is (for grouping in the UI and the journal).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TargetKind {
    /// The go env file (`go env -w`'s file).
    GoEnv,
    /// A file modroute owns that shells source (`env.sh`, `env.fish` …).
    ShellEnv,
    /// A user's rc file with modroute's managed block.
    RcFile,
    /// The desktop session (`environment.d`).
    Session,
    /// modroute's own profiles file (a profile edited as part of the change).
    Profiles,
    /// A VS Code `settings.json`: `go.toolsEnvVars` / `http.proxy` written by a switch
    /// ([`crate::ides`]), or a doctor fix removing a key.
    Vscode,
    /// A JetBrains project's `.idea/workspace.xml`: the Go Modules environment written by a
    /// switch ([`crate::ides`]), or a doctor fix removing an entry.
    Goland,
    /// Docker's client `config.json` (`proxies.default`), an opt-in target ([`crate::docker`]).
    Docker,
    /// git's global config (`http.proxy`), an opt-in target written through git itself
    /// ([`crate::gitconfig`]).
    Git,
}

/// One file the plan changes.
#[derive(Clone, Debug, Serialize)]
pub struct FileChange {
    /// Which target.
    pub target: TargetKind,
    /// The path as the user knows it (may be a symlink).
    pub path: PathBuf,
    /// The file actually written: symlinks resolved, so a symlinked dotfile stays a symlink.
    pub real_path: PathBuf,
    /// Current bytes; `None` when the file does not exist.
    #[serde(skip)]
    pub before: Option<Vec<u8>>,
    /// New bytes; `None` to delete the file.
    #[serde(skip)]
    pub after: Option<Vec<u8>>,
    /// Permission bits for a new file (an existing file keeps its own).
    pub new_mode: u32,
    /// The new content holds a credential: the file is written 0600 whatever its old mode.
    pub private: bool,
    /// A unified diff of before → after (lossy UTF-8 for display, credentials redacted).
    pub diff: String,
}

impl FileChange {
    /// Builds a change for `path` whose new content is `after`, reading the current content.
    pub fn new(
        target: TargetKind,
        path: &Path,
        after: Option<Vec<u8>>,
        new_mode: u32,
    ) -> std::io::Result<Self> {
        let mut change = Self::read(target, path, new_mode)?;
        change.diff = unified_diff(path, change.before.as_deref(), after.as_deref());
        change.private = after.as_deref().is_some_and(holds_credentials);
        change.after = after;
        Ok(change)
    }

    /// The file as it is, with no new content yet (and no diff: computing one against nothing
    /// would diff the whole file for nothing).
    fn read(target: TargetKind, path: &Path, new_mode: u32) -> std::io::Result<Self> {
        let real_path = resolve_symlinks(path)?;
        let before = match std::fs::read(&real_path) {
            Ok(bytes) => Some(bytes),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(e),
        };
        Ok(FileChange {
            target,
            path: path.to_path_buf(),
            real_path,
            before,
            after: None,
            new_mode,
            private: false,
            diff: String::new(),
        })
    }

    /// Whether applying changes anything.
    pub fn is_noop(&self) -> bool {
        self.before == self.after
    }
}

/// A target that cannot be written, with what to do instead.
#[derive(Clone, Debug, Serialize)]
pub struct Refusal {
    /// Which target.
    pub target: TargetKind,
    /// The file.
    pub path: PathBuf,
    /// Why not.
    pub reason: String,
    /// What the user can add by hand (for dotfiles managed elsewhere).
    pub manual: Option<String>,
}

/// A non-file step, run after every file is written.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Action {
    /// Run a program with these arguments (never through a shell).
    Run {
        /// argv, program first.
        argv: Vec<String>,
        /// Skip quietly when the program is missing or fails (e.g. no systemd user manager).
        optional: bool,
    },
}

/// A note the user should read before applying.
#[derive(Clone, Debug, Serialize)]
pub struct Warning {
    /// The setting concerned.
    pub setting: Option<Setting>,
    /// The message.
    pub message: String,
}

/// What happens after a target is written, shown with that target's rows (e.g. "open VS Code
/// windows follow without a restart").
#[derive(Clone, Debug, Serialize)]
pub struct Note {
    /// The target it is about.
    pub target: TargetKind,
    /// The note.
    pub message: String,
}

/// Everything a switch would do.
#[derive(Clone, Debug, Serialize)]
pub struct Plan {
    /// The profile being applied.
    pub profile: String,
    /// File changes (no-ops included, so the UI can show "unchanged").
    pub files: Vec<FileChange>,
    /// Non-file steps.
    pub actions: Vec<Action>,
    /// Targets that cannot be written; a plan with refusals does not apply.
    pub refusals: Vec<Refusal>,
    /// Things that will still beat the new values (e.g. an exported GOPROXY in this process).
    pub warnings: Vec<Warning>,
    /// How targets pick up the change (one per target kind at most).
    pub notes: Vec<Note>,
}

impl Plan {
    /// A plan for `profile` that changes nothing yet.
    pub fn new(profile: impl Into<String>) -> Self {
        Plan {
            profile: profile.into(),
            files: Vec::new(),
            actions: Vec::new(),
            refusals: Vec::new(),
            warnings: Vec::new(),
            notes: Vec::new(),
        }
    }

    /// The files that really change.
    pub fn changes(&self) -> impl Iterator<Item = &FileChange> {
        self.files.iter().filter(|f| !f.is_noop())
    }

    /// The whole plan as one unified diff.
    pub fn diff(&self) -> String {
        self.changes().map(|f| f.diff.as_str()).collect()
    }
}

/// Why a plan cannot be built at all.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PlanError {
    /// The profile is not usable.
    #[error("profile `{id}` cannot be used:\n  {}", problems.join("\n  "))]
    Unusable {
        /// The profile.
        id: String,
        /// Its problems, one per line.
        problems: Vec<String>,
    },
    /// A target could not be read.
    #[error("cannot read {}: {error}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// The error.
        error: std::io::Error,
    },
    /// A value cannot be written to a target.
    #[error("{0}")]
    Value(String),
}

/// Plans "use the fastest healthy mirror first": `profile` with its GOPROXY entries in the
/// order `goproxy` gives (the health check's suggestion), saved to profiles.toml (a built-in
/// becomes the user's override) and switched to — one plan, previewed, journaled, undoable.
/// `goproxy` must hold exactly the profile's entries, reordered.
pub fn fastest_first(env: &Env, profile: &Profile, goproxy: &str) -> Result<Plan, PlanError> {
    let current = profile.get(Setting::GoProxy).unwrap_or_default();
    // The suggestion may come redacted (it went through the UI): each of its entries must be
    // one of the profile's, matched as written or as redacted, and is replaced by the real one.
    let split = |v: &str| -> Vec<(String, Option<char>)> {
        let mut out = Vec::new();
        let mut rest = v;
        while !rest.is_empty() {
            let (entry, sep, next) = match rest.find([',', '|']) {
                Some(i) => (&rest[..i], rest[i..].chars().next(), &rest[i + 1..]),
                None => (rest, None, ""),
            };
            if !entry.trim().is_empty() {
                out.push((entry.trim().to_string(), sep));
            }
            rest = next;
        }
        out
    };
    let mut available = split(current);
    let mut rebuilt = String::new();
    let proposed = split(goproxy);
    let not_a_reordering = || {
        PlanError::Value(format!(
            "GOPROXY={} is not a reordering of profile `{}`'s GOPROXY",
            crate::check::redact_goproxy(goproxy),
            profile.id
        ))
    };
    if proposed.len() != available.len() {
        return Err(not_a_reordering());
    }
    for (i, (entry, sep)) in proposed.iter().enumerate() {
        let found = available
            .iter()
            .position(|(raw, _)| raw == entry || crate::redact::redact(raw) == *entry)
            .ok_or_else(not_a_reordering)?;
        let (raw, _) = available.remove(found);
        rebuilt.push_str(&raw);
        if i + 1 < proposed.len() {
            rebuilt.push(sep.unwrap_or(','));
        }
    }
    crate::validate::parse_goproxy(&rebuilt).map_err(PlanError::Value)?;
    let goproxy = rebuilt.as_str();
    let mut reordered = profile.clone();
    reordered
        .values
        .insert(Setting::GoProxy, goproxy.to_string());
    let mut plan = for_profile(env, &reordered)?;
    let Some(path) = crate::paths::profiles_file(env) else {
        return Err(PlanError::Value(
            "cannot determine modroute's config directory (is HOME set?)".into(),
        ));
    };
    let planned = file_change(TargetKind::Profiles, &path, 0o600, |before| {
        let text = match before {
            Some(bytes) => std::str::from_utf8(bytes)
                .map_err(|e| {
                    PlanError::Value(format!(
                        "{}: not UTF-8 (byte {})",
                        path.display(),
                        e.valid_up_to()
                    ))
                })?
                .to_string(),
            None => String::new(),
        };
        let text = crate::profile::upsert(&text, &path, &reordered)
            .map_err(|e| PlanError::Value(e.to_string()))?;
        Ok(Some(text.into_bytes()))
    })?;
    // The profiles file goes first: it is what the switch is about.
    let at = plan.files.len();
    push(&mut plan, planned);
    if plan.files.len() > at {
        let change = plan.files.remove(at);
        plan.files.insert(0, change);
    }
    Ok(plan)
}

/// Plans switching to `profile`: every target, as the world is now.
pub fn for_profile(env: &Env, profile: &Profile) -> Result<Plan, PlanError> {
    for_profile_with(env, profile, Options::default())
}

/// Choices the user makes about a switch.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Options {
    /// Leave shadowing assignments (`export GOPROXY=…` in the user's rc files) as they are
    /// instead of commenting them out.
    pub keep_shadows: bool,
    /// JetBrains projects whose Go Modules environment follows this switch, besides those in
    /// `targets.toml` (`modroute use --project DIR`).
    pub projects: Vec<PathBuf>,
}

/// [`for_profile`] with explicit [`Options`].
pub fn for_profile_with(env: &Env, profile: &Profile, options: Options) -> Result<Plan, PlanError> {
    if !profile.is_usable() {
        let problems = profile.problems.iter().map(ToString::to_string).collect();
        return Err(PlanError::Unusable {
            id: profile.id.clone(),
            problems,
        });
    }
    let prefs = crate::targets::load(env).map_err(|e| PlanError::Value(e.to_string()))?;
    let mut plan = Plan::new(profile.id.clone());
    plan_go_env(env, profile, &mut plan)?;
    plan_shells(env, profile, &options, &mut plan)?;
    plan_session(env, profile, &mut plan)?;
    crate::ides::plan_vscode(env, profile, &prefs, &mut plan)?;
    let mut projects = prefs.jetbrains_projects.clone();
    for project in &options.projects {
        if !projects.contains(project) {
            projects.push(project.clone());
        }
    }
    crate::ides::plan_jetbrains(profile, &projects, &mut plan)?;
    crate::docker::plan_client(env, profile, &prefs, &mut plan)?;
    crate::gitconfig::plan_proxy(env, profile, &prefs, &mut plan)?;
    shadowing_env_warnings(env, profile, &mut plan);
    goauth_commands_warning(profile, &mut plan);
    Ok(plan)
}

/// The profile's network settings as the complete state shells and the session get.
fn network_state(profile: &Profile) -> Vec<shell::Assignment<'_>> {
    shell::network_assignments(|name| Setting::from_name(name).and_then(|s| profile.get(s)))
}

/// Shells: the env files modroute owns (one per syntax), the managed blocks in the rc files of
/// every shell present, and the generation counter that tells open shells to re-read.
fn plan_shells(
    env: &Env,
    profile: &Profile,
    options: &Options,
    plan: &mut Plan,
) -> Result<(), PlanError> {
    let located = |e: shell::LocateError| PlanError::Value(e.to_string());
    let loc = shell::ConfigLocation::from_env(env).map_err(located)?;
    let state = network_state(profile);
    let files = shell::render_env_files(&state).map_err(|e| PlanError::Value(e.to_string()))?;
    let mut env_files_change = false;
    for file in files {
        let planned = file_change(TargetKind::ShellEnv, &loc.file(file.name), 0o644, |_| {
            Ok(Some(file.text.into_bytes()))
        })?;
        env_files_change |= matches!(&planned, Planned::Change(c) if !c.is_noop());
        push(plan, planned);
    }

    let shells = present_shells(env);
    let targets = shell::rc_targets(env, &shells, &|p: &Path| p.exists()).map_err(located)?;
    // Lines in the user's own files that export a Go setting beat the go env file: they are
    // commented out (with consent: the plan shows them), unless the user keeps them.
    let found = shadow::scan(env);
    for shadow in &found {
        let what = if options.keep_shadows {
            "is kept as you asked, so it keeps overriding the go env file in shells that read it"
        } else {
            "overrides the go env file in every shell that reads it and will be commented out (undo restores it)"
        };
        plan.warnings.push(Warning {
            setting: Some(shadow.setting),
            message: format!(
                "{}:{} sets {}, which {what}: {}",
                shadow.file.display(),
                shadow.line,
                shadow.setting,
                shadow.text.trim()
            ),
        });
    }
    let shadows = if options.keep_shadows {
        Vec::new()
    } else {
        found
    };
    // One change per file: a file can carry two blocks (values at the top, the prompt hook at
    // the bottom) and shadowing lines.
    let mut paths: Vec<&Path> = Vec::new();
    for path in targets
        .iter()
        .map(|t| t.path.as_path())
        .chain(shadows.iter().map(|s| s.file.as_path()))
    {
        if !paths.contains(&path) {
            paths.push(path);
        }
    }
    for path in paths {
        let edits: Vec<&shell::RcTarget> = targets.iter().filter(|t| t.path == path).collect();
        let has_shadows = shadows.iter().any(|s| s.file == path);
        if !path.exists() && !edits.iter().any(|t| t.create_if_missing) {
            continue;
        }
        let planned = file_change(TargetKind::RcFile, path, 0o644, |before| {
            let mut bytes = before.unwrap_or_default().to_vec();
            if has_shadows {
                let lines: Vec<usize> = shadow::find(&bytes, path).iter().map(|s| s.line).collect();
                bytes = shadow::comment_out(&bytes, &lines);
            }
            let damaged = |e: rcblock::BlockError| {
                PlanError::Value(format!(
                    "{}: {e}; fix or remove the modroute markers by hand",
                    path.display()
                ))
            };
            // Damaged markers are reported with their line in the file as it is: checked before
            // the first block goes in (a block spliced in above would shift the line numbers).
            for target in &edits {
                if let shell::RcEdit::Block { markers, .. } = &target.edit {
                    rcblock::find(&bytes, markers).map_err(damaged)?;
                }
            }
            for target in &edits {
                bytes = match &target.edit {
                    shell::RcEdit::Block {
                        markers,
                        body,
                        placement,
                    } => rcblock::splice(&bytes, markers, body, *placement).map_err(damaged)?,
                    shell::RcEdit::OwnedFile { text } => text.clone().into_bytes(),
                };
            }
            Ok(Some(bytes))
        })?;
        push(plan, planned);
    }

    // Written last: open shells re-read the env files when they see a new generation.
    if env_files_change {
        let gen_path = loc.file(shell::GEN_FILE);
        push(
            plan,
            file_change(TargetKind::ShellEnv, &gen_path, 0o644, |before| {
                Ok(Some(shell::next_gen(before).into_bytes()))
            })?,
        );
    }
    Ok(())
}

/// The shells whose files are wired up: those on `PATH` (sh always: `~/.profile` is read by
/// login shells and display managers).
pub fn present_shells(env: &Env) -> Vec<shell::ShellKind> {
    let on_path = |names: &[&str]| {
        let path = env.get_os("PATH").unwrap_or_default();
        names
            .iter()
            .any(|n| which::which_in(n, Some(path), "/").is_ok())
    };
    shell::ShellKind::ALL
        .into_iter()
        .filter(|kind| match kind {
            shell::ShellKind::Sh => true,
            shell::ShellKind::Tcsh => on_path(&["tcsh", "csh"]),
            shell::ShellKind::Pwsh => on_path(&["pwsh"]),
            other => on_path(&[other.name()]),
        })
        .collect()
}

/// The desktop session (Linux): `environment.d` for apps started after the next login, and
/// `systemctl --user set-environment` for apps the user manager starts from now on — only when
/// a user manager is actually listening (never in tests, CI or containers without one).
fn plan_session(env: &Env, profile: &Profile, plan: &mut Plan) -> Result<(), PlanError> {
    let state = network_state(profile);
    let value_err = |e: &dyn std::fmt::Display| PlanError::Value(e.to_string());
    let run = |argv: Vec<String>| Action::Run {
        argv,
        optional: true,
    };
    match env.os() {
        crate::TargetOs::Unix => {
            let text = session::environment_d::render(&state).map_err(|e| value_err(&e))?;
            if let Some(path) = session::environment_d::path(env) {
                push(
                    plan,
                    file_change(TargetKind::Session, &path, 0o644, |_| {
                        Ok(Some(text.into_bytes()))
                    })?,
                );
            }
            let user_manager = env
                .path("XDG_RUNTIME_DIR")
                .is_some_and(|dir| dir.join("systemd/private").exists());
            if user_manager {
                let commands = session::systemd::plan(&state).map_err(|e| value_err(&e))?;
                plan.actions.extend(commands.into_iter().map(run));
            }
        }
        crate::TargetOs::MacOs => {
            // The LaunchAgent re-applies the values at every login; launchctl applies them now,
            // for apps launched from the Dock from here on.
            let plist = session::launchd::agent_plist(&state).map_err(|e| value_err(&e))?;
            if let Some(path) = session::launchd::agent_path(env) {
                push(
                    plan,
                    file_change(TargetKind::Session, &path, 0o644, |_| {
                        Ok(Some(plist.into_bytes()))
                    })?,
                );
            }
            let commands = session::launchd::plan(&state).map_err(|e| value_err(&e))?;
            plan.actions.extend(commands.into_iter().map(run));
        }
        crate::TargetOs::Windows => {
            let registry = session::registry::plan(&state).map_err(|e| value_err(&e))?;
            for op in registry.ops {
                let mut argv = vec!["reg".to_string()];
                match op {
                    session::registry::RegistryOp::SetString { name, value } => argv.extend([
                        "add".into(),
                        session::registry::KEY.into(),
                        "/v".into(),
                        name,
                        "/t".into(),
                        "REG_SZ".into(),
                        "/d".into(),
                        value,
                        "/f".into(),
                    ]),
                    session::registry::RegistryOp::Delete { name } => argv.extend([
                        "delete".into(),
                        session::registry::KEY.into(),
                        "/v".into(),
                        name,
                        "/f".into(),
                    ]),
                }
                plan.actions.push(run(argv));
            }
            if registry.broadcast_setting_change {
                plan.warnings.push(Warning {
                    setting: None,
                    message: "Windows: programs started from Explorer see the new proxy settings after you sign out and in again (modroute does not broadcast WM_SETTINGCHANGE yet); new terminals see them at once".into(),
                });
            }
        }
    }
    Ok(())
}

/// The go env file: every Go setting the profile names is set, every other one removed; all
/// other lines keep their bytes.
fn plan_go_env(env: &Env, profile: &Profile, plan: &mut Plan) -> Result<(), PlanError> {
    let version = goroot::find_toolchain(env).and_then(|t| t.version);
    let path = match goenv::locate(env, version) {
        Location::File { path, .. } => path,
        Location::Off => {
            plan.refusals.push(Refusal {
                target: TargetKind::GoEnv,
                path: PathBuf::from("GOENV=off"),
                reason: "GOENV=off: go reads no go env file, so the GO* settings cannot be switched there".into(),
                manual: Some("unset GOENV, or point it at a file (GOENV=/path/to/env)".into()),
            });
            return Ok(());
        }
        Location::Unknown { reason } => {
            return Err(PlanError::Value(format!(
                "cannot locate the go env file: {reason}"
            )));
        }
    };
    let change = file_change(TargetKind::GoEnv, &path, 0o644, |before| {
        let mut file = GoEnvFile::parse(before.unwrap_or_default());
        for setting in Setting::ALL
            .into_iter()
            .filter(|s| s.kind() == SettingKind::Go)
        {
            match profile.get(setting) {
                Some(value) => file
                    .set(setting.name(), value)
                    .map_err(|e| PlanError::Value(e.to_string()))?,
                None => {
                    file.unset(setting.name());
                }
            }
        }
        Ok(Some(file.to_bytes()))
    })?;
    push(plan, change);
    Ok(())
}

/// A non-empty OS variable beats the go env file: say which ones will keep winning.
fn shadowing_env_warnings(env: &Env, profile: &Profile, plan: &mut Plan) {
    for setting in Setting::ALL
        .into_iter()
        .filter(|s| s.kind() == SettingKind::Go)
    {
        let Some(current) = env.get_non_empty(setting.name()) else {
            continue;
        };
        if profile.get(setting) != Some(current.as_str()) {
            plan.warnings.push(Warning {
                setting: Some(setting),
                message: format!(
                    "{setting} is exported in this environment ({}), which beats the go env file; open a new shell or remove that export",
                    crate::redact::redact(&current)
                ),
            });
        }
    }
}

/// A GOAUTH that runs programs (a command, or `git <dir>` which runs `git credential fill`):
/// the plan says exactly what will run, so that confirming the switch is consenting to it.
fn goauth_commands_warning(profile: &Profile, plan: &mut Plan) {
    let Some(goauth) = profile.get(Setting::GoAuth) else {
        return;
    };
    let commands: Vec<&str> = goauth
        .split(';')
        .map(str::trim)
        .filter(|m| !matches!(m.split_whitespace().next(), None | Some("off" | "netrc")))
        .collect();
    if commands.is_empty() {
        return;
    }
    plan.warnings.push(Warning {
        setting: Some(Setting::GoAuth),
        message: format!(
            "GOAUTH makes every go command (Go 1.24+) run {} to get credentials: {}; switch only if you trust it",
            if commands.len() == 1 { "this program" } else { "these programs" },
            commands
                .iter()
                .map(|c| format!("`{}`", crate::redact::redact(c)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    });
}

/// Either a change, or a refusal when the file cannot be written.
pub enum Planned {
    /// Write this.
    Change(FileChange),
    /// Cannot write this.
    Refused(Refusal),
}

/// Builds the change for one file from a function of its current bytes, refusing read-only and
/// Nix-store files.
pub fn file_change(
    target: TargetKind,
    path: &Path,
    new_mode: u32,
    compute: impl FnOnce(Option<&[u8]>) -> Result<Option<Vec<u8>>, PlanError>,
) -> Result<Planned, PlanError> {
    let read_err = |error| PlanError::Read {
        path: path.to_path_buf(),
        error,
    };
    let mut change = FileChange::read(target, path, new_mode).map_err(read_err)?;
    let after = compute(change.before.as_deref())?;
    if let Some(reason) = unwritable(&change.real_path, change.before.is_some()) {
        // Shown to the user: passwords stay masked (they type their own when adding the lines).
        let manual = after
            .as_ref()
            .map(|a| crate::redact::redact_lines(&String::from_utf8_lossy(a)));
        return Ok(Planned::Refused(Refusal {
            target,
            path: path.to_path_buf(),
            reason,
            manual,
        }));
    }
    change.diff = unified_diff(path, change.before.as_deref(), after.as_deref());
    change.private = after.as_deref().is_some_and(holds_credentials);
    change.after = after;
    Ok(Planned::Change(change))
}

/// Adds a planned file to the plan.
pub fn push(plan: &mut Plan, planned: Planned) {
    match planned {
        Planned::Change(c) => plan.files.push(c),
        Planned::Refused(r) => plan.refusals.push(r),
    }
}

/// Why a file must not be written, if it must not: in the Nix store, or read-only.
fn unwritable(real: &Path, exists: bool) -> Option<String> {
    if real.starts_with("/nix/store") {
        return Some(format!(
            "{} is managed by Nix (read-only store); add the lines in your Nix configuration",
            real.display()
        ));
    }
    if exists {
        let meta = std::fs::metadata(real).ok()?;
        if meta.permissions().readonly() {
            return Some(format!(
                "{} is read-only; modroute does not change files you protected",
                real.display()
            ));
        }
    }
    None
}

/// Resolves every symlink in `path` that exists, keeping a missing tail as is.
pub fn resolve_symlinks(path: &Path) -> std::io::Result<PathBuf> {
    match std::fs::canonicalize(path) {
        Ok(p) => Ok(p),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            // A dangling symlink is written through to its target; a missing file is created.
            if let Ok(target) = std::fs::read_link(path) {
                let parent = path.parent().unwrap_or(Path::new("/"));
                return Ok(parent.join(target));
            }
            match (path.parent(), path.file_name()) {
                (Some(parent), Some(name)) if parent != path => {
                    Ok(resolve_symlinks(parent)?.join(name))
                }
                _ => Ok(path.to_path_buf()),
            }
        }
        Err(e) => Err(e),
    }
}

/// Whether file content carries a URL password (then only its owner may read it).
fn holds_credentials(bytes: &[u8]) -> bool {
    let text = String::from_utf8_lossy(bytes);
    crate::redact::redact_lines(&text) != text
}

fn unified_diff(path: &Path, before: Option<&[u8]>, after: Option<&[u8]>) -> String {
    let old = String::from_utf8_lossy(before.unwrap_or_default());
    let new = String::from_utf8_lossy(after.unwrap_or_default());
    if old == new && before.is_some() == after.is_some() {
        return String::new();
    }
    let name = path.display().to_string();
    let old_name = if before.is_some() {
        format!("a{name}")
    } else {
        "/dev/null".into()
    };
    let new_name = if after.is_some() {
        format!("b{name}")
    } else {
        "/dev/null".into()
    };
    let diff = similar::TextDiff::from_lines(old.as_ref(), new.as_ref())
        .unified_diff()
        .context_radius(3)
        .header(&old_name, &new_name)
        .to_string();
    crate::redact::redact_lines(&diff)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fastest_first_reorders_saves_and_switches_in_one_undoable_plan() {
        let tmp = tempfile::tempdir().unwrap();
        let env = Env::from_vars_on(
            crate::TargetOs::Unix,
            [
                ("HOME", tmp.path().as_os_str()),
                ("GOENV", tmp.path().join("goenv").as_os_str()),
            ],
        );
        let profiles = crate::profile::load(&env).unwrap();
        let domestic = profiles.get("domestic").unwrap();
        let current = domestic.get(Setting::GoProxy).unwrap().to_string();
        let entries: Vec<&str> = current.split(',').collect();
        assert_eq!(entries.len(), 3, "{current}");
        let swapped = format!("{},{},{}", entries[1], entries[0], entries[2]);
        // Anything but a reordering is refused.
        let err = fastest_first(&env, domestic, "https://evil.example,direct").unwrap_err();
        assert!(err.to_string().contains("is not a reordering"), "{err}");
        let plan = fastest_first(&env, domestic, &swapped).unwrap();
        assert_eq!(plan.files[0].target, TargetKind::Profiles);
        assert!(
            plan.files[0]
                .diff
                .contains(&format!("+GOPROXY = \"{swapped}\"")),
            "{}",
            plan.files[0].diff
        );
        let go_env = plan
            .files
            .iter()
            .find(|f| f.target == TargetKind::GoEnv)
            .unwrap();
        assert!(
            go_env.diff.contains(&format!("+GOPROXY={swapped}")),
            "{}",
            go_env.diff
        );
        crate::apply::apply(&env, &plan).unwrap();
        let reloaded = crate::profile::load(&env).unwrap();
        assert_eq!(
            reloaded.get("domestic").unwrap().get(Setting::GoProxy),
            Some(swapped.as_str())
        );
        crate::apply::undo(&env).unwrap();
        let restored = crate::profile::load(&env).unwrap();
        assert_eq!(
            restored.get("domestic").unwrap().get(Setting::GoProxy),
            Some(current.as_str())
        );
        assert!(!crate::paths::profiles_file(&env).unwrap().exists());
    }

    #[test]
    fn symlinks_are_resolved_to_their_target() {
        let tmp = tempfile::tempdir().unwrap();
        let dotfiles = tmp.path().join("dotfiles");
        std::fs::create_dir_all(&dotfiles).unwrap();
        std::fs::write(dotfiles.join("bashrc"), "x\n").unwrap();
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(dotfiles.join("bashrc"), tmp.path().join(".bashrc"))
                .unwrap();
            std::os::unix::fs::symlink(dotfiles.join("zshenv"), tmp.path().join(".zshenv"))
                .unwrap();
            let real = |p: &str| resolve_symlinks(&tmp.path().join(p)).unwrap();
            let canon = std::fs::canonicalize(&dotfiles).unwrap();
            assert_eq!(real(".bashrc"), canon.join("bashrc"));
            assert_eq!(
                real(".zshenv"),
                canon.join("zshenv"),
                "dangling link: write its target"
            );
            assert_eq!(
                real("new/.profile"),
                std::fs::canonicalize(tmp.path())
                    .unwrap()
                    .join("new/.profile")
            );
        }
    }

    #[test]
    fn read_only_files_are_refused_with_the_lines_to_add() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("env");
        std::fs::write(&path, "GOPROXY=old\n").unwrap();
        let mut perms = std::fs::metadata(&path).unwrap().permissions();
        perms.set_readonly(true);
        std::fs::set_permissions(&path, perms).unwrap();
        let planned = file_change(TargetKind::GoEnv, &path, 0o644, |_| {
            Ok(Some(b"GOPROXY=new\n".to_vec()))
        })
        .unwrap();
        match planned {
            Planned::Refused(r) => {
                assert!(r.reason.contains("read-only"), "{}", r.reason);
                assert_eq!(r.manual.as_deref(), Some("GOPROXY=new\n"));
            }
            Planned::Change(_) => panic!("a read-only file must be refused"),
        }
    }

    #[test]
    fn diffs_are_unified_and_redacted() {
        let d = unified_diff(
            Path::new("/h/env"),
            Some(b"GOPROXY=a\n"),
            Some(b"GOPROXY=https://u:pw@b\n"),
        );
        assert!(d.starts_with("--- a/h/env\n+++ b/h/env\n"), "{d}");
        assert!(
            d.contains("-GOPROXY=a\n+GOPROXY=https://u:xxxxx@b\n"),
            "{d}"
        );
        assert_eq!(
            unified_diff(Path::new("/x"), Some(b"same"), Some(b"same")),
            ""
        );
        assert!(unified_diff(Path::new("/x"), None, Some(b"new\n")).starts_with("--- /dev/null\n"));
    }

    #[test]
    fn the_desktop_session_is_planned_for_every_os() {
        let tmp = tempfile::tempdir().unwrap();
        let home = tmp.path().as_os_str();
        let mut profile = crate::profile::builtins().remove(1);
        profile
            .values
            .insert(Setting::HttpsProxy, "http://proxy.corp.example:3128".into());
        let plan_on = |os, vars: &[(&str, &std::ffi::OsStr)]| {
            let env = Env::from_vars_on(os, vars.iter().map(|(k, v)| (*k, *v)));
            let mut plan = Plan::new("p");
            plan_session(&env, &profile, &mut plan).unwrap();
            plan
        };
        let argv = |plan: &Plan| -> Vec<String> {
            plan.actions
                .iter()
                .map(|Action::Run { argv, .. }| argv.join(" "))
                .collect()
        };

        let linux = plan_on(crate::TargetOs::Unix, &[("HOME", home)]);
        assert!(
            linux.files[0]
                .path
                .ends_with(".config/environment.d/60-modroute.conf")
        );
        assert!(
            linux.actions.is_empty(),
            "no user manager listening: nothing to run"
        );

        let mac = plan_on(crate::TargetOs::MacOs, &[("HOME", home)]);
        assert!(
            mac.files[0]
                .path
                .ends_with("Library/LaunchAgents/io.modroute.environment.plist")
        );
        let mac_argv = argv(&mac);
        assert!(
            mac_argv.contains(
                &"launchctl setenv HTTPS_PROXY http://proxy.corp.example:3128".to_string()
            ),
            "{mac_argv:?}"
        );
        assert!(
            mac_argv.contains(&"launchctl unsetenv NO_PROXY".to_string()),
            "{mac_argv:?}"
        );

        let win = plan_on(crate::TargetOs::Windows, &[("USERPROFILE", home)]);
        let win_argv = argv(&win);
        assert!(
            win_argv.contains(&r"reg add HKCU\Environment /v HTTPS_PROXY /t REG_SZ /d http://proxy.corp.example:3128 /f".to_string()),
            "{win_argv:?}"
        );
        assert!(
            win_argv
                .iter()
                .any(|a| a.starts_with(r"reg delete HKCU\Environment /v NO_PROXY")),
            "{win_argv:?}"
        );
        assert!(
            win.warnings
                .iter()
                .any(|w| w.message.contains("WM_SETTINGCHANGE"))
        );
    }
}
