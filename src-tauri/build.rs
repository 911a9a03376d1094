//! Build script: compiles the Tauri config and capabilities, and opts the app's own commands
//! into the ACL so each one must be granted by a capability (without `app_manifest`, every app
//! command would be callable from any window).

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(&["get_status"])),
    )
    .expect("tauri-build failed: check tauri.conf.json, capabilities/ and icons/");
}
