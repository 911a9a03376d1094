//! `modroute doctor`: exit codes, `--json`, `--markdown`, `--project`, in a temporary HOME.

use crate::harness::World;

const BASHRC: &str = "case $- in *i*) ;; *) return;; esac\nexport GOPROXY=https://bashrc.example,direct\nexport HTTPS_PROXY=http://bob:hunter2@proxy.corp.example:3128\n";

fn with_shadow() -> World {
    let mut w = World::new();
    w.set("SHELL", "/bin/bash");
    w.write("home/.bashrc", BASHRC.as_bytes());
    w.write(
        "home/.config/go/env",
        b"GOPROXY=https://goenv.example,direct\n",
    );
    w
}

#[test]
fn a_clean_home_exits_0() {
    let mut w = World::new();
    w.set("SHELL", "/bin/bash");
    let out = w.modroute(&["doctor"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("No problems found."), "{stdout}");
    assert!(stdout.contains("bash (interactive)"), "{stdout}");
    assert!(!stdout.contains('\x1b'), "no colour without a terminal");
}

#[test]
fn a_shadowing_export_exits_1_with_file_line_and_fix() {
    let w = with_shadow();
    let out = w.modroute(&["doctor"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    let bashrc = w.path("home/.bashrc");
    assert!(
        stdout.contains(&format!(
            "bash (interactive) sets GOPROXY=https://bashrc.example,direct ({bashrc} line 2), which beats the go env file"
        )),
        "{stdout}"
    );
    assert!(
        stdout.contains(&format!("fix: comment out line 2 of {bashrc}")),
        "{stdout}"
    );
    assert!(!stdout.contains("hunter2"), "{stdout}");
}

#[test]
fn json_is_the_doctor_report() {
    let w = with_shadow();
    let out = w.modroute(&["doctor", "--json"]);
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["reference"]["GOPROXY"], "https://goenv.example,direct");
    let cell = &json["matrix"]["GOPROXY"]["bash-interactive"];
    assert_eq!(cell["value"], "https://bashrc.example,direct");
    assert_eq!(cell["mismatch"], true);
    assert_eq!(cell["line"], 2);
    assert_eq!(json["matrix"]["GOPROXY"]["bash-login"]["mismatch"], false);
    let finding = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["context"] == "bash-interactive" && f["var"] == "GOPROXY")
        .expect("a finding for the .bashrc line");
    assert_eq!(finding["id"], "shadowed-in-shell");
    assert_eq!(finding["severity"], "warning");
    assert_eq!(finding["fix_action"]["kind"], "comment_out_shadow");
    assert_eq!(finding["fix_action"]["line"], 2);
    assert!(json["summary"]["warnings"].as_u64().unwrap() >= 1);
    assert_eq!(json["project"], serde_json::Value::Null);
    assert!(!String::from_utf8_lossy(&out.stdout).contains("hunter2"));
}

#[test]
fn markdown_is_redacted_for_a_ticket() {
    let w = with_shadow();
    let out = w.modroute(&["doctor", "--markdown"]);
    assert_eq!(out.status.code(), Some(1));
    let md = String::from_utf8(out.stdout).unwrap();
    assert!(md.starts_with("# modroute doctor report\n"), "{md}");
    assert!(
        md.contains("proxy.corp.example:3128"),
        "hosts are kept: {md}"
    );
    assert!(!md.contains("hunter2") && !md.contains("bob"), "{md}");
    assert!(md.contains("| GOPROXY |"), "{md}");
}

#[test]
fn the_project_option_reads_its_ide_files() {
    let w = with_shadow();
    w.write(
        "proj/.vscode/settings.json",
        b"{\n  // tools\n  \"go.toolsEnvVars\": { \"GOFLAGS\": \"-mod=vendor\", },\n}\n",
    );
    let project = w.path("proj");
    let out = w.modroute(&["doctor", "--json", "--project", &project]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        json["project"].as_str(),
        Some(std::fs::canonicalize(&project).unwrap().to_str().unwrap())
    );
    let cell = &json["matrix"]["GOFLAGS"]["vscode-workspace"];
    assert_eq!(cell["value"], "-mod=vendor", "{json:#}");
    assert_eq!(cell["line"], 3);
    // The current directory counts as the project when it has such files.
    w.write("work/.envrc", b"export GOFLAGS=-mod=mod\n");
    let out = w.modroute(&["doctor", "--json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["matrix"]["GOFLAGS"]["direnv"]["value"], "-mod=mod");
}

#[test]
fn usage_errors_exit_2() {
    let w = World::new();
    let out = w.modroute(&["doctor", "--json", "--markdown"]);
    assert_eq!(out.status.code(), Some(2));
    let out = w.modroute(&["doctor", "--project", &w.path("nope")]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("no such directory"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Run from a terminal, interactive shells must not be stopped for touching it (they run in a
/// session of their own, as the IDEs' probes do): `script` gives modroute a pseudo-terminal.
#[test]
fn interactive_shells_do_not_hang_when_run_from_a_terminal() {
    let Ok(script) = which::which("script") else {
        eprintln!("SKIPPED: script (util-linux) is not installed");
        return;
    };
    let mut w = with_shadow();
    w.set("TERM", "xterm");
    let bin = env!("CARGO_BIN_EXE_modroute");
    let started = std::time::Instant::now();
    let out = std::process::Command::new(script)
        .args(["-qec", &format!("{bin} doctor --json"), "/dev/null"])
        .env_clear()
        .envs(w.vars.iter().map(|(k, v)| (k, v)))
        .current_dir(w.path("work"))
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert!(
        started.elapsed() < std::time::Duration::from_secs(8),
        "{:?}",
        started.elapsed()
    );
    let text = String::from_utf8_lossy(&out.stdout).replace("\r\n", "\n");
    let json: serde_json::Value = serde_json::from_str(text.trim_start_matches(|c| c != '{'))
        .unwrap_or_else(|e| panic!("{e}: {text}"));
    for c in json["contexts"].as_array().unwrap() {
        if c["kind"] == "shell" || c["kind"] == "ide_launch" {
            assert_eq!(c["status"], "ok", "{c}");
        }
    }
}
