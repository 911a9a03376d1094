//! A password in every place a user puts one, and every way modroute shows or stores settings:
//! no output may carry it, and on disk only the files that must hold it do — privately.
//!
//! One world: the password is in the process environment (`HTTPS_PROXY`), in a profile
//! (`GOPROXY` userinfo; a scheme-less `HTTP_PROXY`, which Go reads as `http://`), in the go env
//! file (`GOPROXY`) and in a profile that cannot be used (an `ftp://` GOPROXY). A systemd user
//! manager seems to listen (`$XDG_RUNTIME_DIR/systemd/private` exists, as a plain file), so a
//! switch also plans `systemctl --user set-environment …`; systemctl cannot connect to anything
//! there (the world's environment has no bus address and its runtime dir is temporary), so the
//! step is skipped — after being shown, run and journaled, which is what is checked here.
//!
//! A `~/.netrc` holds the password too, for the go env file's proxy.
//!
//! Every URL is on 127.0.0.1 at a port that refuses connections and no route has `direct` or a
//! checksum DB: `check` fails fast and nothing leaves the machine.

use std::collections::BTreeMap;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use crate::harness::World;

const PW: &str = "Pw-9f3k-secret";

/// A loopback port that was bound and closed again: connecting to it is refused.
fn closed_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

/// Every file under `dir` with its bytes and permission bits.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, (Vec<u8>, u32)> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            let meta = std::fs::symlink_metadata(&path).unwrap();
            if meta.is_dir() {
                stack.push(path);
            } else if meta.is_file() {
                let bytes = std::fs::read(&path).unwrap();
                out.insert(path, (bytes, meta.permissions().mode() & 0o777));
            }
        }
    }
    out
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

/// The world of the module docs.
fn world() -> World {
    let port = closed_port();
    let mut w = World::new();
    w.set("SHELL", "/bin/bash");
    w.set("LANG", "C.UTF-8");
    w.set(
        "HTTPS_PROXY",
        &format!("http://envuser:{PW}@127.0.0.1:{port}"),
    );
    w.set("XDG_RUNTIME_DIR", "{tmp}/run");
    w.write("run/systemd/private", b"");
    w.write(
        "home/.config/go/env",
        format!("GOPROXY=https://frank:{PW}@127.0.0.1:{port}/goenv\nGOSUMDB=off\n").as_bytes(),
    );
    let profiles = w.write(
        "home/.config/modroute/profiles.toml",
        format!(
            "[profiles.corp]\nlabel = \"Corp\"\nprobe_module = \"example.com/m\"\n\
             GOPROXY = \"https://alice:{PW}@127.0.0.1:{port}/corp\"\nGOSUMDB = \"off\"\n\
             HTTP_PROXY = \"carol:{PW}@127.0.0.1:{port}\"\nNO_PROXY = \"localhost\"\n\n\
             [profiles.bad]\nGOPROXY = \"ftp://dave:{PW}@127.0.0.1:{port}/bad\"\n"
        )
        .as_bytes(),
    );
    std::fs::set_permissions(profiles, std::fs::Permissions::from_mode(0o600)).unwrap();
    // The Docker target is on, and docker's config.json already holds a registry credential
    // (its `auth` is base64 of `user:<password>`): neither may show, and the file stays 0600.
    w.write("home/.config/modroute/targets.toml", b"docker = true\n");
    let docker = w.write(
        "home/.docker/config.json",
        format!(
            "{{\n\t\"auths\": {{\n\t\t\"registry.corp.example\": {{\n\t\t\t\"auth\": \"{DOCKER_AUTH}\"\n\t\t}}\n\t}}\n}}\n"
        )
        .as_bytes(),
    );
    std::fs::set_permissions(docker, std::fs::Permissions::from_mode(0o600)).unwrap();
    // A netrc with the password for the go env file's proxy (https, so go — and the check —
    // would send it), readable by others so the doctor has something to say about it.
    let netrc = w.write(
        "home/.netrc",
        format!(
            "machine 127.0.0.1:{port} login netrcuser password {PW}
"
        )
        .as_bytes(),
    );
    std::fs::set_permissions(netrc, std::fs::Permissions::from_mode(0o644)).unwrap();
    w
}

/// base64 of `robot:Pw-9f3k-secret`, as `docker login` stores it.
const DOCKER_AUTH: &str = "cm9ib3Q6UHctOWYzay1zZWNyZXQ=";

/// Runs `modroute args…`, asserts neither stream carries the password, and returns the exit
/// code with both streams.
fn run(w: &World, args: &[&str]) -> (Option<i32>, String) {
    let out = w.modroute(args);
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        !all.contains(PW),
        "`modroute {}` leaked the password:\n{all}",
        args.join(" ")
    );
    assert!(
        !all.contains(DOCKER_AUTH),
        "`modroute {}` leaked docker's registry credential:\n{all}",
        args.join(" ")
    );
    (out.status.code(), all)
}

/// Like [`run`], and the output shows a credential-bearing value, masked (so the absence of
/// the password is not the absence of the value).
fn run_masked(w: &World, args: &[&str], code: i32) -> String {
    let (got, all) = run(w, args);
    assert_eq!(got, Some(code), "`modroute {}`:\n{all}", args.join(" "));
    assert!(
        all.contains(":xxxxx@"),
        "`modroute {}` shows no masked credential:\n{all}",
        args.join(" ")
    );
    all
}

/// The files under HOME that differ from `before` (new or changed bytes or mode), each
/// checked: holding the password only if `may_hold` says so, and then mode 0600.
fn sweep(
    w: &World,
    before: &BTreeMap<PathBuf, (Vec<u8>, u32)>,
    may_hold: &dyn Fn(&Path) -> bool,
) -> Vec<PathBuf> {
    let home = w.dir.path().join("home");
    let mut holding = Vec::new();
    for (path, (bytes, mode)) in snapshot(&home) {
        if before.get(&path) == Some(&(bytes.clone(), mode)) {
            continue;
        }
        let rel = path.strip_prefix(&home).unwrap();
        if !contains(&bytes, PW) {
            continue;
        }
        assert!(
            may_hold(rel),
            "~/{} holds the password and has no reason to:\n{}",
            rel.display(),
            String::from_utf8_lossy(&bytes)
        );
        assert_eq!(
            mode,
            0o600,
            "~/{} holds the password: it must be private",
            rel.display()
        );
        holding.push(rel.to_path_buf());
    }
    holding
}

/// The files a switch to `corp` must write the password into (the values themselves, for the
/// shells, the session and go), and the journal's backup of the old go env file.
fn must_hold(rel: &Path) -> bool {
    let s = rel.to_str().unwrap();
    s == ".config/go/env"
        || s == ".config/environment.d/60-modroute.conf"
        || s.starts_with(".config/modroute/env.")
        || s == ".docker/config.json"
        || (s.starts_with(".local/state/modroute/journal/") && s.ends_with("/before.bin"))
}

#[test]
fn no_output_and_no_log_carries_a_password_and_files_that_must_are_private() {
    let w = world();
    let home = w.dir.path().join("home");
    let profiles = home.join(".config/modroute/profiles.toml");
    let goenv = home.join(".config/go/env");
    let before = snapshot(&home);

    // Read-only views of the active settings and the profiles.
    run_masked(&w, &["status"], 0);
    let status = run_masked(&w, &["status", "--json"], 0);
    assert!(status.contains("frank:xxxxx@127.0.0.1"), "{status}");
    let profiles_text = run_masked(&w, &["profiles"], 0);
    assert!(profiles_text.contains("unusable"), "{profiles_text}");
    run_masked(&w, &["profiles", "--json"], 0);
    run_masked(&w, &["why", "example.com/m"], 0);
    run_masked(&w, &["why", "example.com/m", "--json"], 0);
    run_masked(
        &w,
        &["why", "example.com/m", "--profile", "corp", "--json"],
        0,
    );
    for args in [
        &["check", "--timeout-ms", "500"][..],
        &["check", "--json", "--timeout-ms", "500"],
        &["check", "corp", "--timeout-ms", "500"],
        &["check", "corp", "--json", "--timeout-ms", "500"],
    ] {
        // The route is unhealthy (refused connections): exit 1.
        run_masked(&w, args, 1);
    }

    // A switch: previewed, applied, looked at from every side, undone.
    run_masked(&w, &["use", "corp", "--dry-run"], 0);
    run_masked(&w, &["use", "corp", "--dry-run", "--json"], 0);
    run_masked(&w, &["use", "corp", "--yes", "--json"], 0);
    let holding = sweep(&w, &before, &must_hold);
    for rel in [
        ".config/go/env",
        ".config/environment.d/60-modroute.conf",
        ".config/modroute/env.sh",
        ".config/modroute/env.fish",
        ".config/modroute/env.csh",
        ".config/modroute/env.json",
        ".docker/config.json",
    ] {
        assert!(
            holding.iter().any(|h| h == Path::new(rel)),
            "~/{rel} should hold the switched-to value (else this sweep proves nothing): {holding:?}"
        );
    }
    assert!(
        holding
            .iter()
            .any(|h| h.to_str().unwrap().ends_with("/before.bin")),
        "the journal keeps the old go env file: {holding:?}"
    );
    // The shells now export it, and every context the doctor starts sees it.
    run_masked(&w, &["status"], 0);
    run_masked(&w, &["doctor"], 1);
    run_masked(&w, &["doctor", "--json"], 1);
    run_masked(&w, &["doctor", "--markdown"], 1);
    run_masked(&w, &["check", "--json", "--timeout-ms", "500"], 1);
    let (code, _) = run(&w, &["undo", "--yes", "--json"]);
    assert_eq!(code, Some(0));

    // The same switch in text mode (its `run …` line and the note that systemctl was skipped).
    run_masked(&w, &["use", "corp", "--yes"], 0);
    let (code, _) = run(&w, &["undo", "--yes"]);
    assert_eq!(code, Some(0));

    // Error paths: a profile whose value is refused names the value.
    for args in [
        &["use", "bad", "--dry-run"][..],
        &["use", "bad", "--yes", "--json"],
        &["check", "bad", "--timeout-ms", "500"],
        &["why", "example.com/m", "--profile", "bad"],
    ] {
        let (code, _) = run(&w, args);
        assert_eq!(code, Some(2), "{args:?}");
    }

    // Back where it started: go's file has its bytes and mode again, the profiles were only
    // read; what remains is modroute's own state.
    let after = snapshot(&home);
    assert_eq!(
        after.get(&goenv),
        before.get(&goenv),
        "undo restores the go env file"
    );
    assert_eq!(after.get(&profiles), before.get(&profiles));
    let docker = home.join(".docker/config.json");
    assert_eq!(
        after.get(&docker),
        before.get(&docker),
        "undo restores docker's config.json, bytes and mode"
    );
    let holding = sweep(&w, &before, &must_hold);
    assert!(
        holding
            .iter()
            .all(|h| h.starts_with(".local/state/modroute/journal")),
        "after undo only the journal's backups hold it: {holding:?}"
    );
    // The logs: the check history and every journal manifest, in whatever state.
    let state = home.join(".local/state/modroute");
    let health = std::fs::read(state.join("health.json")).expect("check keeps a history");
    assert!(
        contains(&health, ":xxxxx@"),
        "the history names the endpoints, masked"
    );
    let mut manifests = 0;
    for (path, (bytes, _)) in snapshot(&state) {
        if path.file_name().is_some_and(|n| n == "manifest.json") {
            manifests += 1;
            assert!(
                !contains(&bytes, PW),
                "{} holds the password:\n{}",
                path.display(),
                String::from_utf8_lossy(&bytes)
            );
        }
    }
    assert!(manifests >= 2, "two switches were journaled");
}

#[test]
fn a_broken_profiles_file_is_reported_without_the_password() {
    let w = world();
    // An unterminated string. Today the message is only `file:line:col: what`; were it to quote
    // the line (as toml's own snippet rendering does), the password must still not show.
    w.write(
        "home/.config/modroute/profiles.toml",
        format!("[profiles.x]\nGOPROXY = \"https://alice:{PW}@127.0.0.1:1/x\nGOSUMDB = \"off\"\n")
            .as_bytes(),
    );
    for args in [
        &["profiles"][..],
        &["profiles", "--json"],
        &["use", "x", "--yes"],
        &["use", "x", "--dry-run", "--json"],
        &["check", "x", "--timeout-ms", "500"],
        &["why", "example.com/m", "--profile", "x", "--json"],
    ] {
        let (code, all) = run(&w, args);
        assert_eq!(code, Some(2), "{args:?}: {all}");
        assert!(
            all.contains("profiles.toml:2:"),
            "{args:?} names file and line: {all}"
        );
    }
}
