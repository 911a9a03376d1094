//! `modroute exec` and `modroute env` as a user runs them: the real `go env -json` started
//! through `exec` sees exactly the profile although the go env file says otherwise, exit codes
//! and signals pass through, missing or non-executable commands get env(1)'s codes, and `env`
//! prints what `eval` in a real shell turns back into the profile.

use std::io::{BufRead, BufReader, Write};
use std::os::unix::process::ExitStatusExt;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::harness::World;

const PROFILES: &str = r#"[profiles.acme]
GOPROXY = "https://athens.acme.example|https://goproxy.cn,direct"
GOSUMDB = "sum.golang.org https://sum.acme.example"
GOPRIVATE = "git.acme.example/*,*.corp.example"
GONOSUMDB = "git.acme.example"
GOINSECURE = "legacy.acme.example"
GOTOOLCHAIN = "local"
HTTPS_PROXY = "http://build:s3cr'et@proxy.acme.example:3128"
NO_PROXY = "localhost,.acme.example"
"#;

/// A world whose go env file sets other values for everything, and whose environment holds
/// stale values the profile must remove.
fn world() -> World {
    let mut w = World::new();
    w.write("home/.config/modroute/profiles.toml", PROFILES.as_bytes());
    w.write(
        "home/.config/go/env",
        b"GOPROXY=https://file.example\nGOSUMDB=off\nGOPRIVATE=file.example\nGONOPROXY=file.example\n\
          GONOSUMDB=file.example\nGOINSECURE=file.example\nGOFLAGS=-mod=mod\nGOTOOLCHAIN=local\n",
    );
    w.set("GONOPROXY", "stale.example");
    w.set("HTTP_PROXY", "http://stale:1");
    w.set("http_proxy", "http://stale:2");
    w.set("https_proxy", "http://stale:3");
    w.set("SSL_CERT_FILE", "/stale.pem");
    w
}

#[test]
fn go_run_through_exec_sees_exactly_the_profile() {
    let w = world();
    let keys = [
        "GOPROXY",
        "GOSUMDB",
        "GOPRIVATE",
        "GONOPROXY",
        "GONOSUMDB",
        "GOINSECURE",
        "GOFLAGS",
        "GOTOOLCHAIN",
    ];
    let mut args = vec!["exec", "acme", "--", "go", "env", "-json"];
    args.extend(keys);
    let out = w.modroute(&args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let got: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let want = serde_json::json!({
        "GOPROXY": "https://athens.acme.example|https://goproxy.cn,direct",
        "GOSUMDB": "sum.golang.org https://sum.acme.example",
        "GOPRIVATE": "git.acme.example/*,*.corp.example",
        // Not in the profile and removed from the environment: go derives it from GOPRIVATE,
        // the stale OS value is gone, and the file's value loses to nothing — see GOFLAGS.
        "GONOPROXY": "file.example",
        "GONOSUMDB": "git.acme.example",
        "GOINSECURE": "legacy.acme.example",
        "GOFLAGS": "-mod=mod",
        "GOTOOLCHAIN": "local",
    });
    assert_eq!(got, want);
    // The two settings the profile leaves out and the go env file sets are named on stderr.
    let stderr = String::from_utf8_lossy(&out.stderr);
    for (key, line) in [("GONOPROXY", 4), ("GOFLAGS", 7)] {
        assert!(
            stderr.contains(&format!(
                "note: {key} is not in the profile, so go reads it from"
            )) && stderr.contains(&format!("go/env:{line}")),
            "{stderr}"
        );
    }
    // Without the file, the left-out settings are what the profile implies.
    std::fs::remove_file(w.dir.path().join("home/.config/go/env")).unwrap();
    let out = w.modroute(&args);
    let got: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(got["GONOPROXY"], "git.acme.example/*,*.corp.example");
    assert_eq!(got["GOFLAGS"], "");
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn network_variables_in_both_spellings_and_the_rest_removed() {
    let w = world();
    let out = w.modroute(&["exec", "acme", "--", "env", "-0"]);
    assert!(out.status.success());
    let env: std::collections::BTreeMap<String, String> = out
        .stdout
        .split(|&b| b == 0)
        .filter(|e| !e.is_empty())
        .filter_map(|e| {
            let s = String::from_utf8_lossy(e).into_owned();
            let (k, v) = s.split_once('=')?;
            Some((k.to_owned(), v.to_owned()))
        })
        .collect();
    let proxy = "http://build:s3cr'et@proxy.acme.example:3128";
    assert_eq!(env.get("HTTPS_PROXY").map(String::as_str), Some(proxy));
    assert_eq!(env.get("https_proxy").map(String::as_str), Some(proxy));
    assert_eq!(
        env.get("no_proxy").map(String::as_str),
        Some("localhost,.acme.example")
    );
    for gone in [
        "HTTP_PROXY",
        "http_proxy",
        "SSL_CERT_FILE",
        "GONOPROXY",
        "GOFLAGS",
    ] {
        assert!(!env.contains_key(gone), "{gone} should be removed");
    }
    assert!(
        env.contains_key("HOME") && env.contains_key("PATH"),
        "the rest is inherited"
    );
}

#[test]
fn exit_codes_pass_through() {
    let w = world();
    for code in 0..=255 {
        let script = format!("exit {code}");
        let out = w.modroute(&["exec", "official", "--", "sh", "-c", &script]);
        assert_eq!(out.status.code(), Some(code), "exit {code}");
    }
}

#[test]
fn stdin_and_stdout_are_the_commands() {
    let w = world();
    let mut child = Command::new(env!("CARGO_BIN_EXE_modroute"))
        .args(["exec", "official", "--", "tr", "a-z", "A-Z"])
        .env_clear()
        .envs(w.vars.iter().map(|(k, v)| (k, v)))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(b"hello\n").unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.stdout, b"HELLO\n");
}

/// Starts `modroute exec official -- sh -c <script>` and waits for the script's "ready" line.
fn start_ready(w: &World, script: &str) -> std::process::Child {
    let mut child = Command::new(env!("CARGO_BIN_EXE_modroute"))
        .args(["exec", "official", "--", "sh", "-c", script])
        .env_clear()
        .envs(w.vars.iter().map(|(k, v)| (k, v)))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.as_mut().unwrap())
        .read_line(&mut line)
        .unwrap();
    assert_eq!(line, "ready\n");
    child
}

fn signal(pid: u32, sig: &str) {
    let ok = Command::new("kill")
        .args([&format!("-{sig}"), &pid.to_string()])
        .status()
        .unwrap();
    assert!(ok.success());
}

fn wait(child: &mut std::process::Child) -> std::process::ExitStatus {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if let Some(s) = child.try_wait().unwrap() {
            return s;
        }
        assert!(Instant::now() < deadline, "the command did not end");
        std::thread::sleep(Duration::from_millis(10));
    }
}

#[test]
fn signals_reach_the_command_and_its_status_says_so() {
    let w = world();
    // SIGINT (what Ctrl-C sends): the command's own trap runs, and its exit code comes back.
    let mut child = start_ready(
        &w,
        "trap 'exit 42' INT; echo ready; while :; do sleep 0.05; done",
    );
    signal(child.id(), "INT");
    assert_eq!(wait(&mut child).code(), Some(42));
    // SIGTERM without a trap: the process dies of the signal, and the status says which.
    let mut child = start_ready(&w, "echo ready; exec sleep 30");
    std::thread::sleep(Duration::from_millis(100));
    signal(child.id(), "TERM");
    let status = wait(&mut child);
    assert_eq!(status.signal(), Some(15), "{status:?}");
}

#[test]
fn missing_and_unrunnable_commands_get_env_codes() {
    let w = world();
    let out = w.modroute(&["exec", "official", "--", "no-such-command-here", "x"]);
    assert_eq!(out.status.code(), Some(127));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("cannot run `no-such-command-here`"),
        "{stderr}"
    );
    let file = w.write("work/not-executable", b"#!/bin/sh\necho hi\n");
    let out = w.modroute(&["exec", "official", "--", file.to_str().unwrap()]);
    assert_eq!(
        out.status.code(),
        Some(126),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = w.modroute(&["exec", "nope", "--", "true"]);
    assert_eq!(out.status.code(), Some(125));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown profile `nope`"));
    let out = w.modroute(&["exec", "corporate", "--", "true"]);
    assert_eq!(out.status.code(), Some(125));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot be used"));
}

#[test]
fn env_output_evaluates_back_to_the_profile_with_the_real_password() {
    let w = world();
    let out = w.modroute(&["env", "acme", "--format", "sh"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("s3cr'\\''et"), "real values, quoted: {text}");
    let script =
        format!("{text}\nprintf '%s|%s|%s' \"$HTTPS_PROXY\" \"${{GONOPROXY-unset}}\" \"$GOPROXY\"");
    let out = Command::new("sh")
        .args(["-c", &script])
        .env_clear()
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "http://build:s3cr'et@proxy.acme.example:3128|unset|https://athens.acme.example|https://goproxy.cn,direct"
    );
    // The Dockerfile refuses the password by name; JSON carries it.
    let out = w.modroute(&["env", "acme", "--format", "dockerfile"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("HTTPS_PROXY cannot be written as dockerfile"),
        "{stderr}"
    );
    assert!(!stderr.contains("s3cr"), "{stderr}");
    let out = w.modroute(&["env", "acme", "-f", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        v["https_proxy"],
        "http://build:s3cr'et@proxy.acme.example:3128"
    );
    assert!(v["GOFLAGS"].is_null());
    let out = w.modroute(&["env", "acme", "-f", "yaml"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn env_without_a_profile_exports_what_go_sees() {
    let w = world();
    let out = w.modroute(&["env", "--format", "json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let ours: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let go = w.go(&[
        "env",
        "-json",
        "GOPROXY",
        "GOSUMDB",
        "GOPRIVATE",
        "GOFLAGS",
        "GONOPROXY",
    ]);
    let go: serde_json::Value = serde_json::from_slice(&go.stdout).unwrap();
    for key in ["GOPROXY", "GOSUMDB", "GOPRIVATE", "GOFLAGS", "GONOPROXY"] {
        assert_eq!(ours[key], go[key], "{key}");
    }
    assert_eq!(ours["HTTP_PROXY"], "http://stale:1");
    assert_eq!(
        ours["http_proxy"], "http://stale:1",
        "the upper case wins, as in Go"
    );
    assert_eq!(
        ours["HTTPS_PROXY"], "http://stale:3",
        "the lower case when the upper is unset"
    );
}

#[test]
fn errors_and_notes_never_show_a_password() {
    let mut w = world();
    w.write(
        "home/.config/modroute/profiles.toml",
        b"[profiles.bad]\nGOPROXY = \"ftp://u:hunter2@mirror.example\"\n\n[profiles.lean]\nGOPROXY = \"https://goproxy.cn,direct\"\n",
    );
    w.write(
        "home/.config/go/env",
        b"GOINSECURE=http://u:hunter2@legacy.example\n",
    );
    w.set("GOTOOLCHAIN", "local");
    for args in [
        &["exec", "bad", "--", "true"][..],
        &["env", "bad"],
        &["env", "bad", "--format", "json"],
    ] {
        let out = w.modroute(args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{args:?}");
        assert!(stderr.contains("cannot be used"), "{args:?}: {stderr}");
        assert!(!stderr.contains("hunter2"), "{args:?}: {stderr}");
        assert!(out.stdout.is_empty(), "{args:?}");
    }
    let out = w.modroute(&["exec", "lean", "--", "true"]);
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("GOINSECURE is not in the profile")
            && stderr.contains("u:xxxxx@legacy.example"),
        "{stderr}"
    );
    assert!(!stderr.contains("hunter2"), "{stderr}");
}
