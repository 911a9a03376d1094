//! `modroute profiles`, `use` and `undo` end to end, checked with the real `go`.

use crate::harness::World;

fn go_env(w: &World, var: &str) -> String {
    let out = w.go(&["env", var]);
    String::from_utf8_lossy(&out.stdout).trim_end().to_string()
}

fn code(out: &std::process::Output) -> Option<i32> {
    out.status.code()
}

#[test]
fn use_switches_go_and_undo_restores_every_byte() {
    let w = World::new();
    let original: &[u8] =
        b"# my settings \xff\nGOPROXY=https://old.example\nGOFLAGS=-mod=mod\nGOPRIVATE=x.example";
    let path = w.write("home/.config/go/env", original);

    let out = w.modroute(&["use", "domestic", "--yes"]);
    assert_eq!(
        code(&out),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        go_env(&w, "GOPROXY"),
        "https://goproxy.cn,https://mirrors.aliyun.com/goproxy/,direct"
    );
    assert_eq!(go_env(&w, "GOSUMDB"), "sum.golang.org");
    assert_eq!(
        go_env(&w, "GOFLAGS"),
        "",
        "a profile is a complete state: GOFLAGS is removed"
    );
    assert!(
        std::fs::read(&path)
            .unwrap()
            .starts_with(b"# my settings \xff\n"),
        "other lines keep their bytes"
    );

    let profiles = String::from_utf8_lossy(&w.modroute(&["profiles"]).stdout).into_owned();
    assert!(
        profiles
            .lines()
            .any(|l| l.starts_with('*') && l.contains("domestic")),
        "{profiles}"
    );

    assert_eq!(code(&w.modroute(&["use", "official", "--yes"])), Some(0));
    assert_eq!(go_env(&w, "GOPROXY"), "https://proxy.golang.org,direct");
    assert_eq!(code(&w.modroute(&["undo", "--yes"])), Some(0));
    assert_eq!(
        go_env(&w, "GOPROXY"),
        "https://goproxy.cn,https://mirrors.aliyun.com/goproxy/,direct"
    );
    assert_eq!(code(&w.modroute(&["undo", "--yes"])), Some(0));
    assert_eq!(std::fs::read(&path).unwrap(), original);
    assert_eq!(
        code(&w.modroute(&["undo", "--yes"])),
        Some(2),
        "nothing left to undo"
    );
}

#[test]
fn without_a_terminal_and_without_yes_nothing_is_written() {
    let w = World::new();
    let path = w.write("home/.config/go/env", b"GOPROXY=https://old.example\n");
    let out = w.modroute(&["use", "official"]);
    assert_eq!(code(&out), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("pass --yes"));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("+GOPROXY=https://proxy.golang.org,direct")
    );
    let dry = w.modroute(&["use", "official", "--dry-run"]);
    assert_eq!(code(&dry), Some(0));
    assert_eq!(
        std::fs::read(&path).unwrap(),
        b"GOPROXY=https://old.example\n"
    );
    assert!(
        !w.dir
            .path()
            .join("home/.local/state/modroute/journal")
            .exists()
            || w.modroute(&["undo", "--yes"]).status.code() == Some(2)
    );
}

#[test]
fn user_profiles_from_toml_apply_and_bad_ones_are_refused_with_positions() {
    let w = World::new();
    w.write(
        "home/.config/modroute/profiles.toml",
        b"# office\n[profiles.acme]\nlabel = \"ACME\"\nGOPROXY = \"https://athens.acme.example|direct\"\nGOPRIVATE = \"git.acme.example\"\nGONOSUMDB = \"git.acme.example\"\n\n[profiles.broken]\nGOPROXY = \"ftp://x.example\"\n",
    );
    assert_eq!(code(&w.modroute(&["use", "acme", "--yes"])), Some(0));
    assert_eq!(go_env(&w, "GOPROXY"), "https://athens.acme.example|direct");
    assert_eq!(
        go_env(&w, "GONOPROXY"),
        "git.acme.example",
        "derived from GOPRIVATE by go itself"
    );

    let out = w.modroute(&["use", "broken", "--yes"]);
    assert_eq!(code(&out), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("profiles.toml:9:11: GOPROXY: invalid proxy URL scheme (must be https, http, file): ftp://x.example"), "{err}");
    assert_eq!(
        go_env(&w, "GOPROXY"),
        "https://athens.acme.example|direct",
        "nothing written"
    );

    let out = w.modroute(&["use", "corporate", "--yes"]);
    assert_eq!(code(&out), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is a template"));
    assert_eq!(code(&w.modroute(&["use", "nope", "--yes"])), Some(2));
}

#[test]
fn a_broken_profiles_file_is_an_input_error_naming_file_and_line() {
    let w = World::new();
    let goenv = w.write("home/.config/go/env", b"GOPROXY=https://keep.example\n");
    w.write(
        "home/.config/modroute/profiles.toml",
        b"[profiles.a]\nGOPROXY = \"unterminated\n",
    );
    for args in [&["profiles"][..], &["use", "official", "--yes"]] {
        let out = w.modroute(args);
        assert_eq!(code(&out), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("profiles.toml:2:"), "{args:?}: {err}");
    }
    assert_eq!(
        std::fs::read(&goenv).unwrap(),
        b"GOPROXY=https://keep.example\n"
    );
}

#[test]
fn a_read_only_go_env_file_is_refused_with_the_lines_to_add_by_hand() {
    use std::os::unix::fs::PermissionsExt;
    let w = World::new();
    let path = w.write("home/.config/go/env", b"GOPROXY=https://mine.example\n");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o444)).unwrap();
    let out = w.modroute(&["use", "official", "--yes"]);
    assert_eq!(code(&out), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("read-only") && err.contains("GOPROXY=https://proxy.golang.org,direct"),
        "{err}"
    );
    assert_eq!(
        std::fs::read(&path).unwrap(),
        b"GOPROXY=https://mine.example\n"
    );
}

#[test]
fn credentials_never_reach_output_and_backups_are_private() {
    use std::os::unix::fs::PermissionsExt;
    let mut w = World::new();
    w.write(
        "home/.config/modroute/profiles.toml",
        b"[profiles.c]\nGOPROXY = \"https://alice:s3cret@athens.corp.example,direct\"\n",
    );
    w.set("GOPROXY", "https://bob:hunter2@shadow.example");
    for args in [
        &["profiles"][..],
        &["profiles", "--json"],
        &["use", "c", "--dry-run"],
        &["use", "c", "--yes", "--json"],
    ] {
        let out = w.modroute(args);
        let all = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            !all.contains("s3cret") && !all.contains("hunter2"),
            "{args:?} leaked: {all}"
        );
    }
    let journal = w.dir.path().join("home/.local/state/modroute/journal");
    for entry in std::fs::read_dir(&journal).unwrap() {
        for file in std::fs::read_dir(entry.unwrap().path()).unwrap() {
            let mode = file.unwrap().metadata().unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600);
        }
    }
    let goenv = w.dir.path().join("home/.config/go/env");
    assert_eq!(
        std::fs::metadata(&goenv).unwrap().permissions().mode() & 0o777,
        0o600,
        "the go env file now holds a password"
    );
    let out = w.modroute(&["use", "c", "--dry-run"]);
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("GOPROXY is exported in this environment"),
        "the shadowing export is pointed out"
    );
}

/// Every file under `dir` with its bytes, for before/after comparisons of a whole HOME.
fn snapshot(dir: &std::path::Path) -> std::collections::BTreeMap<std::path::PathBuf, Vec<u8>> {
    let mut out = std::collections::BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.insert(path.clone(), std::fs::read(&path).unwrap());
            }
        }
    }
    out
}

#[test]
fn use_reaches_every_shell_and_undo_restores_the_whole_home() {
    let mut w = World::new();
    w.set("SHELL", "/bin/bash");
    w.write("home/.bashrc", b"# Debian's early return for non-interactive shells\ncase $- in *i*) ;; *) return;; esac\nalias ll='ls -l'\n");
    w.write(
        "home/.config/modroute/profiles.toml",
        b"[profiles.office]\nGOPROXY = \"https://athens.corp.example,direct\"\nGOPRIVATE = \"git.corp.example\"\nHTTPS_PROXY = \"http://proxy.corp.example:3128\"\nNO_PROXY = \"localhost,.corp.example\"\n",
    );
    // modroute's journal is its own, and `go env` itself writes telemetry counters: compare the
    // rest of HOME.
    let ignored = |p: &std::path::Path| {
        p.starts_with(w.dir.path().join("home/.local/state/modroute"))
            || p.starts_with(w.dir.path().join("home/.config/go/telemetry"))
    };
    let home = w.dir.path().join("home");
    let before: std::collections::BTreeMap<_, _> = snapshot(&home);

    let out = w.modroute(&["use", "office", "--yes"]);
    assert_eq!(
        code(&out),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for shell in [
        &["bash", "-l", "-c"][..],
        &["bash", "-i", "-c"],
        &["zsh", "-c"],
        &["zsh", "-i", "-c"],
        &["fish", "-c"],
        &["sh", "-l", "-c"],
    ] {
        let script = "printf '%s|%s|%s' \"$HTTPS_PROXY\" \"$https_proxy\" \"$NO_PROXY\"";
        let fish_script = "printf '%s|%s|%s' \"$HTTPS_PROXY\" \"$https_proxy\" \"$NO_PROXY\"";
        let arg = if shell[0] == "fish" {
            fish_script
        } else {
            script
        };
        let out = std::process::Command::new(shell[0])
            .args(&shell[1..])
            .arg(arg)
            .env_clear()
            .envs(w.vars.iter().map(|(k, v)| (k, v)))
            .stdin(std::process::Stdio::null())
            .output()
            .unwrap();
        assert_eq!(
            String::from_utf8_lossy(&out.stdout),
            "http://proxy.corp.example:3128|http://proxy.corp.example:3128|localhost,.corp.example",
            "{shell:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert_eq!(go_env(&w, "GOPRIVATE"), "git.corp.example");

    assert_eq!(code(&w.modroute(&["undo", "--yes"])), Some(0));
    let after: std::collections::BTreeMap<_, _> = snapshot(&home)
        .into_iter()
        .filter(|(p, _)| !ignored(p))
        .collect();
    let before: std::collections::BTreeMap<_, _> =
        before.into_iter().filter(|(p, _)| !ignored(p)).collect();
    let changed: Vec<_> = after
        .keys()
        .chain(before.keys())
        .filter(|p| after.get(*p) != before.get(*p))
        .collect();
    assert!(changed.is_empty(), "undo left differences: {changed:?}");
}

#[test]
fn shadowing_exports_in_rc_files_are_commented_out_with_consent_and_restored_by_undo() {
    let mut w = World::new();
    w.set("SHELL", "/bin/bash");
    let bashrc: &[u8] = b"alias ll='ls -l'\nexport GOPROXY=https://stale.example\r\nexport PATH=$PATH:/opt/go/bin\n";
    let path = w.write("home/.bashrc", bashrc);
    let go_in_bash = |w: &World| {
        let out = std::process::Command::new("bash")
            .args(["-i", "-c", "go env GOPROXY"])
            .env_clear()
            .envs(w.vars.iter().map(|(k, v)| (k, v)))
            .stdin(std::process::Stdio::null())
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    };
    assert_eq!(
        go_in_bash(&w),
        "https://stale.example",
        "the export beats the go env file"
    );

    let dry =
        String::from_utf8_lossy(&w.modroute(&["use", "official", "--dry-run"]).stdout).into_owned();
    assert!(
        dry.contains(".bashrc:2 sets GOPROXY"),
        "the plan names file and line: {dry}"
    );
    assert!(
        dry.contains("+# disabled by modroute"),
        "and shows the change: {dry}"
    );

    let kept = w.modroute(&["use", "official", "--yes", "--keep-shadows"]);
    assert_eq!(code(&kept), Some(0));
    assert_eq!(
        go_in_bash(&w),
        "https://stale.example",
        "--keep-shadows leaves the export"
    );
    assert_eq!(code(&w.modroute(&["undo", "--yes"])), Some(0));

    assert_eq!(code(&w.modroute(&["use", "official", "--yes"])), Some(0));
    assert_eq!(
        go_in_bash(&w),
        "https://proxy.golang.org,direct",
        "every shell now follows the switch"
    );
    let text = std::fs::read(&path).unwrap();
    let disabled = [b"# disabled by modroute (it overrides the go env file): export GOPROXY=https://stale.example\r\n".as_slice()].concat();
    assert!(
        text.windows(disabled.len())
            .any(|w| w == disabled.as_slice()),
        "{}",
        String::from_utf8_lossy(&text)
    );
    assert_eq!(code(&w.modroute(&["undo", "--yes"])), Some(0));
    assert_eq!(
        std::fs::read(&path).unwrap(),
        bashrc,
        "undo restores the line byte for byte"
    );
}

/// Runs `program args…` with exactly the world's environment.
fn run_in(w: &World, program: &str, args: &[&str]) -> std::process::Output {
    std::process::Command::new(program)
        .args(args)
        .env_clear()
        .envs(w.vars.iter().map(|(k, v)| (k, v)))
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("{program}: {e}"))
}

fn office_world() -> World {
    let mut w = World::new();
    w.set("SHELL", "/bin/bash");
    w.write(
        "home/.config/modroute/profiles.toml",
        b"[profiles.office]\nGOPROXY = \"https://athens.corp.example,direct\"\nHTTPS_PROXY = \"http://proxy.corp.example:3128\"\nNO_PROXY = \"localhost,.corp.example\"\n\n[profiles.home]\nGOPROXY = \"https://goproxy.cn,direct\"\n",
    );
    w
}

#[test]
fn the_desktop_session_file_reads_back_through_systemds_own_generator() {
    let generator =
        "/usr/lib/systemd/user-environment-generators/30-systemd-environment-d-generator";
    let w = office_world();
    assert_eq!(code(&w.modroute(&["use", "office", "--yes"])), Some(0));
    let out = run_in(&w, generator, &[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    for line in [
        "HTTPS_PROXY=http://proxy.corp.example:3128",
        "https_proxy=http://proxy.corp.example:3128",
        "NO_PROXY=localhost,.corp.example",
    ] {
        assert!(
            text.lines().any(|l| l == line),
            "{line} missing from the generator's output:\n{text}"
        );
    }
    assert_eq!(code(&w.modroute(&["use", "home", "--yes"])), Some(0));
    let text = String::from_utf8_lossy(&run_in(&w, generator, &[]).stdout).into_owned();
    assert!(
        !text.contains("HTTPS_PROXY") && !text.contains("https_proxy"),
        "a profile without a proxy removes it:\n{text}"
    );
}

#[test]
fn an_open_interactive_shell_follows_a_switch_at_its_next_prompt() {
    let w = office_world();
    assert_eq!(code(&w.modroute(&["use", "home", "--yes"])), Some(0));
    let socket = w.dir.path().join("tmux.sock");
    let socket = socket.to_str().unwrap();
    let tmux = |args: &[&str]| {
        let mut all = vec!["-S", socket];
        all.extend_from_slice(args);
        run_in(&w, "tmux", &all)
    };
    assert!(
        tmux(&[
            "new-session",
            "-d",
            "-x",
            "200",
            "-y",
            "50",
            "bash",
            "--norc",
            "-i"
        ])
        .status
        .success()
    );
    // An interactive bash that reads the real rc files, started before the switch.
    tmux(&["send-keys", "bash -i", "Enter"]);
    let screen = |marker: &str| {
        for _ in 0..100 {
            let text =
                String::from_utf8_lossy(&tmux(&["capture-pane", "-p", "-J"]).stdout).into_owned();
            if text.contains(marker) {
                return text;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        panic!(
            "`{marker}` never appeared:\n{}",
            String::from_utf8_lossy(&tmux(&["capture-pane", "-p"]).stdout)
        );
    };
    tmux(&["send-keys", "echo before=[$HTTPS_PROXY]", "Enter"]);
    screen("before=[]");

    assert_eq!(code(&w.modroute(&["use", "office", "--yes"])), Some(0));
    // The prompt on screen was drawn before the switch; the hook runs at the next one.
    tmux(&["send-keys", "echo still=[$HTTPS_PROXY]", "Enter"]);
    screen("still=[]");
    tmux(&["send-keys", "echo after=[$HTTPS_PROXY]", "Enter"]);
    let text = screen("after=[http");
    assert!(
        text.contains("after=[http://proxy.corp.example:3128]"),
        "{text}"
    );

    assert_eq!(code(&w.modroute(&["undo", "--yes"])), Some(0));
    tmux(&["send-keys", "", "Enter"]);
    tmux(&["send-keys", "echo undone=[$HTTPS_PROXY]", "Enter"]);
    screen("undone=[]");
    tmux(&["kill-server"]);
}
