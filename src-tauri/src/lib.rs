//! The modroute desktop app: a thin Tauri v2 shell over `modroute-core`.
//!
//! This crate owns only the window, the IPC commands and the error shape that crosses IPC.
//! Every command is an adapter of a few lines — build the input, call core, return its
//! serialisable value — so the behaviour lives, and is tested, in core.
//!
//! The tray icon (module `tray`) switches profiles from the desktop's status area with the same
//! core calls as the window; it exists only in the real app ([`run`]).
//!
//! Security (see `tauri.conf.json`, `capabilities/main.json` and `build.rs`): an explicit CSP,
//! no global `window.__TAURI__`, and app commands opted into the ACL, so the `main` window may
//! call exactly the commands its capability lists.
//!
//! Terms: a *command* is a Rust function the UI calls with `invoke`; a *capability* grants a
//! window a set of permissions; `allow-<command>` is the permission tauri-build generates for
//! each app command.

mod commands;
mod health;
mod ipc_error;
mod tray;

pub use ipc_error::{ErrorCode, IpcError};

/// Registers the app's IPC commands on a builder for any runtime (the real one in [`run`], the
/// mock runtime in tests). The commands need a [`commands::LaunchEnv`] to be managed.
fn with_commands<R: tauri::Runtime>(builder: tauri::Builder<R>) -> tauri::Builder<R> {
    builder.invoke_handler(tauri::generate_handler![
        commands::get_status,
        commands::list_profiles,
        commands::export_env,
        commands::plan_profile,
        commands::apply_profile,
        commands::undo,
        commands::history,
        commands::validate_value,
        commands::save_profile,
        commands::export_profile,
        commands::import_profile,
        commands::run_check,
        commands::check_history,
        commands::health_state,
        commands::get_check_interval,
        commands::set_check_interval,
        commands::get_targets,
        commands::set_targets,
        commands::plan_fastest_first,
        commands::apply_fastest_first,
        commands::explain_route,
        commands::run_doctor,
        commands::plan_fix,
        commands::apply_fix,
    ])
}

/// Starts the desktop app and blocks until its last window closes.
///
/// # Panics
///
/// If the window system or the webview cannot be initialised (e.g. no display): there is no
/// window to report the error in, so the process exits with the message.
pub fn run() {
    let env = commands::LaunchEnv(modroute_core::Env::from_vars(std::env::vars_os()));
    with_commands(tauri::Builder::default())
        .manage(env)
        .manage(health::Health::default())
        .setup(|app| {
            #[cfg(target_os = "linux")]
            for window in tauri::Manager::webview_windows(app).values() {
                lean_webview(window)?;
            }
            // The tray reads the profiles first: off the main thread, which must start the
            // event loop. A desktop without a tray is no reason not to start.
            let handle = app.handle().clone();
            tauri::async_runtime::spawn_blocking(move || {
                if let Err(err) = tray::install(&handle) {
                    eprintln!("modroute: no tray icon ({err}); the window works as usual");
                }
                health::start(&handle);
            });
            Ok(())
        })
        .run(tauri::generate_context!())
        .expect("modroute: could not start the desktop app");
}

/// Turns off WebKitGTK's accelerated compositing for one window (Linux only).
///
/// The UI is a sidebar and a table: nothing in it needs GPU compositing, and without it the web
/// process drops its GL compositor (with Mesa's llvmpipe, the usual case without a GPU, ~65 MB
/// of GL and tile buffers plus the llvmpipe code they touch) and paints with the CPU into shared
/// memory. The cost: CSS transforms and animations are painted by the CPU, and WebGL is off.
/// Measured under Xvfb with `benches/app-startup.mjs` (8 interleaved runs each): idle memory
/// over the app and its WebKit processes RSS 507 → 411 MB, PSS 330 → 239 MB, USS 238 → 152 MB;
/// first paint unchanged within the noise, the ready frame earlier.
///
/// Applied in `setup`, on the main thread right after the webview is created and before the
/// event loop runs, so before the page is painted.
#[cfg(target_os = "linux")]
fn lean_webview(window: &tauri::WebviewWindow) -> tauri::Result<()> {
    window.with_webview(|webview| {
        use webkit2gtk::{HardwareAccelerationPolicy, SettingsExt, WebViewExt};
        if let Some(settings) = WebViewExt::settings(&webview.inner()) {
            settings.set_hardware_acceleration_policy(HardwareAccelerationPolicy::Never);
        }
    })
}

#[cfg(test)]
mod tests {
    use tauri::ipc::{CallbackFn, InvokeBody};
    use tauri::test::{INVOKE_KEY, MockRuntime, get_ipc_response, mock_builder};
    use tauri::webview::InvokeRequest;
    use tauri::{App, Manager, WebviewWindow, WebviewWindowBuilder};

    use crate::commands::LaunchEnv;
    use modroute_core::Env;

    /// Where the mock windows keep their webview data: inside the test's HOME.
    struct WebviewData(std::path::PathBuf);

    /// The real app (config, capabilities, commands) on the mock runtime, launched with `env`.
    ///
    /// Tauri gives every webview a data directory and creates it; by default that is the
    /// *process's* local data dir (`~/.local/share/dev.modroute.app`), whatever `env` says. The
    /// windows of the config are therefore built here, each with a data directory inside the
    /// test's temporary HOME, and [`window`] does the same for extra windows.
    fn mock_app(env: Env) -> App<MockRuntime> {
        let data = WebviewData(
            env.home()
                .expect("a test environment has a HOME")
                .join("webview-data"),
        );
        let mut context = tauri::generate_context!();
        let windows = std::mem::take(&mut context.config_mut().app.windows);
        let app = super::with_commands(mock_builder())
            .manage(LaunchEnv(env))
            .manage(crate::health::Health::default())
            .build(context)
            .expect("the app builds on the mock runtime");
        for config in &windows {
            WebviewWindowBuilder::from_config(&app, config)
                .expect("the window config is valid")
                .data_directory(data.0.clone())
                .build()
                .expect("a mock window from the config");
        }
        app.manage(data);
        app
    }

    /// A launch environment that sees only a temporary HOME whose go env file sets GOPROXY,
    /// and no `go` on PATH: nothing of the real user's set-up leaks in.
    fn hermetic_env(home: &std::path::Path) -> Env {
        let config = home.join("config");
        std::fs::create_dir_all(config.join("go")).unwrap();
        std::fs::write(
            config.join("go/env"),
            "GOPROXY=https://goproxy.test,direct\n",
        )
        .unwrap();
        Env::from_vars([
            ("HOME", home.as_os_str()),
            ("XDG_CONFIG_HOME", config.as_os_str()),
            ("PATH", "".as_ref()),
        ])
    }

    fn window(app: &App<MockRuntime>, label: &str) -> WebviewWindow<MockRuntime> {
        app.get_webview_window(label).unwrap_or_else(|| {
            WebviewWindowBuilder::new(app, label, Default::default())
                .data_directory(app.state::<WebviewData>().0.clone())
                .build()
                .expect("a mock window")
        })
    }

    fn invoke(
        window: &WebviewWindow<MockRuntime>,
        cmd: &str,
    ) -> Result<serde_json::Value, serde_json::Value> {
        invoke_with(window, cmd, serde_json::json!({}))
    }

    fn invoke_with(
        window: &WebviewWindow<MockRuntime>,
        cmd: &str,
        args: serde_json::Value,
    ) -> Result<serde_json::Value, serde_json::Value> {
        get_ipc_response(
            window,
            InvokeRequest {
                cmd: cmd.into(),
                callback: CallbackFn(0),
                error: CallbackFn(1),
                url: "tauri://localhost".parse().unwrap(),
                body: InvokeBody::Json(args),
                headers: Default::default(),
                invoke_key: INVOKE_KEY.to_string(),
            },
        )
        .map(|body| body.deserialize().expect("a JSON response"))
    }

    #[test]
    fn main_window_gets_the_status_report() {
        let home = tempfile::tempdir().unwrap();
        let app = mock_app(hermetic_env(home.path()));
        let status = invoke(&window(&app, "main"), "get_status").expect("get_status succeeds");

        for key in ["goenv", "goenv_file", "goroot", "vars"] {
            assert!(status.get(key).is_some(), "status has `{key}`: {status}");
        }
        let goproxy = &status["vars"]["GOPROXY"];
        assert_eq!(goproxy["value"], "https://goproxy.test,direct", "{status}");
        assert_eq!(goproxy["source"], "goenv", "{status}");
        assert_eq!(goproxy["location"]["line"], 1, "{status}");
        assert_eq!(status["goenv_file"]["state"], "read", "{status}");
        assert_eq!(
            status["vars"].as_object().map(|vars| vars.len()),
            Some(modroute_core::Setting::ALL.len()),
            "{status}"
        );
        // The Overview's git section: git's view is part of the app's status.
        assert!(status["git"]["agrees"].is_boolean(), "{status}");
    }

    #[test]
    fn a_window_without_the_capability_is_refused() {
        let home = tempfile::tempdir().unwrap();
        let app = mock_app(hermetic_env(home.path()));
        let refused = invoke(&window(&app, "other"), "get_status");
        let message = refused.expect_err("the ACL refuses get_status outside `main`");
        assert!(
            message.as_str().is_some_and(|m| m.contains("not allowed")),
            "refused by the ACL, not by something else: {message}"
        );
    }

    #[test]
    fn main_window_may_listen_for_app_events_but_not_emit() {
        use serde_json::json;
        let home = tempfile::tempdir().unwrap();
        let app = mock_app(hermetic_env(home.path()));
        let listen =
            json!({"event": "modroute://switched", "target": {"kind": "Any"}, "handler": 7});
        let id = invoke_with(&window(&app, "main"), "plugin:event|listen", listen.clone())
            .expect("core:event:allow-listen is granted");
        invoke_with(
            &window(&app, "main"),
            "plugin:event|unlisten",
            json!({"event": "modroute://switched", "eventId": id}),
        )
        .expect("core:event:allow-unlisten is granted");
        let by_the_acl = |refused: serde_json::Value| {
            assert!(
                refused.as_str().is_some_and(|m| m.contains("not allowed")),
                "refused by the ACL, not by something else: {refused}"
            );
        };
        let emit = json!({"event": "modroute://switched", "payload": null});
        // Only the backend announces switches.
        by_the_acl(invoke_with(&window(&app, "main"), "plugin:event|emit", emit).unwrap_err());
        by_the_acl(invoke_with(&window(&app, "other"), "plugin:event|listen", listen).unwrap_err());
    }

    #[test]
    fn switch_targets_are_read_and_stored_through_ipc() {
        use serde_json::json;
        let home = tempfile::tempdir().unwrap();
        let env = hermetic_env(home.path());
        let settings = home.path().join("config/Code/User/settings.json");
        std::fs::create_dir_all(settings.parent().unwrap()).unwrap();
        std::fs::write(&settings, "{ \"go.useLanguageServer\": true }\n").unwrap();
        let project = home.path().join("proj");
        std::fs::create_dir_all(project.join(".idea")).unwrap();
        let app = mock_app(env);
        let main = window(&app, "main");

        let view = invoke(&main, "get_targets").expect("get_targets");
        assert_eq!(view["prefs"]["vscode"], serde_json::Value::Null, "{view}");
        assert_eq!(view["vscode_automatic"], true, "{view}");
        let code = &view["vscode"][0];
        assert_eq!(code["product"], "Code");
        assert_eq!(code["follows"], true, "{view}");
        assert_eq!(code["configures_go"], true, "{view}");

        let mut prefs = view["prefs"].clone();
        prefs["vscode"] = json!(false);
        prefs["vscode_http_proxy"] = json!(true);
        prefs["jetbrains_projects"] = json!([project]);
        let view =
            invoke_with(&main, "set_targets", json!({ "prefs": prefs })).expect("set_targets");
        assert_eq!(view["prefs"]["vscode"], false, "{view}");
        assert_eq!(view["vscode"][0]["follows"], false, "{view}");
        assert_eq!(view["jetbrains"][0]["is_jetbrains"], true, "{view}");
        let stored =
            std::fs::read_to_string(home.path().join("config/modroute/targets.toml")).unwrap();
        assert!(
            stored.contains("vscode = false") && stored.contains("vscode_http_proxy = true"),
            "{stored}"
        );
        assert_eq!(invoke(&main, "get_targets").unwrap(), view);

        // The project follows switches: the plan preview has its row and the IDE note.
        let plan = invoke_with(&main, "plan_profile", json!({"id": "official"})).unwrap();
        let files = plan["files"].as_array().unwrap();
        assert!(files.iter().any(|f| f["target"] == "goland"), "{plan}");
        assert!(
            !files.iter().any(|f| f["target"] == "vscode"),
            "VS Code is off: {plan}"
        );
        assert_eq!(plan["notes"][0]["target"], "goland", "{plan}");

        let mut bad = view["prefs"].clone();
        bad["jetbrains_projects"] = json!(["relative/dir"]);
        let refused = invoke_with(&main, "set_targets", json!({ "prefs": bad })).unwrap_err();
        assert_eq!(refused["code"], "refused", "{refused}");
        assert!(
            refused["message"]
                .as_str()
                .unwrap()
                .contains("relative/dir"),
            "{refused}"
        );
        assert_eq!(
            std::fs::read_to_string(home.path().join("config/modroute/targets.toml")).unwrap(),
            stored
        );
        let outside = invoke(&window(&app, "other"), "get_targets").unwrap_err();
        assert!(
            outside.as_str().is_some_and(|m| m.contains("not allowed")),
            "{outside}"
        );
    }

    #[test]
    fn profiles_switch_and_undo_through_ipc() {
        use serde_json::json;
        let home = tempfile::tempdir().unwrap();
        let app = mock_app(hermetic_env(home.path()));
        let main = window(&app, "main");

        let listing = invoke(&main, "list_profiles").expect("list_profiles");
        let ids: Vec<_> = listing["profiles"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["id"].clone())
            .collect();
        assert_eq!(
            ids,
            [json!("domestic"), json!("official"), json!("corporate")]
        );
        assert_eq!(listing["active"], serde_json::Value::Null);

        let plan = invoke_with(&main, "plan_profile", json!({"id": "official"})).expect("plan");
        let goenv = plan["files"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["target"] == "go_env")
            .expect("a go env change");
        assert!(
            goenv["diff"]
                .as_str()
                .unwrap()
                .contains("+GOPROXY=https://proxy.golang.org,direct"),
            "{plan}"
        );

        let receipt =
            invoke_with(&main, "apply_profile", json!({"id": "official"})).expect("apply");
        assert_eq!(receipt["profile"], "official");
        let goenv_file = home.path().join("config/go/env");
        assert!(
            std::fs::read_to_string(&goenv_file)
                .unwrap()
                .contains("GOPROXY=https://proxy.golang.org,direct")
        );
        assert_eq!(
            invoke(&main, "list_profiles").unwrap()["active"],
            "official"
        );
        let history = invoke(&main, "history").expect("history");
        assert_eq!(history[0]["status"], "applied");

        invoke(&main, "undo").expect("undo");
        assert_eq!(
            std::fs::read_to_string(&goenv_file).unwrap(),
            "GOPROXY=https://goproxy.test,direct\n"
        );
        let nothing = invoke(&main, "undo").expect_err("nothing left");
        assert_eq!(nothing["code"], "nothing_to_undo");

        let template =
            invoke_with(&main, "plan_profile", json!({"id": "corporate"})).expect_err("a template");
        assert_eq!(template["code"], "invalid_profile");
        assert_eq!(
            invoke_with(
                &main,
                "validate_value",
                json!({"setting": "GOPROXY", "value": "ftp://x"})
            )
            .unwrap(),
            json!("invalid proxy URL scheme (must be https, http, file): ftp://x")
        );

        let saved = invoke_with(&main, "save_profile", json!({"profile": {"id": "acme", "label": "ACME",
            "values": {"GOPROXY": "https://athens.acme.example,direct", "HTTPS_PROXY": "http://u:hunter2@proxy.acme.example:3128"}}}))
            .expect("save");
        assert!(
            !saved.to_string().contains("hunter2"),
            "listings are redacted: {saved}"
        );
        let exported = invoke_with(&main, "export_profile", json!({"id": "acme"})).unwrap();
        assert!(
            exported.as_str().unwrap().starts_with("[profiles.acme]")
                && !exported.to_string().contains("hunter2")
        );
        let refused = invoke_with(
            &window(&app, "other"),
            "apply_profile",
            json!({"id": "official"}),
        );
        assert!(
            refused.is_err(),
            "the ACL refuses switching from an unlisted window"
        );
    }

    #[test]
    fn health_check_history_interval_and_fastest_first_through_ipc() {
        use serde_json::json;
        let fixture = modroute_testkit::Fixture::start();
        let home = tempfile::tempdir().unwrap();
        let goproxy = format!(
            "{}|{}",
            fixture.http_base("slow-150"),
            fixture.http_base("ok")
        );
        let env = hermetic_env(home.path())
            .with("GOPROXY", &goproxy)
            .with("GOSUMDB", "off");
        let app = mock_app(env);
        let main = window(&app, "main");

        assert_eq!(
            invoke(&main, "health_state").unwrap(),
            serde_json::Value::Null
        );
        let report = invoke_with(
            &main,
            "run_check",
            json!({"profile": null, "onEvent": "__CHANNEL__:7"}),
        )
        .expect("run_check");
        assert_eq!(report["healthy"], true, "{report}");
        assert_eq!(report["results"].as_array().unwrap().len(), 2);
        assert_eq!(report["results"][1]["outcome"], "ok");
        assert_eq!(
            report["reorder"],
            format!(
                "{}|{}",
                fixture.http_base("ok"),
                fixture.http_base("slow-150")
            )
        );
        // No switch made yet: the effective settings are the active route.
        let state = invoke(&main, "health_state").unwrap();
        assert_eq!(state["healthy"], true, "{state}");
        let history = invoke(&main, "check_history").unwrap();
        assert_eq!(history["runs"].as_array().unwrap().len(), 1);

        assert_eq!(invoke(&main, "get_check_interval").unwrap(), 10);
        invoke_with(&main, "set_check_interval", json!({"minutes": 30})).unwrap();
        assert_eq!(invoke(&main, "get_check_interval").unwrap(), 30);

        // Only a reordering of the profile's own GOPROXY is planned.
        let refused = invoke_with(
            &main,
            "plan_fastest_first",
            json!({"id": "official", "goproxy": "https://evil.example,direct"}),
        )
        .unwrap_err();
        assert!(
            refused["message"]
                .as_str()
                .unwrap()
                .contains("not a reordering"),
            "{refused}"
        );
        let plan = invoke_with(
            &main,
            "plan_fastest_first",
            json!({"id": "domestic", "goproxy": "https://mirrors.aliyun.com/goproxy/,https://goproxy.cn,direct"}),
        )
        .expect("a plan");
        assert_eq!(plan["files"][0]["target"], "profiles", "{plan}");
        let receipt = invoke_with(
            &main,
            "apply_fastest_first",
            json!({"id": "domestic", "goproxy": "https://mirrors.aliyun.com/goproxy/,https://goproxy.cn,direct"}),
        )
        .expect("applied");
        assert_eq!(receipt["profile"], "domestic");
        let listing = invoke(&main, "list_profiles").unwrap();
        let domestic = listing["profiles"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["id"] == "domestic")
            .unwrap();
        assert_eq!(
            domestic["values"]["GOPROXY"],
            "https://mirrors.aliyun.com/goproxy/,https://goproxy.cn,direct"
        );
        // Refused from another window, like every command.
        assert!(invoke(&window(&app, "other"), "check_history").is_err());
    }

    #[test]
    fn doctor_route_explainer_and_fixes_through_ipc() {
        use serde_json::json;
        let home = tempfile::tempdir().unwrap();
        let app = mock_app(hermetic_env(home.path()).with("GOPRIVATE", "git.corp.example"));
        let main = window(&app, "main");

        let why = invoke_with(
            &main,
            "explain_route",
            json!({"module": "git.corp.example/x", "profile": null, "probe": false}),
        )
        .expect("explain_route");
        assert_eq!(why["matches"]["GOPRIVATE"], "git.corp.example", "{why}");
        assert_eq!(why["attempts"][0]["source"], "direct", "{why}");
        let malformed = invoke_with(
            &main,
            "explain_route",
            json!({"module": "nodot", "profile": null, "probe": false}),
        )
        .expect("an explanation with an error");
        assert!(
            malformed["error"]
                .as_str()
                .unwrap()
                .contains("malformed module path")
        );

        let report = invoke_with(&main, "run_doctor", json!({"project": null})).expect("doctor");
        for key in ["reference", "contexts", "matrix", "findings", "summary"] {
            assert!(report.get(key).is_some(), "{key}: {report}");
        }
        assert_eq!(
            report["reference"]["GOPROXY"],
            "https://goproxy.test,direct"
        );
        let relative = invoke_with(&main, "run_doctor", json!({"project": "relative/dir"}));
        assert_eq!(relative.unwrap_err()["code"], "not_found");

        let fix = json!({"kind": "set_go_env", "var": "GOSUMDB", "value": "sum.golang.org"});
        let plan = invoke_with(&main, "plan_fix", json!({"fix": fix})).expect("plan_fix");
        assert!(
            plan["files"][0]["diff"]
                .as_str()
                .unwrap()
                .contains("+GOSUMDB=sum.golang.org"),
            "{plan}"
        );
        invoke_with(&main, "apply_fix", json!({"fix": fix})).expect("apply_fix");
        let goenv = home.path().join("config/go/env");
        assert!(
            std::fs::read_to_string(&goenv)
                .unwrap()
                .contains("GOSUMDB=sum.golang.org")
        );
        invoke(&main, "undo").expect("a fix is undone like a switch");
        assert_eq!(
            std::fs::read_to_string(&goenv).unwrap(),
            "GOPROXY=https://goproxy.test,direct\n"
        );
        assert!(
            invoke_with(
                &window(&app, "other"),
                "run_doctor",
                json!({"project": null})
            )
            .is_err()
        );
    }

    /// The ACL's own refusal (debug builds say why): "… not allowed …", and `detail` (e.g.
    /// "Command not found", "Plugin not found") when given — never a command's own error.
    fn refused_by_the_acl(
        cmd: &str,
        outcome: Result<serde_json::Value, serde_json::Value>,
        detail: &str,
    ) {
        let refusal = match outcome {
            Ok(value) => panic!("{cmd} was executed: {value}"),
            Err(refusal) => refusal,
        };
        let message = refusal
            .as_str()
            .unwrap_or_else(|| panic!("{cmd}: refused by the command, not by the ACL: {refusal}"));
        assert!(
            message.contains("not allowed") && message.contains(detail),
            "{cmd}: not the ACL's refusal (want `not allowed` and `{detail}`): {message}"
        );
    }

    #[test]
    fn main_window_is_refused_every_core_api_its_capability_does_not_list() {
        use serde_json::json;
        let home = tempfile::tempdir().unwrap();
        let app = mock_app(hermetic_env(home.path()));
        let main = window(&app, "main");
        // Core plugins that exist (so the refusal is "not allowed", the command being known to
        // the ACL with the permission that would grant it), called with plausible arguments.
        let core = [
            ("plugin:window|close", json!({"label": "main"})),
            ("plugin:window|destroy", json!({"label": "main"})),
            (
                "plugin:window|set_title",
                json!({"label": "main", "value": "pwned"}),
            ),
            (
                "plugin:window|create",
                json!({"options": {"label": "evil", "url": "https://evil.example"}}),
            ),
            (
                "plugin:webview|create_webview_window",
                json!({"options": {"label": "evil", "url": "https://evil.example"}}),
            ),
            (
                "plugin:webview|create_webview",
                json!({"windowLabel": "main", "options": {"label": "evil", "url": "https://evil.example", "x": 0, "y": 0, "width": 1, "height": 1}}),
            ),
            ("plugin:webview|webview_close", json!({"label": "main"})),
            ("plugin:webview|print", json!({"label": "main"})),
            (
                "plugin:event|emit",
                json!({"event": "modroute://switched", "payload": null}),
            ),
            (
                "plugin:event|emit_to",
                json!({"target": {"kind": "Any"}, "event": "modroute://health", "payload": null}),
            ),
            (
                "plugin:path|resolve_directory",
                json!({"directory": 8, "path": ".ssh"}),
            ),
            ("plugin:path|resolve", json!({"paths": ["/etc", "passwd"]})),
            ("plugin:app|version", json!({})),
            ("plugin:app|app_hide", json!({})),
            ("plugin:app|set_app_theme", json!({"theme": "dark"})),
            ("plugin:tray|new", json!({"options": {}})),
            ("plugin:menu|new", json!({"kind": "Menu", "options": {}})),
            (
                "plugin:image|new",
                json!({"rgba": [0, 0, 0, 0], "width": 1, "height": 1}),
            ),
            ("plugin:resources|close", json!({"rid": 0})),
        ];
        for (cmd, args) in core {
            // The ACL knows each command (no typo here) and names the permission it lacks.
            refused_by_the_acl(
                cmd,
                invoke_with(&main, cmd, args),
                "Permissions associated with this command: core:",
            );
        }
        // Commands that exist nowhere: refused by the ACL before any handler is looked up.
        // (Without the app manifest in build.rs, an unknown app command would reach the invoke
        // handler and fail with a bare "Command … not found" instead.)
        for cmd in [
            "read_file",
            "run_shell",
            "get_status_unredacted",
            "plugin:event|nope",
        ] {
            refused_by_the_acl(cmd, invoke(&main, cmd), "Command not found");
        }
        for cmd in [
            "plugin:shell|execute",
            "plugin:fs|read_text_file",
            "plugin:http|fetch",
        ] {
            refused_by_the_acl(cmd, invoke(&main, cmd), "Plugin not found");
        }
        // None of the refused calls did anything: the window is there, with its title.
        let main = app
            .get_webview_window("main")
            .expect("the main window is still open");
        assert_ne!(main.title().unwrap_or_default(), "pwned");
        assert!(
            app.get_webview_window("evil").is_none(),
            "no window was created"
        );
        // The app's own commands still answer.
        invoke(&main, "get_status").expect("get_status is granted");
    }

    #[test]
    fn the_main_window_on_a_remote_page_is_refused_the_app_commands() {
        let home = tempfile::tempdir().unwrap();
        let app = mock_app(hermetic_env(home.path()));
        let main = window(&app, "main");
        // The capability has no `remote` context: a page from anywhere but the app's own assets
        // (a navigation, a redirect) may not call anything.
        for url in [
            "https://evil.example/",
            "http://127.0.0.1:1/",
            "http://localhost:1420/",
        ] {
            for cmd in ["get_status", "list_profiles", "undo", "plugin:event|listen"] {
                let outcome = get_ipc_response(
                    &main,
                    InvokeRequest {
                        cmd: cmd.into(),
                        callback: CallbackFn(0),
                        error: CallbackFn(1),
                        url: url.parse().unwrap(),
                        body: InvokeBody::Json(serde_json::json!({})),
                        headers: Default::default(),
                        invoke_key: INVOKE_KEY.to_string(),
                    },
                )
                .map(|body| body.deserialize::<serde_json::Value>().unwrap());
                refused_by_the_acl(&format!("{cmd} from {url}"), outcome, "");
            }
        }
    }

    #[test]
    fn export_env_gives_real_text_to_copy_and_masked_text_to_show() {
        use serde_json::json;
        let home = tempfile::tempdir().unwrap();
        let env = hermetic_env(home.path());
        std::fs::create_dir_all(home.path().join("config/modroute")).unwrap();
        std::fs::write(
            home.path().join("config/modroute/profiles.toml"),
            "[profiles.acme]\nGOPROXY = \"https://goproxy.cn,direct\"\nHTTPS_PROXY = \"http://u:s3cret@proxy.example:3128\"\n",
        )
        .unwrap();
        let app = mock_app(env);
        let main = window(&app, "main");
        let snippets = invoke_with(&main, "export_env", json!({"id": "acme"})).expect("export_env");
        let by_format = |f: &str| {
            snippets
                .as_array()
                .unwrap()
                .iter()
                .find(|s| s["format"] == f)
                .unwrap_or_else(|| panic!("no {f} in {snippets}"))
                .clone()
        };
        assert_eq!(snippets.as_array().unwrap().len(), 10);
        let sh = by_format("sh");
        assert!(
            sh["text"]
                .as_str()
                .unwrap()
                .contains("export HTTPS_PROXY='http://u:s3cret@proxy.example:3128'")
        );
        assert!(
            sh["masked"]
                .as_str()
                .unwrap()
                .contains("http://u:xxxxx@proxy.example:3128")
        );
        assert!(!sh["masked"].as_str().unwrap().contains("s3cret"));
        let dockerfile = by_format("dockerfile");
        assert!(dockerfile["text"].is_null() && dockerfile["masked"].is_null());
        let refused = dockerfile["refused"].as_str().unwrap();
        assert!(
            refused.contains("HTTPS_PROXY") && !refused.contains("s3cret"),
            "{refused}"
        );
        // Only `text` carries the secret.
        let mut rest = snippets.clone();
        for s in rest.as_array_mut().unwrap() {
            s["text"] = serde_json::Value::Null;
        }
        assert!(!rest.to_string().contains("s3cret"), "{rest}");
        let missing = invoke_with(&main, "export_env", json!({"id": "nope"})).unwrap_err();
        assert_eq!(missing["code"], "not_found");
        let refused = invoke_with(&window(&app, "other"), "export_env", json!({"id": "acme"}));
        assert!(
            refused
                .unwrap_err()
                .as_str()
                .is_some_and(|m| m.contains("not allowed"))
        );
    }

    /// The `commands::<name>` entries of `generate_handler!` in `with_commands` (this file).
    fn registered_commands() -> Vec<String> {
        let source = include_str!("lib.rs");
        let start = source
            .find("generate_handler![")
            .expect("with_commands uses generate_handler!")
            + "generate_handler![".len();
        let end = start + source[start..].find(']').unwrap();
        source[start..end]
            .split(',')
            .map(str::trim)
            .filter(|entry| !entry.is_empty())
            .map(|entry| {
                entry
                    .strip_prefix("commands::")
                    .unwrap_or_else(|| panic!("not a commands:: path: {entry}"))
                    .to_string()
            })
            .collect()
    }

    /// The strings of `COMMANDS` in build.rs (the app manifest: commands that get an
    /// `allow-<name>` permission).
    fn manifest_commands() -> Vec<String> {
        let source = include_str!("../build.rs");
        let start = source
            .find("const COMMANDS: &[&str] = &[")
            .expect("build.rs declares COMMANDS");
        let end = start + source[start..].find("];").unwrap();
        source[start..end]
            .split('"')
            .skip(1)
            .step_by(2)
            .map(str::to_string)
            .collect()
    }

    #[test]
    fn every_registered_command_is_in_the_app_manifest_and_the_capability_and_nothing_else() {
        use std::collections::BTreeSet;
        let registered = registered_commands();
        let manifest = manifest_commands();
        assert!(registered.len() >= 20, "parsed {registered:?}");
        let set = |v: &[String]| v.iter().cloned().collect::<BTreeSet<_>>();
        assert_eq!(
            set(&registered).len(),
            registered.len(),
            "registered twice: {registered:?}"
        );
        assert_eq!(
            set(&manifest).len(),
            manifest.len(),
            "listed twice: {manifest:?}"
        );
        assert_eq!(
            set(&registered),
            set(&manifest),
            "with_commands (lib.rs) and COMMANDS (build.rs) differ: an unlisted command is \
             refused everywhere, a listed one that does not exist is a permission for nothing"
        );

        let capability: serde_json::Value =
            serde_json::from_str(include_str!("../capabilities/main.json")).unwrap();
        assert_eq!(capability["identifier"], "main");
        assert_eq!(
            capability["windows"],
            serde_json::json!(["main"]),
            "{capability}"
        );
        for key in ["remote", "webviews", "platforms"] {
            assert!(
                capability.get(key).is_none(),
                "`{key}` widens the capability: {capability}"
            );
        }
        let permissions: Vec<&str> = capability["permissions"]
            .as_array()
            .expect("permissions is a list of identifiers")
            .iter()
            .map(|p| {
                p.as_str()
                    .unwrap_or_else(|| panic!("a scoped permission: {p}"))
            })
            .collect();
        let granted: BTreeSet<String> = permissions
            .iter()
            .filter(|p| !p.contains(':'))
            .map(|p| {
                p.strip_prefix("allow-")
                    .unwrap_or_else(|| panic!("only allow-<command> app permissions: {p}"))
                    .replace('-', "_")
            })
            .collect();
        assert_eq!(
            granted,
            set(&manifest),
            "capabilities/main.json must grant exactly the commands of build.rs"
        );
        let core: BTreeSet<&str> = permissions
            .iter()
            .copied()
            .filter(|p| p.contains(':'))
            .collect();
        assert_eq!(
            core,
            BTreeSet::from(["core:event:allow-listen", "core:event:allow-unlisten"]),
            "no other core API (no `core:default`, window, path, emit …)"
        );

        // And at run time: the main window reaches every command's handler (an argument error
        // at most, never the ACL's refusal nor "Command … not found"); another window, none.
        let home = tempfile::tempdir().unwrap();
        let app = mock_app(hermetic_env(home.path()));
        let (main, other) = (window(&app, "main"), window(&app, "other"));
        // Every argument any command takes, of a type none accepts: commands with arguments
        // fail to deserialise them and do nothing; the others only read the temporary HOME.
        let wrong: serde_json::Value = [
            "id", "profile", "project", "module", "probe", "onEvent", "minutes", "goproxy",
            "setting", "value", "text", "fix",
        ]
        .iter()
        .map(|k| (k.to_string(), serde_json::json!([[]])))
        .collect::<serde_json::Map<_, _>>()
        .into();
        for cmd in &registered {
            // A plain string is tauri's own answer (arguments, ACL, no such handler); an
            // object is the command's `{code, message}` — it ran.
            if let Err(serde_json::Value::String(error)) = invoke_with(&main, cmd, wrong.clone()) {
                assert!(
                    error.starts_with("invalid args"),
                    "{cmd} is not reachable from the main window: {error}"
                );
            }
            refused_by_the_acl(
                &format!("{cmd} from `other`"),
                invoke_with(&other, cmd, wrong.clone()),
                "not allowed on window \"other\"",
            );
        }
    }
}
