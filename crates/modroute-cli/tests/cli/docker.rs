//! The Docker target and the doctor's Docker context through the `modroute` binary: a switch
//! previews and writes `config.json` (registry credentials masked), undo restores it, and
//! `doctor --project` shows the Docker rows and the lines a Dockerfile needs. System files are
//! read under `MODROUTE_SYSTEM_ROOT` (a temporary directory), never the real `/etc`.

use crate::harness::World;

const AUTH: &str = "cm9ib3Q6c2VjcmV0LXRva2Vu";

fn world() -> World {
    let mut w = World::new();
    w.set("MODROUTE_SYSTEM_ROOT", "{tmp}/sysroot");
    w.set("LANG", "C.UTF-8");
    w.write(
        "home/.config/modroute/profiles.toml",
        b"[profiles.corp]\nGOPROXY = \"https://goproxy.corp.example,direct\"\nHTTPS_PROXY = \"http://proxy.corp.example:3128\"\ndocker = true\n\n[profiles.home]\nGOPROXY = \"direct\"\n",
    );
    w.write(
        "home/.docker/config.json",
        format!("{{\n\t\"auths\": {{\n\t\t\"r.example\": {{\n\t\t\t\"auth\": \"{AUTH}\"\n\t\t}}\n\t}},\n\t\"credsStore\": \"pass\"\n}}\n").as_bytes(),
    );
    w
}

fn text(out: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[test]
fn a_profile_with_docker_on_switches_config_json_and_undo_restores_it() {
    let w = world();
    let config = w.dir.path().join("home/.docker/config.json");
    let original = std::fs::read(&config).unwrap();
    let out = w.modroute(&["use", "corp", "--dry-run"]);
    let all = text(&out);
    assert!(out.status.success(), "{all}");
    assert!(
        all.contains("+\t\t\t\"httpsProxy\": \"http://proxy.corp.example:3128\""),
        "{all}"
    );
    assert!(!all.contains(AUTH), "{all}");

    let out = w.modroute(&["use", "corp", "--yes"]);
    assert!(out.status.success(), "{}", text(&out));
    let written = std::fs::read_to_string(&config).unwrap();
    assert!(
        written.starts_with("{\n\t\"auths\": {\n\t\t\"r.example\": {\n\t\t\t\"auth\": \""),
        "{written}"
    );
    assert!(
        written.contains("\"credsStore\": \"pass\",\n\t\"proxies\": {"),
        "{written}"
    );

    // `home` has no `docker = true` and targets.toml leaves it off: config.json is not touched.
    let out = w.modroute(&["use", "home", "--dry-run"]);
    assert!(!text(&out).contains("config.json"), "{}", text(&out));

    let out = w.modroute(&["undo", "--yes"]);
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(std::fs::read(&config).unwrap(), original);
}

#[test]
fn a_config_docker_cannot_read_stops_the_switch_with_its_position() {
    let w = world();
    let config = w.write("home/.docker/config.json", b"{\n  \"auths\": {},\n}\n");
    let out = w.modroute(&["use", "corp", "--yes"]);
    let all = text(&out);
    assert!(!out.status.success(), "{all}");
    assert!(
        all.contains("config.json:2:14: Trailing commas are not allowed"),
        "{all}"
    );
    assert_eq!(std::fs::read(&config).unwrap(), b"{\n  \"auths\": {},\n}\n");
}

#[test]
fn doctor_shows_the_docker_rows_and_the_lines_a_dockerfile_needs() {
    let mut w = world();
    w.set("GOPROXY", "https://goproxy.corp.example,direct");
    w.write(
        "sysroot/etc/docker/daemon.json",
        b"{\n  \"proxies\": {\n    \"https-proxy\": \"http://daemon.corp.example:3128\"\n  }\n}\n",
    );
    w.write(
        "proj/build/api.Dockerfile",
        b"FROM golang:1.23 AS build\nCOPY . .\nRUN --mount=type=cache,target=/root/go/pkg/mod go mod download\n",
    );
    let proj = w.path("proj");
    let out = w.modroute(&["doctor", "--project", &proj]);
    let all = text(&out);
    assert_eq!(out.status.code(), Some(1), "{all}");
    assert!(all.contains("docker build / run"), "{all}");
    assert!(all.contains("Docker daemon (image pulls)"), "{all}");
    assert!(
        all.contains("api.Dockerfile line 3 runs `go mod download` in build stage `build`"),
        "{all}"
    );
    assert!(
        all.contains("fix: add after line 1 (the stage's FROM):\n               ARG GOPROXY\n"),
        "{all}"
    );
    assert!(
        all.contains("do not pass GOPROXY=https://goproxy.corp.example,direct"),
        "{all}"
    );
    assert!(!all.contains(AUTH));

    let out = w.modroute(&["doctor", "--project", &proj, "--json"]);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let daemon = &report["matrix"]["HTTPS_PROXY"]["docker-daemon"];
    assert_eq!(daemon["value"], "http://daemon.corp.example:3128");
    assert_eq!(daemon["line"], 3);
    assert!(
        report["matrix"]["GOPROXY"]["docker-client"]["mismatch"]
            .as_bool()
            .unwrap()
    );
    let kinds: Vec<&str> = report["contexts"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["kind"] == "docker")
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["docker-client", "docker-daemon"]);
}
