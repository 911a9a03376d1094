//! IDEs as switch targets: VS Code's user settings and JetBrains projects' workspace files
//! follow a switch, so an IDE that is already open uses the new values.
//!
//! - **VS Code** (Code, Code - OSS, VSCodium, Cursor): the profile's settings go into
//!   `go.toolsEnvVars` of each flavour's user `settings.json`, which the Go extension adds to
//!   the environment of every go, gopls and dlv it starts. On by default for a flavour whose
//!   settings already configure the Go extension (any `go.*` key); `vscode = true/false` in
//!   `targets.toml` turns it on for every installed flavour or off. `http.proxy` (which the Go
//!   extension gives its tools as HTTP(S)_PROXY, after `go.toolsEnvVars`) only with
//!   `vscode_http_proxy = true`.
//! - **JetBrains** (GoLand, IntelliJ IDEA with the Go plugin): the Go Modules environment of
//!   each project in `jetbrains_projects` (and `modroute use --project DIR`), stored in the
//!   project's `.idea/workspace.xml`.
//!
//! **Which keys are modroute's.** A profile is a complete state over the 16 settings modroute
//! switches, so in both files every key naming one of them — in any spelling (`HTTPS_PROXY`,
//! `https_proxy`) — is modroute's: a switch writes the ones its profile sets (upper case) and
//! removes the others, exactly as it does in the go env file. Every other key (`CGO_ENABLED`,
//! `GOOS`, `GOPATH` …) is the user's and is never touched.
//!
//! Files are edited through the JSONC CST and quick-xml byte spans ([`crate::doctor::ide`]):
//! every other byte is kept, and a file that cannot be parsed is refused with its line and
//! column and the lines to add by hand.

use std::cell::RefCell;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::doctor::ide::{EditError, goland, vscode};
use crate::env::Env;
use crate::plan::{self, Plan, PlanError, Planned, Refusal, TargetKind, Warning};
use crate::profile::Profile;
use crate::setting::Setting;
use crate::targets::{self, TargetPrefs, TargetsError};

/// Shown with the VS Code rows of a plan (checked against vscode-go: its language client
/// restarts gopls when `go.toolsEnvVars` changes, and every tool it starts reads the setting
/// anew; a change to `http.proxy` alone does not restart gopls).
pub const VSCODE_NOTE: &str = "VS Code: the Go extension re-reads go.toolsEnvVars when the settings file changes and restarts gopls, so open windows follow without a restart (a change to http.proxy alone needs Go: Restart Language Server).";

/// Shown with the JetBrains rows of a plan (JetBrains' documentation: the Environment field of
/// Settings | Go | Go Modules, and dependencies are synced when a project is opened or go.mod
/// changes).
pub const JETBRAINS_NOTE: &str = "GoLand / IntelliJ IDEA: the Go Modules environment (Settings | Go | Go Modules → Environment) is read when the project is opened: reopen the project or restart the IDE so its go and gopls use the new values.";

/// One VS Code flavour as a switch target.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct VscodeFlavour {
    /// `Code`, `Code - OSS`, `VSCodium`, `Cursor`.
    pub product: String,
    /// Its user `settings.json`.
    pub settings: PathBuf,
    /// Its configuration directory exists.
    pub installed: bool,
    /// Its settings configure the Go extension (a `go.*` key).
    pub configures_go: bool,
    /// A switch writes it, with the current choice.
    pub follows: bool,
}

/// One JetBrains project as a switch target.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct JetbrainsProject {
    /// The project's root directory.
    pub path: PathBuf,
    /// Its `.idea/workspace.xml`.
    pub workspace: PathBuf,
    /// The directory exists.
    pub exists: bool,
    /// It has an `.idea` directory (a JetBrains IDE opened it).
    pub is_jetbrains: bool,
}

/// The optional targets as the Settings card shows them: the choices and what they mean here.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TargetsView {
    /// The choices (`targets.toml`).
    pub prefs: TargetPrefs,
    /// `targets.toml`.
    pub file: Option<PathBuf>,
    /// What `vscode` absent ("automatic") means now: on for the flavours listed as
    /// `configures_go`.
    pub vscode_automatic: bool,
    /// Every VS Code flavour.
    pub vscode: Vec<VscodeFlavour>,
    /// The JetBrains projects that follow switches.
    pub jetbrains: Vec<JetbrainsProject>,
}

/// The optional targets' choices and what they mean on this machine.
pub fn view(env: &Env) -> Result<TargetsView, TargetsError> {
    let prefs = targets::load(env)?;
    Ok(view_of(env, prefs))
}

fn view_of(env: &Env, prefs: TargetPrefs) -> TargetsView {
    let vscode = vscode_flavours(env, prefs.vscode);
    let jetbrains = prefs
        .jetbrains_projects
        .iter()
        .map(|p| jetbrains_project(p))
        .collect();
    TargetsView {
        file: targets::file(env),
        vscode_automatic: vscode.iter().any(|f| f.configures_go),
        vscode,
        jetbrains,
        prefs,
    }
}

/// Stores new choices (checked first: projects must be absolute paths) and returns the view.
pub fn set(env: &Env, prefs: &TargetPrefs) -> Result<TargetsView, TargetsError> {
    for project in &prefs.jetbrains_projects {
        if !project.is_absolute() {
            return Err(TargetsError::Rejected(format!(
                "{} is not an absolute directory path; JetBrains projects are named by their full path",
                project.display()
            )));
        }
    }
    let mut prefs = prefs.clone();
    let mut seen: Vec<PathBuf> = Vec::new();
    prefs.jetbrains_projects.retain(|p| {
        let fresh = !seen.contains(p);
        seen.push(p.clone());
        fresh
    });
    targets::save(env, &prefs)?;
    Ok(view_of(env, prefs))
}

fn jetbrains_project(path: &Path) -> JetbrainsProject {
    JetbrainsProject {
        path: path.to_path_buf(),
        workspace: goland::workspace_path(path),
        exists: path.is_dir(),
        is_jetbrains: path.join(".idea").is_dir(),
    }
}

/// Every VS Code flavour, and whether a switch writes it under `choice` (`None`: automatic).
pub fn vscode_flavours(env: &Env, choice: Option<bool>) -> Vec<VscodeFlavour> {
    vscode::PRODUCTS
        .iter()
        .filter_map(|product| {
            let settings = vscode::user_settings_path(env, product)?;
            let installed = settings
                .parent()
                .and_then(Path::parent)
                .is_some_and(Path::is_dir);
            let configures_go = std::fs::read(&settings)
                .is_ok_and(|bytes| vscode::configures_go(&String::from_utf8_lossy(&bytes)));
            let follows = match choice {
                Some(on) => on && installed,
                None => configures_go,
            };
            Some(VscodeFlavour {
                product: (*product).to_string(),
                settings,
                installed,
                configures_go,
                follows,
            })
        })
        .collect()
}

/// The profile's values as an IDE's environment holds them: every setting it sets, by its
/// upper-case name, in the settings' order.
fn profile_vars(profile: &Profile) -> Vec<(String, String)> {
    Setting::ALL
        .into_iter()
        .filter_map(|s| Some((s.name().to_string(), profile.get(s)?.to_string())))
        .collect()
}

/// VS Code: each flavour that follows switches gets the profile in `go.toolsEnvVars` (and
/// `http.proxy` when asked for).
pub fn plan_vscode(
    env: &Env,
    profile: &Profile,
    prefs: &TargetPrefs,
    plan: &mut Plan,
) -> Result<(), PlanError> {
    let flavours: Vec<VscodeFlavour> = vscode_flavours(env, prefs.vscode)
        .into_iter()
        .filter(|f| f.follows)
        .collect();
    if prefs.vscode == Some(true) && flavours.is_empty() {
        plan.warnings.push(Warning {
            setting: None,
            message: "VS Code is on in Settings, but no Code, Code - OSS, VSCodium or Cursor settings directory exists yet; nothing to write".into(),
        });
    }
    if flavours.is_empty() {
        return Ok(());
    }
    let vars = profile_vars(profile);
    // The Go extension replaces `${env:…}`, `${workspaceFolder}` … in go.toolsEnvVars: such a
    // value would not reach the tools as written.
    if let Some((name, _)) = vars.iter().find(|(_, v)| v.contains("${")) {
        for flavour in &flavours {
            plan.refusals.push(Refusal {
                target: TargetKind::Vscode,
                path: flavour.settings.clone(),
                reason: format!(
                    "{name} contains `${{`, which the Go extension would replace in go.toolsEnvVars; turn VS Code off in Settings → Switch targets, or change the value"
                ),
                manual: None,
            });
        }
        return Ok(());
    }
    let http_proxy = prefs.vscode_http_proxy.then(|| {
        profile
            .get(Setting::HttpsProxy)
            .or_else(|| profile.get(Setting::HttpProxy))
            .map(str::to_string)
    });
    if let Some(Some(proxy)) = &http_proxy
        && profile.get(Setting::HttpProxy).is_some_and(|p| p != proxy)
    {
        plan.warnings.push(Warning {
            setting: Some(Setting::HttpProxy),
            message: "VS Code's http.proxy holds the profile's HTTPS_PROXY; the Go extension also gives it to its tools as HTTP_PROXY, where the profile has another value".into(),
        });
    }
    let want = vscode::ToolsEnv { vars, http_proxy };
    for flavour in &flavours {
        let before = plan.files.len();
        plan_file(
            plan,
            TargetKind::Vscode,
            &flavour.settings,
            &vscode::manual_lines(&want),
            |text| match text {
                Some(text) => vscode::write_tools_env(text, &want).map(Some),
                None if want.vars.is_empty() && !matches!(want.http_proxy, Some(Some(_))) => {
                    Ok(None)
                }
                None => vscode::write_tools_env("{\n}\n", &want).map(Some),
            },
        )?;
        if !prefs.vscode_http_proxy {
            http_proxy_warning(plan, before, flavour);
        }
    }
    note(plan, TargetKind::Vscode, VSCODE_NOTE);
    Ok(())
}

/// `http.proxy` beats `go.toolsEnvVars` for the Go extension's tools: say so when it is set and
/// left alone.
fn http_proxy_warning(plan: &mut Plan, from: usize, flavour: &VscodeFlavour) {
    let Some(change) = plan.files.get(from) else {
        return;
    };
    let text = String::from_utf8_lossy(change.after.as_deref().unwrap_or_default());
    let set = vscode::parse(&text)
        .map(|entries| entries.iter().any(|e| e.key_path[0] == vscode::HTTP_PROXY))
        .unwrap_or(false);
    if set {
        plan.warnings.push(Warning {
            setting: Some(Setting::HttpsProxy),
            message: format!(
                "{} sets http.proxy, which the Go extension gives its tools as HTTP(S)_PROXY over go.toolsEnvVars; let switches write it (Settings → Switch targets) or remove it",
                flavour.settings.display()
            ),
        });
    }
}

/// JetBrains: each project's Go Modules environment.
pub fn plan_jetbrains(
    profile: &Profile,
    projects: &[PathBuf],
    plan: &mut Plan,
) -> Result<(), PlanError> {
    if projects.is_empty() {
        return Ok(());
    }
    let vars = profile_vars(profile);
    let mut planned_any = false;
    // The same project named twice (targets.toml and --project, a symlink) is written once.
    let mut seen: Vec<PathBuf> = Vec::new();
    for project in projects {
        let key = std::fs::canonicalize(project).unwrap_or_else(|_| project.clone());
        if seen.contains(&key) {
            continue;
        }
        seen.push(key);
        let info = jetbrains_project(project);
        if !info.exists || !info.is_jetbrains {
            plan.warnings.push(Warning {
                setting: None,
                message: format!(
                    "{} {}; its Go Modules environment is not written (open it once in GoLand or IntelliJ IDEA)",
                    project.display(),
                    if info.exists {
                        "has no .idea directory"
                    } else {
                        "does not exist"
                    }
                ),
            });
            continue;
        }
        plan_file(
            plan,
            TargetKind::Goland,
            &info.workspace,
            &goland::manual_lines(&vars),
            |text| match text {
                Some(text) if !text.trim().is_empty() => {
                    goland::write_project_env(text, &vars).map(Some)
                }
                _ if vars.is_empty() => Ok(None),
                _ => Ok(Some(goland::new_workspace(&vars))),
            },
        )?;
        planned_any = true;
    }
    if planned_any {
        note(plan, TargetKind::Goland, JETBRAINS_NOTE);
    }
    Ok(())
}

fn note(plan: &mut Plan, target: TargetKind, message: &str) {
    if !plan.notes.iter().any(|n| n.target == target) {
        plan.notes.push(plan::Note {
            target,
            message: message.to_string(),
        });
    }
}

/// Plans one IDE file: `edit` gets its text (`None` when missing) and returns the new text
/// (`None`: leave it missing). A file that is not UTF-8 or cannot be edited is refused with
/// `file:line:column` and `manual`, the lines to add by hand; so is a read-only one.
fn plan_file(
    plan: &mut Plan,
    target: TargetKind,
    path: &Path,
    manual: &str,
    edit: impl FnOnce(Option<&str>) -> Result<Option<String>, EditError>,
) -> Result<(), PlanError> {
    let failure: RefCell<Option<String>> = RefCell::new(None);
    let planned = plan::file_change(target, path, 0o644, |before| {
        let text = match before.map(std::str::from_utf8).transpose() {
            Ok(text) => text,
            Err(e) => {
                let valid = &before.unwrap_or_default()[..e.valid_up_to()];
                let text = String::from_utf8_lossy(valid);
                let (line, column) = crate::doctor::ide::line_column(&text, text.len());
                *failure.borrow_mut() = Some(format!(
                    "{}:{line}:{column}: not UTF-8; VS Code and JetBrains IDEs write UTF-8",
                    path.display()
                ));
                return Ok(before.map(<[u8]>::to_vec));
            }
        };
        match edit(text) {
            Ok(Some(new)) => Ok(Some(new.into_bytes())),
            Ok(None) => Ok(before.map(<[u8]>::to_vec)),
            Err(e) => {
                let place = match e {
                    EditError::At { .. } => format!("{}:{e}", path.display()),
                    _ => format!("{}: {e}", path.display()),
                };
                *failure.borrow_mut() = Some(place);
                Ok(before.map(<[u8]>::to_vec))
            }
        }
    })?;
    let manual = crate::redact::redact_lines(manual);
    match (planned, failure.into_inner()) {
        (_, Some(reason)) => plan.refusals.push(Refusal {
            target,
            path: path.to_path_buf(),
            reason,
            manual: Some(manual),
        }),
        (Planned::Refused(mut refusal), None) => {
            refusal.manual = Some(manual);
            plan.refusals.push(refusal);
        }
        // A file that neither exists nor is created is not part of the plan.
        (Planned::Change(c), None) if c.before.is_none() && c.after.is_none() => {}
        (planned @ Planned::Change(_), None) => plan::push(plan, planned),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::TargetOs;

    const SETTINGS: &str = "\u{feff}// mine\r\n{\r\n  \"editor.fontSize\": 14, /* keep */\r\n  \"go.toolsEnvVars\": {\r\n    \"CGO_ENABLED\": \"0\", // mine too\r\n    \"GOPROXY\": \"https://old.example\",\r\n    \"GOPROXY\": \"https://older.example\",\r\n  },\r\n  \"nested\": { \"go.toolsEnvVars\": { \"GOPROXY\": \"x\" } },\r\n}\r\n";

    const WORKSPACE: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<project version=\"4\">\n  <component name=\"RunManager\">\n    <configuration name=\"t\" type=\"GoTestRunConfiguration\">\n      <envs>\n        <env name=\"GOFLAGS\" value=\"-count=1\" />\n      </envs>\n    </configuration>\n  </component>\n  <component name=\"VgoProject\">\n    <environment>\n      <map>\n        <entry key=\"GOPRIVATE\" value=\"corp.example&amp;co\" />\n        <entry key=\"GOOS\" value=\"linux\" />\n      </map>\n    </environment>\n  </component>\n</project>\n";

    struct World {
        _tmp: tempfile::TempDir,
        env: Env,
        settings: PathBuf,
        project: PathBuf,
    }

    fn world() -> World {
        let tmp = tempfile::tempdir().unwrap();
        let home = tmp.path().join("home");
        let settings = home.join(".config/Code/User/settings.json");
        std::fs::create_dir_all(settings.parent().unwrap()).unwrap();
        std::fs::write(&settings, SETTINGS).unwrap();
        let project = tmp.path().join("proj");
        std::fs::create_dir_all(project.join(".idea")).unwrap();
        std::fs::write(goland::workspace_path(&project), WORKSPACE).unwrap();
        let env = Env::from_vars_on(
            TargetOs::Unix,
            [
                ("HOME", home.as_os_str()),
                ("GOENV", home.join("goenv").as_os_str()),
            ],
        );
        World {
            _tmp: tmp,
            env,
            settings,
            project,
        }
    }

    fn profile(env: &Env, id: &str) -> Profile {
        let mut profile = crate::profile::load(env).unwrap().get(id).unwrap().clone();
        profile
            .values
            .insert(Setting::HttpsProxy, "http://u:pw@proxy.example:3128".into());
        profile
    }

    fn options(w: &World) -> plan::Options {
        // Named twice (as typed and through a symlink): written once.
        let link = w.project.with_file_name("proj-link");
        #[cfg(unix)]
        let _ = std::os::unix::fs::symlink(&w.project, &link);
        plan::Options {
            projects: vec![w.project.clone(), link],
            ..Default::default()
        }
    }

    fn ide_files(plan: &Plan) -> Vec<&plan::FileChange> {
        plan.files
            .iter()
            .filter(|f| matches!(f.target, TargetKind::Vscode | TargetKind::Goland))
            .collect()
    }

    #[test]
    fn apply_then_undo_is_byte_identical_and_a_second_switch_changes_nothing() {
        let w = world();
        let p = profile(&w.env, "domestic");
        let plan = plan::for_profile_with(&w.env, &p, options(&w)).unwrap();
        assert!(plan.refusals.is_empty(), "{:?}", plan.refusals);
        let ides = ide_files(&plan);
        assert_eq!(
            ides.len(),
            2,
            "VS Code (automatic: it has go.* keys) and the project"
        );
        assert!(
            ides.iter().all(|f| !f.is_noop() && f.private),
            "a password: 0600"
        );
        assert!(!plan.diff().contains("pw@"), "diffs are redacted");
        let notes: Vec<TargetKind> = plan.notes.iter().map(|n| n.target).collect();
        assert_eq!(notes, [TargetKind::Vscode, TargetKind::Goland]);
        crate::apply::apply(&w.env, &plan).unwrap();

        let settings = std::fs::read_to_string(&w.settings).unwrap();
        let tools: Vec<(String, Option<String>)> = vscode::parse(&settings)
            .unwrap()
            .into_iter()
            .map(|e| (e.var, e.value))
            .collect();
        let expected: Vec<(String, Option<String>)> = profile_vars(&p)
            .into_iter()
            .map(|(k, v)| (k, Some(v)))
            .collect();
        assert_eq!(tools, expected);
        assert!(
            settings.contains("\"CGO_ENABLED\": \"0\", // mine too"),
            "{settings}"
        );
        assert!(settings.contains("\"nested\": { \"go.toolsEnvVars\": { \"GOPROXY\": \"x\" } }"));
        let workspace = std::fs::read_to_string(goland::workspace_path(&w.project)).unwrap();
        let project_env: Vec<(String, String)> = goland::parse(&workspace)
            .unwrap()
            .into_iter()
            .filter(|e| e.origin == goland::Origin::Project)
            .map(|e| (e.var, e.value))
            .collect();
        assert_eq!(project_env, profile_vars(&p));
        assert!(workspace.contains("<entry key=\"GOOS\" value=\"linux\" />"));
        assert!(workspace.contains("<env name=\"GOFLAGS\" value=\"-count=1\" />"));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&w.settings).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }

        let again = plan::for_profile_with(&w.env, &p, options(&w)).unwrap();
        assert_eq!(
            again.changes().map(|f| f.path.clone()).collect::<Vec<_>>(),
            Vec::<PathBuf>::new(),
            "the same profile again: no file in the plan"
        );

        crate::apply::undo(&w.env).unwrap();
        assert_eq!(std::fs::read(&w.settings).unwrap(), SETTINGS.as_bytes());
        assert_eq!(
            std::fs::read(goland::workspace_path(&w.project)).unwrap(),
            WORKSPACE.as_bytes()
        );
    }

    #[test]
    fn unparseable_and_read_only_files_are_refused_with_the_lines_to_add() {
        let w = world();
        let p = profile(&w.env, "official");
        std::fs::write(
            &w.settings,
            "{\n  \"go.toolsEnvVars\": {\n    \"GOPROXY\" \"x\"\n  }\n}\n",
        )
        .unwrap();
        let plan = plan::for_profile_with(&w.env, &p, options(&w)).unwrap();
        let refusal = &plan.refusals[0];
        assert_eq!(refusal.target, TargetKind::Vscode);
        assert_eq!(
            refusal.reason,
            format!(
                "{}:3:15: Expected colon after the string or word in object property",
                w.settings.display()
            )
        );
        let manual = refusal.manual.as_deref().unwrap();
        assert!(
            manual.contains("\"GOPROXY\": \"https://proxy.golang.org,direct\""),
            "{manual}"
        );
        assert!(manual.contains("u:xxxxx@proxy"), "redacted: {manual}");
        assert!(
            crate::apply::apply(&w.env, &plan).is_err(),
            "a plan with refusals does not apply"
        );

        let mut substituted = p.clone();
        substituted
            .values
            .insert(Setting::GoFlags, "-ldflags=-X=main.v=${env:V}".into());
        let w = world();
        let plan = plan::for_profile(&w.env, &substituted).unwrap();
        assert!(
            plan.refusals[0].reason.starts_with("GOFLAGS contains `${`"),
            "{:?}",
            plan.refusals
        );

        let w = world();
        let workspace = goland::workspace_path(&w.project);
        let mut perms = std::fs::metadata(&workspace).unwrap().permissions();
        perms.set_readonly(true);
        std::fs::set_permissions(&workspace, perms).unwrap();
        let plan = plan::for_profile_with(&w.env, &p, options(&w)).unwrap();
        let refusal = plan
            .refusals
            .iter()
            .find(|r| r.target == TargetKind::Goland)
            .unwrap();
        assert!(refusal.reason.contains("read-only"), "{}", refusal.reason);
        assert!(
            refusal
                .manual
                .as_deref()
                .unwrap()
                .starts_with("GOPROXY=https://proxy.golang.org,direct\n")
        );
        std::fs::write(&w.settings, b"{ \"go.x\": \"\xff\" }").unwrap();
        let plan = plan::for_profile_with(&w.env, &p, plan::Options::default()).unwrap();
        assert!(
            plan.refusals[0]
                .reason
                .ends_with("settings.json:1:12: not UTF-8; VS Code and JetBrains IDEs write UTF-8"),
            "{}",
            plan.refusals[0].reason
        );
    }

    #[test]
    fn the_choices_decide_which_flavours_follow() {
        let w = world();
        let home = w.env.home().unwrap();
        std::fs::create_dir_all(home.join(".config/VSCodium/User")).unwrap();
        std::fs::write(
            home.join(".config/VSCodium/User/settings.json"),
            "{ \"editor.fontSize\": 1 }",
        )
        .unwrap();
        let follows = |choice| -> Vec<String> {
            vscode_flavours(&w.env, choice)
                .into_iter()
                .filter(|f| f.follows)
                .map(|f| f.product)
                .collect()
        };
        assert_eq!(follows(None), ["Code"], "automatic: where go.* keys are");
        assert_eq!(
            follows(Some(true)),
            ["Code", "VSCodium"],
            "on: every installed one"
        );
        assert_eq!(follows(Some(false)), Vec::<String>::new());

        let view = set(
            &w.env,
            &TargetPrefs {
                vscode: Some(false),
                jetbrains_projects: vec![w.project.clone(), w.project.clone()],
                ..TargetPrefs::default()
            },
        )
        .unwrap();
        assert!(view.vscode_automatic);
        assert_eq!(
            view.prefs.jetbrains_projects,
            std::slice::from_ref(&w.project),
            "no duplicates"
        );
        assert!(view.jetbrains[0].is_jetbrains);
        let plan = plan::for_profile(&w.env, &profile(&w.env, "official")).unwrap();
        let targets: Vec<TargetKind> = ide_files(&plan).iter().map(|f| f.target).collect();
        assert_eq!(
            targets,
            [TargetKind::Goland],
            "VS Code off; the project from targets.toml"
        );
        let err = set(
            &w.env,
            &TargetPrefs {
                jetbrains_projects: vec![PathBuf::from("rel/dir")],
                ..TargetPrefs::default()
            },
        )
        .unwrap_err();
        assert!(
            err.to_string().contains("not an absolute directory path"),
            "{err}"
        );

        // http.proxy only when asked for; off leaves it alone and warns.
        std::fs::write(
            &w.settings,
            "{ \"go.useLanguageServer\": true, \"http.proxy\": \"http://old:1\" }",
        )
        .unwrap();
        let on = TargetPrefs {
            vscode_http_proxy: true,
            ..TargetPrefs::default()
        };
        targets::save(&w.env, &on).unwrap();
        let plan = plan::for_profile(&w.env, &profile(&w.env, "official")).unwrap();
        let after = String::from_utf8(ide_files(&plan)[0].after.clone().unwrap()).unwrap();
        assert!(
            after.contains("\"http.proxy\": \"http://u:pw@proxy.example:3128\""),
            "{after}"
        );
        targets::save(&w.env, &TargetPrefs::default()).unwrap();
        let plan = plan::for_profile(&w.env, &profile(&w.env, "official")).unwrap();
        let after = String::from_utf8(ide_files(&plan)[0].after.clone().unwrap()).unwrap();
        assert!(
            after.contains("\"http.proxy\": \"http://old:1\""),
            "{after}"
        );
        assert!(
            plan.warnings
                .iter()
                .any(|w| w.message.contains("sets http.proxy"))
        );
    }
}
