//! Build script: compiles the Tauri config and capabilities, and opts the app's own commands
//! into the ACL so each one must be granted by a capability (without `app_manifest`, every app
//! command would be callable from any window).

/// Every app command; each needs `allow-<name>` in `capabilities/main.json` to be callable.
const COMMANDS: &[&str] = &[
    "get_status",
    "list_profiles",
    "export_env",
    "plan_profile",
    "apply_profile",
    "undo",
    "history",
    "validate_value",
    "save_profile",
    "export_profile",
    "import_profile",
    "run_check",
    "check_history",
    "health_state",
    "get_check_interval",
    "set_check_interval",
    "get_targets",
    "set_targets",
    "plan_fastest_first",
    "apply_fastest_first",
    "explain_route",
    "run_doctor",
    "plan_fix",
    "apply_fix",
];

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("tauri-build failed: check tauri.conf.json, capabilities/ and icons/");
}
