//! The route's health in the desktop: the background re-check of the active profile, the
//! latest verdict (shared with the window), the tray icon's colour and the notification when
//! the route stops working.
//!
//! - The check itself is core's ([`modroute_core::check`]); this module schedules it, keeps
//!   the latest [`HealthState`], emits [`HEALTH_EVENT`] and paints the tray icon.
//! - The interval (minutes, 0 = off, default 10) is stored in `<state>/app.json`; changing it,
//!   switching profiles or undoing wakes the checker, which checks at once.
//! - A notification is shown only when a route that was healthy turns unhealthy (or recovers),
//!   never for the first verdict after launch: the tray colour shows that one.

use std::sync::Mutex;
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::time::Duration;

use modroute_core::check::{self, HealthState, Options, Report, Route};
use modroute_core::{Env, apply, paths, profile};
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Emitter, Manager, Runtime};

use crate::commands::LaunchEnv;
use crate::ipc_error::{ErrorCode, IpcError};
use crate::tray;

/// The app event carrying the latest [`HealthState`] after every background check.
pub const HEALTH_EVENT: &str = "modroute://health";

/// The default background interval, in minutes.
pub const DEFAULT_INTERVAL_MIN: u32 = 10;

/// The latest verdict and the checker's wake-up line (managed state).
#[derive(Default)]
pub struct Health {
    latest: Mutex<Option<HealthState>>,
    wake: Mutex<Option<Sender<()>>>,
}

impl Health {
    /// The latest verdict on the active route.
    pub fn latest(&self) -> Option<HealthState> {
        self.latest.lock().ok().and_then(|l| l.clone())
    }
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct AppSettings {
    check_interval_min: Option<u32>,
}

fn settings_file(env: &Env) -> Option<std::path::PathBuf> {
    paths::state_dir(env).map(|d| d.join("app.json"))
}

/// The background interval in minutes (0 = off). An unreadable file means the default.
pub fn interval(env: &Env) -> u32 {
    settings_file(env)
        .and_then(|p| std::fs::read(p).ok())
        .and_then(|b| serde_json::from_slice::<AppSettings>(&b).ok())
        .and_then(|s| s.check_interval_min)
        .unwrap_or(DEFAULT_INTERVAL_MIN)
}

/// Stores the interval (at most a day).
pub fn set_interval(env: &Env, minutes: u32) -> Result<(), IpcError> {
    if minutes > 24 * 60 {
        return Err(IpcError::new(
            ErrorCode::Io,
            format!("{minutes} minutes is more than a day"),
        ));
    }
    let path = settings_file(env).ok_or_else(|| {
        IpcError::new(ErrorCode::Io, "cannot determine modroute's state directory")
    })?;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(IpcError::internal)?;
    }
    let bytes = serde_json::to_vec(&AppSettings {
        check_interval_min: Some(minutes),
    })
    .map_err(IpcError::internal)?;
    modroute_core::atomic::write_atomic(
        &path,
        &bytes,
        modroute_core::atomic::Mode::KeepOr(0o600),
        None,
    )
    .map_err(|e| IpcError::new(ErrorCode::Io, e.to_string()))
}

/// The route of `profile` (or of the launch environment) and its check options.
pub fn route_for(env: &Env, profile: Option<&str>) -> Result<(Route, Options), IpcError> {
    let mut options = Options::default();
    let route = match profile {
        Some(id) => {
            let profiles = profile::load(env)?;
            let found = profiles
                .get(id)
                .ok_or_else(|| IpcError::new(ErrorCode::NotFound, format!("no profile `{id}`")))?;
            if let Some(problem) = found.problems.first() {
                return Err(IpcError::new(
                    ErrorCode::InvalidProfile,
                    format!("profile `{id}` cannot be checked: {problem}"),
                ));
            }
            if let Some(module) = &found.probe_module {
                options.module = module.clone();
            }
            Route::for_profile(env, found)
        }
        None => Route::effective(env),
    };
    Ok((route, options))
}

/// Checks a route (blocking), adds it to the history and, when it is the active route,
/// publishes the verdict.
pub fn check_now<R: Runtime>(
    app: &AppHandle<R>,
    profile: Option<&str>,
    on_event: &mut dyn FnMut(&check::Event),
) -> Result<Report, IpcError> {
    let env = app.state::<LaunchEnv>().0.clone();
    let (route, options) = route_for(&env, profile)?;
    let report = check::run(&route, profile, &options, on_event);
    if let Err(err) = check::record(&env, &report) {
        eprintln!("modroute: the check was not added to the history: {err}");
    }
    if apply::active_profile(&env).as_deref() == profile {
        publish(app, HealthState::from_report(&report));
    }
    Ok(report)
}

/// Stores a verdict on the active route, recolours the tray, tells the window, and notifies
/// when a healthy route turned unhealthy (or back).
fn publish<R: Runtime>(app: &AppHandle<R>, state: HealthState) {
    let health = app.state::<Health>();
    let previous = health
        .latest
        .lock()
        .ok()
        .and_then(|mut l| l.replace(state.clone()));
    tray::show_health(app, Some(&state));
    if let Err(err) = app.emit(HEALTH_EVENT, &state) {
        eprintln!("modroute: could not send the health state to the window: {err}");
    }
    let env = app.state::<LaunchEnv>().0.clone();
    let lang = tray::Lang::from_env(&env);
    if let Some(text) = transition(previous.as_ref(), &state, lang) {
        tray::notify_text(&text);
    }
}

/// The notification for a change of verdict, if the verdict changed on the same route.
pub fn transition(
    previous: Option<&HealthState>,
    now: &HealthState,
    lang: tray::Lang,
) -> Option<String> {
    let previous = previous.filter(|p| p.profile == now.profile)?;
    match (previous.healthy, now.healthy, lang) {
        (true, false, tray::Lang::En) => Some(format!(
            "The Go module route stopped working: {}",
            now.failing.join(", ")
        )),
        (true, false, tray::Lang::Zh) => {
            Some(format!("Go 模块线路不可用：{}", now.failing.join("，")))
        }
        (false, true, tray::Lang::En) => Some("The Go module route works again".to_string()),
        (false, true, tray::Lang::Zh) => Some("Go 模块线路已恢复".to_string()),
        _ => None,
    }
}

/// Wakes the background checker (it checks at once, then waits the interval again).
pub fn wake<R: Runtime>(app: &AppHandle<R>) {
    if let Some(health) = app.try_state::<Health>()
        && let Ok(wake) = health.wake.lock()
        && let Some(tx) = wake.as_ref()
    {
        let _ = tx.send(());
    }
}

/// Starts the background checker thread (real app only).
pub fn start<R: Runtime>(app: &AppHandle<R>) {
    let (tx, rx) = mpsc::channel::<()>();
    if let Ok(mut wake) = app.state::<Health>().wake.lock() {
        *wake = Some(tx);
    }
    let app = app.clone();
    let spawned = std::thread::Builder::new()
        .name("modroute-health".into())
        .spawn(move || {
            // Let the window paint first.
            std::thread::sleep(Duration::from_secs(3));
            loop {
                let env = app.state::<LaunchEnv>().0.clone();
                let minutes = interval(&env);
                if minutes > 0 {
                    let active = apply::active_profile(&env);
                    if let Err(err) = check_now(&app, active.as_deref(), &mut |_| {}) {
                        eprintln!("modroute: background check failed: {}", err.message);
                    }
                }
                let wait = if minutes == 0 {
                    Duration::from_secs(24 * 3600)
                } else {
                    Duration::from_secs(u64::from(minutes) * 60)
                };
                match rx.recv_timeout(wait) {
                    Ok(()) | Err(RecvTimeoutError::Timeout) => {}
                    Err(RecvTimeoutError::Disconnected) => return,
                }
            }
        });
    if let Err(err) = spawned {
        eprintln!("modroute: no background check ({err})");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state(profile: &str, healthy: bool) -> HealthState {
        HealthState {
            profile: Some(profile.into()),
            healthy,
            checked_at: 1,
            failing: if healthy {
                vec![]
            } else {
                vec!["https://goproxy.cn".into()]
            },
        }
    }

    #[test]
    fn only_changes_of_the_same_route_notify() {
        use tray::Lang::{En, Zh};
        assert_eq!(
            transition(None, &state("a", false), En),
            None,
            "first verdict: tray only"
        );
        assert_eq!(
            transition(Some(&state("a", true)), &state("a", false), En).as_deref(),
            Some("The Go module route stopped working: https://goproxy.cn")
        );
        assert_eq!(
            transition(Some(&state("a", false)), &state("a", true), Zh).as_deref(),
            Some("Go 模块线路已恢复")
        );
        assert_eq!(
            transition(Some(&state("a", true)), &state("a", true), En),
            None
        );
        assert_eq!(
            transition(Some(&state("a", true)), &state("b", false), En),
            None
        );
    }

    #[test]
    fn the_interval_round_trips_and_defaults_to_ten_minutes() {
        let home = tempfile::tempdir().unwrap();
        let env = Env::from_vars([("HOME", home.path().as_os_str())]);
        assert_eq!(interval(&env), DEFAULT_INTERVAL_MIN);
        set_interval(&env, 0).unwrap();
        assert_eq!(interval(&env), 0);
        set_interval(&env, 30).unwrap();
        assert_eq!(interval(&env), 30);
        assert!(set_interval(&env, 100_000).is_err());
    }
}
