//! Docker's client `config.json` as a switch target: apply → undo byte for byte on adversarial
//! files, a second switch changes nothing, refusals write nothing, symlinks are followed, and
//! the real `docker` client reads what was written — `DOCKER_BUILDKIT=0 docker build` against
//! a stand-in daemon on 127.0.0.1 sends the proxies as build arguments.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;

use modroute_core::docker::{self, client};
use modroute_core::plan::{self, TargetKind};
use modroute_core::profile::Profile;
use modroute_core::{Env, Setting, apply, profile};
use modroute_testkit::docker::FakeDockerd;

use crate::support::Sandbox;

const PW: &str = "Pw-d0cker";

/// A sandbox with the Docker target switched on globally (`targets.toml`).
fn sandbox() -> (Sandbox, Env) {
    let sb = Sandbox::new();
    let env = sb.env().with("GOENV", sb.home.join("goenv").as_os_str());
    modroute_core::targets::save(
        &env,
        &modroute_core::targets::TargetPrefs {
            docker: true,
            ..Default::default()
        },
    )
    .unwrap();
    (sb, env)
}

fn profile_with(values: &[(Setting, &str)], extra: &str) -> Profile {
    let mut text = String::from("[profiles.p]\nGOPROXY = \"https://goproxy.example,direct\"\n");
    for (s, v) in values {
        text.push_str(&format!("{} = \"{v}\"\n", s.name()));
    }
    text.push_str(extra);
    profile::parse_user(text.as_bytes(), Path::new("/profiles.toml"))
        .unwrap()
        .remove(0)
}

fn corp() -> Profile {
    profile_with(
        &[
            (
                Setting::HttpProxy,
                &format!("http://u:{PW}@proxy.corp.example:3128"),
            ),
            (Setting::HttpsProxy, "http://proxy.corp.example:3128"),
            (Setting::NoProxy, "localhost,.corp.example"),
        ],
        "",
    )
}

fn config_path(sb: &Sandbox) -> PathBuf {
    sb.home.join(".docker/config.json")
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

fn docker_change(plan: &plan::Plan) -> Option<&plan::FileChange> {
    plan.files.iter().find(|f| f.target == TargetKind::Docker)
}

/// Files docker reads that modroute must edit without losing a byte.
const ADVERSARIAL: &[&str] = &[
    "{\n\t\"auths\": {\n\t\t\"registry.corp.example\": {\n\t\t\t\"auth\": \"dXNlcjpQdy1kMGNrZXI=\"\n\t\t}\n\t},\n\t\"credsStore\": \"desktop\"\n}",
    "{\r\n    \"auths\": {},\r\n    \"proxies\": {\r\n        \"tcp://build.corp.example:2376\": {\r\n            \"httpProxy\": \"http://other:1\"\r\n        }\r\n    }\r\n}\r\n",
    "{\"auths\":{\"https://index.docker.io/v1/\":{\"auth\":\"c2VjcmV0\"}},\"proxies\":{\"default\":{\"httpProxy\":\"http://old:1\",\"ftpProxy\":\"http://ftp:21\"}},\"currentContext\":\"default\"}",
    "{\n  \"psFormat\": \"table {{.ID}}\\t{{.Names}}\",\n  \"aliases\": { \"builder\": \"buildx\" },\n  \"plugins\": { \"x\": { \"k\": \"ünïcode \\u00e9 \\\"q\\\"\" } },\n  \"proxies\": {\n    \"default\": {\n      \"noProxy\": \"old\"\n    }\n  }\n}\n",
    "  {  }  \n\n",
    "{\"proxies\": null, \"detachKeys\": \"ctrl-e,e\"}\n",
    "",
];

#[test]
fn apply_then_undo_is_byte_identical_and_a_second_switch_changes_nothing() {
    for (i, original) in ADVERSARIAL.iter().enumerate() {
        for old_mode in [0o600, 0o644] {
            let (sb, env) = sandbox();
            let path = config_path(&sb);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, original).unwrap();
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(old_mode)).unwrap();
            let profile = corp();

            let plan = plan::for_profile(&env, &profile).unwrap();
            assert!(plan.refusals.is_empty(), "case {i}: {:?}", plan.refusals);
            let change = docker_change(&plan).expect("the Docker target is planned");
            assert!(!change.is_noop(), "case {i}");
            assert!(change.private, "a proxy password goes in: 0600");
            assert!(!change.diff.contains(PW), "case {i}: {}", change.diff);
            assert!(
                !change.diff.contains("dXNlcjpQdy1kMGNrZXI=") && !change.diff.contains("c2VjcmV0"),
                "registry credentials are masked in the diff: {}",
                change.diff
            );
            apply::apply(&env, &plan).unwrap();
            let written = std::fs::read(&path).unwrap();
            let config = client::read(&written, &path).unwrap();
            let default = config.for_host("unix:///var/run/docker.sock").unwrap();
            let got: Vec<(&str, &str)> = default
                .values
                .iter()
                .map(|v| (v.var, v.value.as_str()))
                .collect();
            let http = format!("http://u:{PW}@proxy.corp.example:3128");
            let mut want = vec![
                ("HTTP_PROXY", http.as_str()),
                ("HTTPS_PROXY", "http://proxy.corp.example:3128"),
                ("NO_PROXY", "localhost,.corp.example"),
            ];
            if original.contains("ftpProxy") {
                want.push(("FTP_PROXY", "http://ftp:21"));
            }
            assert_eq!(
                got,
                want,
                "case {i}:\n{}",
                String::from_utf8_lossy(&written)
            );
            assert_eq!(mode(&path), 0o600, "case {i}: holds a password");
            // Everything outside proxies.default is the same JSON as before.
            if !original.trim().is_empty() {
                let strip = |bytes: &[u8]| {
                    let mut v: serde_json::Value = serde_json::from_slice(bytes).unwrap();
                    if let Some(p) = v.get_mut("proxies").and_then(|p| p.as_object_mut()) {
                        p.remove("default");
                    }
                    if let Some(o) = v.as_object_mut() {
                        o.remove("proxies");
                    }
                    v
                };
                assert_eq!(strip(original.as_bytes()), strip(&written), "case {i}");
            }
            // Again: nothing to do.
            let again = plan::for_profile(&env, &profile).unwrap();
            assert!(docker_change(&again).unwrap().is_noop(), "case {i}");

            apply::undo(&env).unwrap();
            assert_eq!(
                std::fs::read(&path).unwrap(),
                original.as_bytes(),
                "case {i}"
            );
            assert_eq!(mode(&path), old_mode, "case {i}: mode restored");
        }
    }
}

#[test]
fn an_existing_file_keeps_its_mode_without_a_password_and_a_new_one_is_private() {
    let (sb, env) = sandbox();
    let path = config_path(&sb);
    let no_password = profile_with(&[(Setting::HttpsProxy, "http://proxy.example:3128")], "");
    let plan = plan::for_profile(&env, &no_password).unwrap();
    let change = docker_change(&plan).unwrap();
    assert!(change.before.is_none());
    apply::apply(&env, &plan).unwrap();
    assert_eq!(mode(&path), 0o600, "a new config.json is docker's own 0600");
    apply::undo(&env).unwrap();
    assert!(!path.exists(), "undo removes the file it created");

    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, "{\"auths\": {}}\n").unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
    apply::apply(&env, &plan::for_profile(&env, &no_password).unwrap()).unwrap();
    assert_eq!(mode(&path), 0o640, "kept: no password went in");

    // A profile without proxies removes modroute's fields, and the blocks they leave empty.
    let none = profile_with(&[], "");
    apply::apply(&env, &plan::for_profile(&env, &none).unwrap()).unwrap();
    // (The file was reformatted by the first edit, a one-line object gaining a block; `undo`
    // is what restores bytes.)
    let left: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    assert_eq!(left, serde_json::json!({ "auths": {} }));

    // No file and no proxies: nothing is created.
    std::fs::remove_file(&path).unwrap();
    let plan = plan::for_profile(&env, &none).unwrap();
    assert!(docker_change(&plan).unwrap().is_noop());
    assert!(plan.notes.iter().all(|n| n.target != TargetKind::Docker));
}

#[test]
fn the_profile_switch_overrides_the_global_one() {
    let (sb, env) = sandbox();
    let off = profile_with(&[(Setting::HttpsProxy, "http://p:1")], "docker = false\n");
    assert!(docker_change(&plan::for_profile(&env, &off).unwrap()).is_none());
    modroute_core::targets::save(&env, &Default::default()).unwrap();
    let plain = profile_with(&[(Setting::HttpsProxy, "http://p:1")], "");
    assert!(docker_change(&plan::for_profile(&env, &plain).unwrap()).is_none());
    let on = profile_with(&[(Setting::HttpsProxy, "http://p:1")], "docker = true\n");
    let plan = plan::for_profile(&env, &on).unwrap();
    assert_eq!(docker_change(&plan).unwrap().path, config_path(&sb));
    // DOCKER_CONFIG moves the file, as it moves docker's.
    let elsewhere = sb.home.join("dc");
    let env = env.with("DOCKER_CONFIG", elsewhere.as_os_str());
    let plan = plan::for_profile(&env, &on).unwrap();
    assert_eq!(
        docker_change(&plan).unwrap().path,
        elsewhere.join("config.json")
    );

    // A daemon with its own proxies block: docker uses that one, and the plan says so.
    std::fs::create_dir_all(&elsewhere).unwrap();
    std::fs::write(
        elsewhere.join("config.json"),
        "{\"proxies\": {\"tcp://build.example:2376\": {\"httpsProxy\": \"http://x:1\"}}}",
    )
    .unwrap();
    let env = env.with("DOCKER_HOST", "tcp://build.example:2376");
    let plan = plan::for_profile(&env, &on).unwrap();
    assert!(
        plan.warnings.iter().any(|w| w
            .message
            .contains("has proxies for `tcp://build.example:2376`")),
        "{:?}",
        plan.warnings
    );
}

#[test]
fn unreadable_read_only_and_broken_files_are_refused_with_nothing_written() {
    let cases: &[(&[u8], &str)] = &[
        (
            b"{\n  // docker has no comments\n}\n",
            "config.json:2:3: Comments are not allowed",
        ),
        (
            b"\xef\xbb\xbf{}\n",
            "config.json:1:1: the file starts with a byte-order mark",
        ),
        (b"{\"a\": \"\xff\"}", "config.json:1:8: not valid UTF-8"),
        (
            b"{\"proxies\": {\"default\": []}}",
            "config.json:1:25: `proxies.default` is not an object",
        ),
        (
            b"{\"auths\": {},}",
            "config.json:1:13: Trailing commas are not allowed",
        ),
    ];
    for (bytes, want) in cases {
        let (sb, env) = sandbox();
        let path = config_path(&sb);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, bytes).unwrap();
        let plan = plan::for_profile(&env, &corp()).unwrap();
        let refusal = plan
            .refusals
            .iter()
            .find(|r| r.target == TargetKind::Docker)
            .unwrap_or_else(|| panic!("{want}: not refused"));
        assert!(refusal.reason.contains(want), "{}", refusal.reason);
        let manual = refusal.manual.as_deref().unwrap();
        assert!(
            manual.contains("\"httpProxy\": \"http://u:xxxxx@proxy.corp.example:3128\""),
            "{manual}"
        );
        assert!(apply::apply(&env, &plan).is_err());
        assert_eq!(std::fs::read(&path).unwrap(), *bytes, "nothing written");
    }

    let (sb, env) = sandbox();
    let path = config_path(&sb);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, "{}").unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o444)).unwrap();
    let plan = plan::for_profile(&env, &corp()).unwrap();
    let refusal = plan
        .refusals
        .iter()
        .find(|r| r.target == TargetKind::Docker)
        .unwrap();
    assert!(refusal.reason.contains("read-only"), "{}", refusal.reason);
    assert!(!refusal.manual.as_deref().unwrap().contains(PW));
    assert_eq!(std::fs::read(&path).unwrap(), b"{}");
}

#[test]
fn a_symlinked_config_is_written_through_the_link() {
    let (sb, env) = sandbox();
    let dotfiles = sb.home.join("dotfiles");
    std::fs::create_dir_all(&dotfiles).unwrap();
    std::fs::create_dir_all(sb.home.join(".docker")).unwrap();
    std::fs::write(dotfiles.join("docker.json"), "{\"auths\": {}}").unwrap();
    std::os::unix::fs::symlink(dotfiles.join("docker.json"), config_path(&sb)).unwrap();
    apply::apply(&env, &plan::for_profile(&env, &corp()).unwrap()).unwrap();
    assert!(
        std::fs::symlink_metadata(config_path(&sb))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(
        std::fs::read_to_string(dotfiles.join("docker.json"))
            .unwrap()
            .contains("httpsProxy")
    );
    apply::undo(&env).unwrap();
    assert_eq!(
        std::fs::read_to_string(dotfiles.join("docker.json")).unwrap(),
        "{\"auths\": {}}"
    );
}

/// Every `docker` client on this machine: the first on PATH, and Debian's (`docker.io`).
fn docker_clients() -> Vec<PathBuf> {
    let Some(first) = crate::support::tool("docker") else {
        return Vec::new();
    };
    let mut out = vec![first.clone()];
    let debian = PathBuf::from("/usr/bin/docker");
    if debian.exists() && std::fs::canonicalize(&debian).ok() != std::fs::canonicalize(&first).ok()
    {
        out.push(debian);
    }
    out
}

#[test]
fn the_real_docker_client_sends_the_written_proxies_as_build_args() {
    let clients = docker_clients();
    if clients.is_empty() {
        return;
    }
    let (sb, env) = sandbox();
    let path = config_path(&sb);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    // A proxies block for another daemon is kept and, for this daemon, not used.
    std::fs::write(
        &path,
        "{\n\t\"auths\": {},\n\t\"proxies\": {\n\t\t\"tcp://elsewhere.example:2376\": {\"httpProxy\": \"http://wrong:1\"}\n\t}\n}\n",
    )
    .unwrap();
    apply::apply(&env, &plan::for_profile(&env, &corp()).unwrap()).unwrap();

    let context = sb.home.join("ctx");
    std::fs::create_dir_all(&context).unwrap();
    std::fs::write(context.join("Dockerfile"), "FROM scratch\n").unwrap();
    for docker in clients {
        let daemon = FakeDockerd::start();
        let out = Command::new(&docker)
            .args([
                "build",
                "-q",
                "--build-arg",
                "NO_PROXY=from-the-command-line",
                ".",
            ])
            .env_clear()
            .env("HOME", &sb.home)
            .env("PATH", "/usr/local/bin:/usr/bin:/bin")
            .env("DOCKER_CONFIG", path.parent().unwrap())
            .env("DOCKER_HOST", daemon.host())
            .env("DOCKER_BUILDKIT", "0")
            .current_dir(&context)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{}: {stderr}", docker.display());
        assert!(!stderr.contains("Error loading config file"), "{stderr}");
        let args = daemon.last_build_args().unwrap_or_else(|| {
            panic!(
                "{}: no build reached the daemon: {:?}",
                docker.display(),
                daemon.requests()
            )
        });
        let get = |k: &str| args.get(k).cloned().flatten();
        let http = format!("http://u:{PW}@proxy.corp.example:3128");
        assert_eq!(
            get("HTTP_PROXY").as_deref(),
            Some(http.as_str()),
            "{}: {args:?}",
            docker.display()
        );
        assert_eq!(get("http_proxy").as_deref(), Some(http.as_str()));
        assert_eq!(
            get("HTTPS_PROXY").as_deref(),
            Some("http://proxy.corp.example:3128")
        );
        assert_eq!(
            get("https_proxy").as_deref(),
            Some("http://proxy.corp.example:3128")
        );
        // The command line wins over the config, for that spelling only.
        assert_eq!(get("NO_PROXY").as_deref(), Some("from-the-command-line"));
        assert_eq!(get("no_proxy").as_deref(), Some("localhost,.corp.example"));
        // Docker's proxy configuration carries no Go setting.
        assert!(!args.keys().any(|k| k.starts_with("GO")), "{args:?}");
    }

    // A file docker cannot read either: a byte-order mark makes docker warn and ignore it —
    // which is why modroute refuses to edit one.
    std::fs::write(&path, "\u{feff}{}").unwrap();
    let daemon = FakeDockerd::start();
    let out = Command::new(&docker_clients()[0])
        .args(["version"])
        .env_clear()
        .env("HOME", &sb.home)
        .env("DOCKER_CONFIG", path.parent().unwrap())
        .env("DOCKER_HOST", daemon.host())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("config"),
        "docker reports the unreadable config: {stderr}"
    );
    assert!(
        plan::for_profile(&env, &corp())
            .unwrap()
            .refusals
            .iter()
            .any(|r| r.target == TargetKind::Docker)
    );
    let _ = docker::daemon_host(&env);
}

/// The doctor's Docker context: the client's proxies, the daemons' (read under a redirected
/// system root), Go settings Docker never carries, and Dockerfiles without `ARG GOPROXY`.
#[test]
fn the_doctor_sees_what_builds_containers_and_the_daemon_get() {
    use modroute_core::doctor;
    let (sb, env) = sandbox();
    let root = sb.home.join("sysroot");
    let write = |path: PathBuf, text: &str| {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write(
        config_path(&sb),
        "{\n\t\"auths\": {\"r.example\": {\"auth\": \"c2VjcmV0\"}},\n\t\"proxies\": {\n\t\t\"default\": {\n\t\t\t\"httpsProxy\": \"http://old.corp.example:3128\"\n\t\t}\n\t}\n}\n",
    );
    write(
        root.join("etc/systemd/system/docker.service.d/http-proxy.conf"),
        &format!("[Service]\nEnvironment=\"HTTPS_PROXY=http://u:{PW}@daemon.corp.example:3128\"\n"),
    );
    write(
        sb.home
            .join(".config/systemd/user/docker.service.d/proxy.conf"),
        "[Service]\nEnvironment=HTTPS_PROXY=http://proxy.corp.example:3128\n",
    );
    let project = sb.home.join("proj");
    write(
        project.join("Dockerfile"),
        "FROM golang:1.23 AS build\nWORKDIR /src\nCOPY . .\nRUN go mod download\n\nFROM golang:1.23 AS ok\nARG GOPROXY\nRUN go build ./...\n",
    );
    let env = env
        .with("MODROUTE_SYSTEM_ROOT", root.as_os_str())
        .with("HTTPS_PROXY", "http://proxy.corp.example:3128")
        .with("GOPROXY", "https://goproxy.cn,direct")
        .with("GOPRIVATE", "git.corp.example");
    let options = doctor::Options {
        shells: false,
        session: false,
        go_binaries: false,
        processes: false,
        sudo: false,
        git: false,
        ..Default::default()
    };
    let report = doctor::run(&env, Some(&project), &options);
    let ids: Vec<&str> = report.contexts.iter().map(|c| c.id.as_str()).collect();
    for id in ["docker-client", "docker-daemon", "docker-daemon-rootless"] {
        assert!(ids.contains(&id), "{ids:?}");
    }
    let cell = |setting: &str, ctx: &str| report.matrix[setting].get(ctx).cloned();
    let https = cell("HTTPS_PROXY", "docker-client").unwrap();
    assert_eq!(https.value.as_deref(), Some("http://old.corp.example:3128"));
    assert_eq!(https.line, Some(5));
    assert!(https.mismatch);
    let goproxy = cell("GOPROXY", "docker-client").unwrap();
    assert_eq!(goproxy.value, None, "docker carries no GOPROXY");
    assert!(goproxy.mismatch);
    assert!(
        cell("GOPROXY", "docker-daemon").is_none(),
        "the daemon has proxy cells only"
    );
    let daemon = cell("HTTPS_PROXY", "docker-daemon").unwrap();
    assert_eq!(
        daemon.value.as_deref(),
        Some("http://u:xxxxx@daemon.corp.example:3128")
    );
    assert!(daemon.mismatch);
    assert!(
        !cell("HTTPS_PROXY", "docker-daemon-rootless")
            .unwrap()
            .mismatch
    );

    let find = |id: &str| {
        report
            .findings
            .iter()
            .filter(|f| f.id == id)
            .collect::<Vec<_>>()
    };
    let client = find("docker-client-proxy");
    assert_eq!(client.len(), 1, "{:#?}", report.findings);
    assert!(client[0].message.contains("HTTPS_PROXY=http://old.corp.example:3128 (line 5) instead of http://proxy.corp.example:3128"), "{}", client[0].message);
    assert!(
        client[0]
            .fix
            .as_deref()
            .unwrap()
            .contains("switch profiles again"),
        "the target is on"
    );
    let not_carried = find("docker-go-settings-not-carried");
    assert!(
        not_carried[0]
            .message
            .contains("GOPROXY=https://goproxy.cn,direct, GOPRIVATE=git.corp.example"),
        "{}",
        not_carried[0].message
    );
    let daemon = find("docker-daemon-proxy");
    assert_eq!(daemon.len(), 1, "the rootless daemon agrees");
    assert_eq!(daemon[0].line, Some(2));
    assert!(!daemon[0].message.contains(PW));
    let dockerfile = find("dockerfile-without-arg-goproxy");
    assert_eq!(dockerfile.len(), 1, "{dockerfile:#?}");
    assert_eq!(
        dockerfile[0].file.as_deref(),
        Some(project.join("Dockerfile").as_path())
    );
    assert_eq!(dockerfile[0].line, Some(4));
    assert_eq!(dockerfile[0].severity, doctor::Severity::Warning);
    let fix = dockerfile[0].fix.as_deref().unwrap();
    assert!(
        fix.starts_with(
            "add after line 1 (the stage's FROM):\nARG GOPROXY\nARG GOPRIVATE\nthen build with"
        ),
        "{fix}"
    );
    // No secret of config.json or the drop-in in the report.
    let json = serde_json::to_string(&report).unwrap();
    assert!(!json.contains(PW) && !json.contains("c2VjcmV0"));
}

/// Go is the oracle for "go in an image uses its go.env": the real go with no go env file and
/// no Go variables reports the values the Docker column shows.
#[test]
fn go_without_a_go_env_file_uses_the_values_the_docker_column_shows() {
    let Some(go) = crate::support::tool("go") else {
        return;
    };
    let sb = Sandbox::new();
    let out = Command::new(go)
        .args([
            "env",
            "-json",
            "GOPROXY",
            "GOSUMDB",
            "GOPRIVATE",
            "GONOPROXY",
            "GOTOOLCHAIN",
        ])
        .env_clear()
        .env("HOME", &sb.home)
        .env("GOENV", "off")
        .env("HTTPS_PROXY", "http://p:1")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let real: std::collections::BTreeMap<String, String> =
        serde_json::from_slice(&out.stdout).unwrap();
    let predicted = modroute_core::doctor::docker::in_image(&[("HTTPS_PROXY", "http://p:1")]);
    for (name, value) in &real {
        let ours = predicted.iter().find(|r| r.setting.name() == name).unwrap();
        assert_eq!(&ours.value, value, "{name}");
    }
}
