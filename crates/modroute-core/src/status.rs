//! `modroute status`: every setting's effective value, its source and the values that lose.
//!
//! [`gather`] is the one function that touches the world: it locates and reads the user's go
//! env file and `$GOROOT/go.env` (never spawning `go` unless GOROOT cannot be found otherwise),
//! then hands the snapshot to the pure [`crate::resolve`]. The result is a plain serialisable
//! value — the `status --json` contract and the desktop app's `get_status` payload — with every
//! credential already redacted. Unreadable files are reported in the value, never as a panic.

use std::path::PathBuf;

use indexmap::IndexMap;
use serde::Serialize;

use crate::env::Env;
use crate::goenv::{self, GoEnvFile, Location as GoEnvLocation, Note, ReadOutcome};
use crate::goroot::{self, FoundBy};
use crate::redact::redact;
use crate::resolve::{self, FileLayer, Inputs, LayerValues, Location, Source};
use crate::setting::SettingKind;

/// The whole report.
#[derive(Clone, Debug, Serialize)]
pub struct Status {
    /// The go env file's path, `off`, or `""` when it cannot be determined.
    pub goenv: String,
    /// The user's go env file layer.
    pub goenv_file: FileReport,
    /// The GOROOT whose `go.env` was read.
    pub goroot: GoRootReport,
    /// Every setting, in display order, keyed by variable name.
    pub vars: IndexMap<&'static str, VarReport>,
    /// git's own proxy, TLS and URL-rewriting settings (what `direct` fetches use), when asked
    /// for ([`gather_with_git`]); absent from [`gather`]'s report, which never starts a process.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub git: Option<crate::gitconfig::GitView>,
}

/// The state of one file layer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FileState {
    /// Read successfully.
    Read,
    /// Does not exist (cmd/go treats it as empty).
    Missing,
    /// Exists but cannot be read (cmd/go silently ignores it).
    Unreadable,
    /// Not consulted: `GOENV=off`, or a toolchain older than Go 1.21 for `go.env`.
    Off,
    /// Its location cannot be determined.
    Unknown,
}

/// One file layer in the report.
#[derive(Clone, Debug, Serialize)]
pub struct FileReport {
    /// The path, when known.
    pub path: Option<PathBuf>,
    /// What happened when reading it.
    pub state: FileState,
    /// The error, for `unreadable` and `unknown`.
    pub error: Option<String>,
    /// Lines that cmd/go reads differently from how they look.
    pub notes: Vec<Note>,
}

impl FileReport {
    fn absent(state: FileState, path: Option<PathBuf>, error: Option<String>) -> Self {
        FileReport {
            path,
            state,
            error,
            notes: Vec::new(),
        }
    }
}

/// The GOROOT part of the report.
#[derive(Clone, Debug, Serialize)]
pub struct GoRootReport {
    /// The directory, when found.
    pub path: Option<PathBuf>,
    /// How it was found.
    pub found_by: Option<FoundBy>,
    /// The toolchain version from `$GOROOT/VERSION` (`go1.23.5`).
    pub version: Option<String>,
    /// `$GOROOT/go.env`.
    pub go_env_file: FileReport,
}

/// One setting in the report.
#[derive(Clone, Debug, Serialize)]
pub struct VarReport {
    /// How `go` reads it.
    pub kind: SettingKind,
    /// The effective value (redacted).
    pub value: String,
    /// Where it comes from.
    pub source: Source,
    /// Every layer's value (redacted).
    pub layers: LayerValues,
    /// The file and line of the winning value.
    pub location: Option<Location>,
    /// The OS variable that fed the env layer.
    pub env_name: Option<&'static str>,
    /// The setting the default follows, when the default won.
    pub derived_from: Option<&'static str>,
}

impl Status {
    /// Whether a layer file exists but could not be read — an input error worth an exit code.
    pub fn has_unreadable_files(&self) -> bool {
        [&self.goenv_file, &self.goroot.go_env_file]
            .iter()
            .any(|f| f.state == FileState::Unreadable)
    }
}

/// Every setting resolved for `env`, values unredacted: for code that must use them (the health
/// check authenticates with proxy credentials). Never print these; [`gather`] is the report.
pub fn resolutions(env: &Env) -> Vec<resolve::Resolution> {
    read_all(env).resolutions
}

/// Reads the go env layers for `env` and resolves every setting.
pub fn gather(env: &Env) -> Status {
    render(read_all(env))
}

/// [`gather`] and [`resolutions`] from one reading of the files, for code that needs both (the
/// lints need the report's paths and the unredacted values).
pub fn gather_with_resolutions(env: &Env) -> (Status, Vec<resolve::Resolution>) {
    let gathered = read_all(env);
    let resolutions = gathered.resolutions.clone();
    (render(gathered), resolutions)
}

/// The redacted report of what [`read_all`] read.
fn render(gathered: Gathered) -> Status {
    let Gathered {
        goenv,
        goenv_file,
        root,
        version,
        go_env_file,
        resolutions,
    } = gathered;
    let vars = resolutions
        .into_iter()
        .map(|r| {
            let redact_opt = |v: Option<String>| v.map(|v| redact(&v));
            let report = VarReport {
                kind: r.setting.kind(),
                value: redact(&r.value),
                source: r.source,
                layers: LayerValues {
                    env: redact_opt(r.layers.env),
                    goenv: redact_opt(r.layers.goenv),
                    goroot: redact_opt(r.layers.goroot),
                    default: redact_opt(r.layers.default),
                },
                location: r.location,
                env_name: r.env_name,
                derived_from: r.derived_from.map(|s| s.name()),
            };
            (r.setting.name(), report)
        })
        .collect();

    Status {
        goenv,
        goenv_file,
        goroot: GoRootReport {
            path: root.as_ref().map(|r| r.path.clone()),
            found_by: root.as_ref().map(|r| r.found_by),
            version: version.map(|v| v.to_string()),
            go_env_file,
        },
        vars,
        git: None,
    }
}

/// [`gather`] plus git's view ([`crate::gitconfig::view`]): runs `git config` once, with a
/// deadline. The app's Overview and `modroute status --git` show it.
pub fn gather_with_git(env: &Env) -> Status {
    let mut status = gather(env);
    status.git = Some(crate::gitconfig::view(
        env,
        None,
        crate::gitconfig::DEFAULT_TIMEOUT,
    ));
    status
}

/// What [`gather`] reads before it redacts and renders.
struct Gathered {
    goenv: String,
    goenv_file: FileReport,
    root: Option<goroot::GoRoot>,
    version: Option<goroot::GoVersion>,
    go_env_file: FileReport,
    resolutions: Vec<resolve::Resolution>,
}

fn read_all(env: &Env) -> Gathered {
    let toolchain = goroot::find_toolchain(env);
    let toolchain_version = toolchain.as_ref().and_then(|t| t.version);
    let location = goenv::locate(env, toolchain_version);
    let (goenv, user_file, goenv_file) = match &location {
        GoEnvLocation::File { path, .. } => {
            let (file, report) = read_layer(path.clone());
            (path.to_string_lossy().into_owned(), file, report)
        }
        GoEnvLocation::Off => (
            "off".to_string(),
            None,
            FileReport::absent(FileState::Off, None, None),
        ),
        GoEnvLocation::Unknown { reason } => (
            String::new(),
            None,
            FileReport::absent(FileState::Unknown, None, Some(reason.clone())),
        ),
    };

    let root = goroot::locate(env, user_file.as_ref(), toolchain.as_ref());
    let version = toolchain_version.or_else(|| root.as_ref().and_then(goroot::GoRoot::version));
    let (root_file, go_env_file) = match &root {
        Some(_) if version.is_some_and(|v| !v.has_go_env()) => {
            (None, FileReport::absent(FileState::Off, None, None))
        }
        Some(r) => read_layer(r.go_env_path()),
        None => (
            None,
            FileReport::absent(
                FileState::Unknown,
                None,
                Some("no go toolchain found".into()),
            ),
        ),
    };

    let inputs = Inputs {
        env,
        goenv: layer(&goenv_file, user_file.as_ref()),
        goroot: layer(&go_env_file, root_file.as_ref()),
        go_version: version,
    };
    let resolutions = resolve::resolve(&inputs);
    Gathered {
        goenv,
        goenv_file,
        root,
        version,
        go_env_file,
        resolutions,
    }
}

fn read_layer(path: PathBuf) -> (Option<GoEnvFile>, FileReport) {
    match goenv::read(&path) {
        ReadOutcome::Read(file) => {
            let mut notes = file.notes();
            for note in &mut notes {
                note.text = redact(&note.text);
            }
            let report = FileReport {
                path: Some(path),
                state: FileState::Read,
                error: None,
                notes,
            };
            (Some(file), report)
        }
        ReadOutcome::Missing => (
            None,
            FileReport::absent(FileState::Missing, Some(path), None),
        ),
        ReadOutcome::Unreadable(e) => (
            None,
            FileReport::absent(FileState::Unreadable, Some(path), Some(e)),
        ),
    }
}

fn layer<'a>(report: &'a FileReport, file: Option<&'a GoEnvFile>) -> Option<FileLayer<'a>> {
    Some(FileLayer {
        path: report.path.as_deref()?,
        file: file?,
    })
}
