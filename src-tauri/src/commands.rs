//! The IPC commands the UI may call. Each one is also named in `build.rs` (so it goes through
//! the ACL) and granted in `capabilities/main.json`. Commands are adapters: take the input,
//! call core, return core's serialisable value.

use modroute_core::{Env, status};
use tauri::State;

use crate::ipc_error::IpcError;

/// The environment the app was launched with, as core sees it.
///
/// Taken once at start-up and kept as managed state: the process environment never changes
/// after launch (exactly as for the `go` the user runs from the same session), and tests can
/// manage a hermetic snapshot pointing at a temporary HOME instead.
pub struct LaunchEnv(pub Env);

/// Reports every Go network setting with its effective value and where it comes from: the
/// contract's Status JSON, the same as `modroute status --json`. Files are re-read on every
/// call, so a refresh shows edits made since launch.
///
/// Runs on a blocking worker thread: gathering reads files (and may run `go env GOROOT`), and
/// the webview must never wait on the main thread for that.
#[tauri::command]
pub async fn get_status(env: State<'_, LaunchEnv>) -> Result<status::Status, IpcError> {
    let env = env.0.clone();
    tauri::async_runtime::spawn_blocking(move || status::gather(&env))
        .await
        .map_err(|err| IpcError::Internal(format!("the status worker failed: {err}")))
}
