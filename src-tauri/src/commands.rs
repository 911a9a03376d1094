//! The IPC commands the UI may call. Each one is also named in `build.rs` (so it goes through
//! the ACL) and granted in `capabilities/main.json`. Commands are adapters: take the input,
//! call core on a blocking worker (they read and write files), return core's value — as JSON
//! with every credential redacted. Commands that change the profiles or the active one also
//! refresh the tray menu (its check mark and items), when there is a tray.

use std::collections::BTreeMap;

use modroute_core::profile::{self, ProfileEdit};
use modroute_core::{Env, Setting, apply, check, plan, status, validate};
use serde::Serialize;
use serde_json::Value;
use tauri::ipc::Channel;
use tauri::{AppHandle, Runtime, State};

use crate::ipc_error::{ErrorCode, IpcError};
use crate::tray;

/// The environment the app was launched with, as core sees it.
///
/// Taken once at start-up and kept as managed state: the process environment never changes
/// after launch (exactly as for the `go` the user runs from the same session), and tests can
/// manage a hermetic snapshot pointing at a temporary HOME instead.
pub struct LaunchEnv(pub Env);

/// Runs `work` on a blocking worker with the launch environment and redacts its JSON result.
async fn blocking<T: Serialize + Send + 'static>(
    env: &State<'_, LaunchEnv>,
    work: impl FnOnce(&Env) -> Result<T, IpcError> + Send + 'static,
) -> Result<Value, IpcError> {
    let env = env.0.clone();
    let value = tauri::async_runtime::spawn_blocking(move || work(&env))
        .await
        .map_err(|err| IpcError::internal(format!("the worker failed: {err}")))??;
    let json = serde_json::to_value(value).map_err(IpcError::internal)?;
    Ok(modroute_core::redact::redact_json(json))
}

/// Every Go network setting with its effective value and source (`modroute status --json`),
/// plus git's own proxy view (`modroute status --git`) for the Overview.
#[tauri::command]
pub async fn get_status(env: State<'_, LaunchEnv>) -> Result<Value, IpcError> {
    blocking(&env, |env| Ok(status::gather_with_git(env))).await
}

/// The built-in and user profiles, the active one, the user's profiles file.
#[tauri::command]
pub async fn list_profiles(env: State<'_, LaunchEnv>) -> Result<Value, IpcError> {
    blocking(&env, |env| Ok(profile::listing(env)?)).await
}

fn find(env: &Env, id: &str) -> Result<profile::Profile, IpcError> {
    let profiles = profile::load(env)?;
    profiles
        .get(id)
        .cloned()
        .ok_or_else(|| IpcError::new(ErrorCode::NotFound, format!("no profile `{id}`")))
}

/// What switching to a profile would change (per-file diffs, actions, refusals, warnings).
#[tauri::command]
pub async fn plan_profile(env: State<'_, LaunchEnv>, id: String) -> Result<Value, IpcError> {
    blocking(&env, move |env| {
        Ok(plan::for_profile(env, &find(env, &id)?)?)
    })
    .await
}

/// Switching to profile `id`: plans again (the world may have changed since the preview) and
/// applies as one journaled transaction. Blocking: call it on a worker thread. Shared by the
/// `apply_profile` command and the tray menu, so both switch the same way.
pub(crate) fn switch(
    env: &Env,
    id: &str,
    options: plan::Options,
) -> Result<apply::Receipt, IpcError> {
    let plan = plan::for_profile_with(env, &find(env, id)?, options)?;
    Ok(apply::apply(env, &plan)?)
}

/// Switches to a profile: plans again and applies as one journaled transaction.
#[tauri::command]
pub async fn apply_profile<R: Runtime>(
    app: AppHandle<R>,
    env: State<'_, LaunchEnv>,
    id: String,
) -> Result<Value, IpcError> {
    // The window showed the plan (shadow edits included) and the user pressed Apply: consent.
    let receipt = blocking(&env, move |env| switch(env, &id, plan::Options::default())).await;
    tray::refresh_later(&app);
    crate::health::wake(&app);
    receipt
}

/// Every format's snippet of profile `id` for the Profiles panel's "Everywhere" section
/// (`modroute env <id> --format <f>` for each format).
///
/// Deliberately the one payload that carries real passwords: `text` is what the Copy button
/// puts on the clipboard, because handing the value to another tool is what the user asked
/// for. Everything else — `masked`, which the panel shows until the user reveals, and refusal
/// messages — is redacted as in every other payload.
#[tauri::command]
pub async fn export_env(env: State<'_, LaunchEnv>, id: String) -> Result<Value, IpcError> {
    let env = env.0.clone();
    let snippets =
        tauri::async_runtime::spawn_blocking(move || modroute_core::export::snippets(&env, &id))
            .await
            .map_err(|err| IpcError::internal(format!("the worker failed: {err}")))??;
    let mut out = Vec::with_capacity(snippets.len());
    for snippet in snippets {
        let text = snippet.text.clone();
        let mut value = modroute_core::redact::redact_json(
            serde_json::to_value(&snippet).map_err(IpcError::internal)?,
        );
        value["text"] = text.map_or(Value::Null, Value::String);
        out.push(value);
    }
    Ok(Value::Array(out))
}

/// Reverts the most recent switch.
#[tauri::command]
pub async fn undo<R: Runtime>(
    app: AppHandle<R>,
    env: State<'_, LaunchEnv>,
) -> Result<Value, IpcError> {
    let receipt = blocking(&env, |env| Ok(apply::undo(env)?)).await;
    tray::refresh_later(&app);
    crate::health::wake(&app);
    receipt
}

/// The journal of switches, newest first.
#[tauri::command]
pub async fn history(env: State<'_, LaunchEnv>) -> Result<Value, IpcError> {
    blocking(&env, |env| Ok(apply::history(env)?)).await
}

/// Checks one value with Go's grammar: `null` when valid, else the reason.
#[tauri::command]
pub fn validate_value(setting: String, value: String) -> Result<Option<String>, IpcError> {
    let setting = Setting::from_name(&setting).ok_or_else(|| {
        IpcError::new(
            ErrorCode::InvalidProfile,
            format!("unknown setting `{setting}`"),
        )
    })?;
    if value.is_empty() {
        return Ok(None);
    }
    Ok(validate::check(setting, &value)
        .err()
        .map(|m| modroute_core::redact::redact_lines(&m)))
}

/// A profile as the editor sends it.
#[derive(serde::Deserialize)]
pub struct EditedProfile {
    id: String,
    label: Option<String>,
    /// The health check's probe module; absent keeps the stored one.
    #[serde(default)]
    probe_module: Option<String>,
    values: BTreeMap<String, String>,
}

/// Saves a user profile into `profiles.toml` (comments kept) and returns the new listing.
#[tauri::command]
pub async fn save_profile<R: Runtime>(
    app: AppHandle<R>,
    env: State<'_, LaunchEnv>,
    profile: EditedProfile,
) -> Result<Value, IpcError> {
    let listing = blocking(&env, move |env| {
        let edit = ProfileEdit {
            id: profile.id,
            label: profile.label,
            probe_module: profile.probe_module,
            values: profile.values,
        };
        profile::save(env, &edit)?;
        Ok(profile::listing(env)?)
    })
    .await;
    tray::refresh_later(&app);
    listing
}

/// A profile as a TOML snippet (passwords masked).
#[tauri::command]
pub async fn export_profile(env: State<'_, LaunchEnv>, id: String) -> Result<Value, IpcError> {
    blocking(&env, move |env| Ok(profile::export(&find(env, &id)?))).await
}

/// Adds the profiles of a pasted `[profiles.<id>]` snippet and returns the new listing.
#[tauri::command]
pub async fn import_profile<R: Runtime>(
    app: AppHandle<R>,
    env: State<'_, LaunchEnv>,
    text: String,
) -> Result<Value, IpcError> {
    let listing = blocking(&env, move |env| {
        profile::import(env, &text)?;
        Ok(profile::listing(env)?)
    })
    .await;
    tray::refresh_later(&app);
    listing
}

/// Checks a route — `profile`, or the launch environment's effective settings when null —
/// streaming [`modroute_core::check::Event`]s through `on_event`, and returns the report
/// (also added to the health history; the verdict on the active route updates the tray).
#[tauri::command]
pub async fn run_check<R: Runtime>(
    app: AppHandle<R>,
    env: State<'_, LaunchEnv>,
    profile: Option<String>,
    on_event: Channel<Value>,
) -> Result<Value, IpcError> {
    blocking(&env, move |_| {
        crate::health::check_now(&app, profile.as_deref(), &mut |event| {
            if let Ok(json) = serde_json::to_value(event) {
                let _ = on_event.send(modroute_core::redact::redact_json(json));
            }
        })
    })
    .await
}

/// Past checks, newest first (at most [`modroute_core::check::MAX_RUNS`]).
#[tauri::command]
pub async fn check_history(env: State<'_, LaunchEnv>) -> Result<Value, IpcError> {
    blocking(&env, |env| {
        check::load_history(env).map_err(|e| IpcError::new(ErrorCode::Io, e.to_string()))
    })
    .await
}

/// The latest verdict on the active route (`null` before the first check).
#[tauri::command]
pub fn health_state(health: State<'_, crate::health::Health>) -> Result<Value, IpcError> {
    serde_json::to_value(health.latest()).map_err(IpcError::internal)
}

/// The background check's interval in minutes (0 = off).
#[tauri::command]
pub async fn get_check_interval(env: State<'_, LaunchEnv>) -> Result<Value, IpcError> {
    blocking(&env, |env| Ok(crate::health::interval(env))).await
}

/// Sets the background check's interval (minutes, 0 = off) and re-checks at once.
#[tauri::command]
pub async fn set_check_interval<R: Runtime>(
    app: AppHandle<R>,
    env: State<'_, LaunchEnv>,
    minutes: u32,
) -> Result<Value, IpcError> {
    let result = blocking(&env, move |env| crate::health::set_interval(env, minutes)).await;
    if result.is_ok() {
        crate::health::wake(&app);
    }
    result
}

/// The optional switch targets: the choices in `targets.toml` and what they mean on this
/// machine (which VS Code flavours follow, the JetBrains projects).
#[tauri::command]
pub async fn get_targets(env: State<'_, LaunchEnv>) -> Result<Value, IpcError> {
    blocking(&env, |env| Ok(modroute_core::ides::view(env)?)).await
}

/// Stores the optional switch targets' choices (comments in `targets.toml` kept) and returns
/// the new view.
#[tauri::command]
pub async fn set_targets(
    env: State<'_, LaunchEnv>,
    prefs: modroute_core::targets::TargetPrefs,
) -> Result<Value, IpcError> {
    blocking(&env, move |env| Ok(modroute_core::ides::set(env, &prefs)?)).await
}

/// The plan of "use the fastest healthy mirror first": profile `id` with GOPROXY reordered as
/// `goproxy` (the check's suggestion, redacted or not), saved and switched to.
#[tauri::command]
pub async fn plan_fastest_first(
    env: State<'_, LaunchEnv>,
    id: String,
    goproxy: String,
) -> Result<Value, IpcError> {
    blocking(&env, move |env| {
        Ok(plan::fastest_first(env, &find(env, &id)?, &goproxy)?)
    })
    .await
}

/// Applies [`plan_fastest_first`]'s plan (planned again) as one journaled transaction.
#[tauri::command]
pub async fn apply_fastest_first<R: Runtime>(
    app: AppHandle<R>,
    env: State<'_, LaunchEnv>,
    id: String,
    goproxy: String,
) -> Result<Value, IpcError> {
    let receipt = blocking(&env, move |env| {
        let plan = plan::fastest_first(env, &find(env, &id)?, &goproxy)?;
        Ok(apply::apply(env, &plan)?)
    })
    .await;
    tray::refresh_later(&app);
    crate::health::wake(&app);
    receipt
}

/// Where `go` would fetch `module` from, step by step (`modroute why`); with `probe`, each
/// attempt is checked live and the report says where go would end up.
#[tauri::command]
pub async fn explain_route(
    env: State<'_, LaunchEnv>,
    module: String,
    profile: Option<String>,
    probe: bool,
) -> Result<Value, IpcError> {
    blocking(&env, move |env| {
        let (route, options) = crate::health::route_for(env, profile.as_deref())?;
        let mut report = if probe {
            modroute_core::why::probe(&route, &module, &options)
        } else {
            modroute_core::why::explain(&route, &module)
        };
        modroute_core::why::add_git_from(env, &route, &mut report);
        report.profile = profile;
        Ok(report)
    })
    .await
}

/// The doctor: what every context sees (the mismatch matrix), lints and fixes. `project` is a
/// folder whose IDE settings and `.envrc` are read (absolute; `null` for none).
#[tauri::command]
pub async fn run_doctor(
    env: State<'_, LaunchEnv>,
    project: Option<String>,
) -> Result<Value, IpcError> {
    blocking(&env, move |env| {
        let project = match project.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
            Some(p) => {
                let path = std::path::PathBuf::from(p);
                if !path.is_absolute() || !path.is_dir() {
                    return Err(IpcError::new(
                        ErrorCode::NotFound,
                        format!("{p} is not an absolute path to a folder"),
                    ));
                }
                Some(path)
            }
            None => None,
        };
        Ok(modroute_core::doctor::run(
            env,
            project.as_deref(),
            &modroute_core::doctor::Options::default(),
        ))
    })
    .await
}

/// What a doctor fix would change, as a plan (preview).
#[tauri::command]
pub async fn plan_fix(
    env: State<'_, LaunchEnv>,
    fix: modroute_core::doctor::Fix,
) -> Result<Value, IpcError> {
    blocking(&env, move |env| {
        Ok(modroute_core::doctor::fix::plan(env, &fix)?)
    })
    .await
}

/// Applies a doctor fix (planned again) as one journaled transaction, undoable like a switch.
#[tauri::command]
pub async fn apply_fix<R: Runtime>(
    app: AppHandle<R>,
    env: State<'_, LaunchEnv>,
    fix: modroute_core::doctor::Fix,
) -> Result<Value, IpcError> {
    let receipt = blocking(&env, move |env| {
        let plan = modroute_core::doctor::fix::plan(env, &fix)?;
        Ok(apply::apply(env, &plan)?)
    })
    .await;
    tray::refresh_later(&app);
    crate::health::wake(&app);
    receipt
}
