//! `modroute status --json` must agree with the real `go env -json` in every layered set-up:
//! OS variables vs the go env file vs `$GOROOT/go.env` vs defaults, and every way the go env
//! file can be located or mis-written — for every go of the version matrix ([`every_go`]).

use std::path::Path;

use crate::harness::{World, every_go, go_version, real_goroot};

const GO_VARS: [&str; 10] = [
    "GOPROXY",
    "GOSUMDB",
    "GOPRIVATE",
    "GONOPROXY",
    "GONOSUMDB",
    "GOINSECURE",
    "GOFLAGS",
    "GOTOOLCHAIN",
    "GOAUTH",
    "GOVCS",
];

/// Whether the go of this round reads `var` (GOAUTH exists from Go 1.24; an older `go env`
/// still prints a go env file's GOAUTH line, which that go never uses).
fn go_reads(var: &str) -> bool {
    if var != "GOAUTH" {
        return true;
    }
    let version = go_version();
    let minor = version
        .strip_prefix("go1.")
        .and_then(|rest| rest.split(['.', 'r', 'b']).next())
        .and_then(|m| m.parse::<u32>().ok());
    minor.is_none_or(|m| m >= 24)
}

/// Go's own redaction is not applied by `go env`; modroute masks passwords. Compare like with like.
fn mask(value: &str) -> String {
    modroute_core::redact::redact(value)
}

/// Runs both tools in `world` and asserts every Go setting and the go env file path agree.
fn assert_agrees(name: &str, world: &World) {
    let name = &format!("{} {name}", go_version());
    let mut args = vec!["env", "-json", "GOENV", "GOROOT"];
    args.extend(GO_VARS);
    let out = world.go(&args);
    assert!(
        out.status.success(),
        "[{name}] go env failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let go: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let ours = world.status_json();

    for var in GO_VARS.into_iter().filter(|v| go_reads(v)) {
        let want = mask(go[var].as_str().unwrap());
        let got = ours["vars"][var]["value"].as_str().unwrap();
        assert_eq!(
            got, want,
            "[{name}] {var}: modroute says {got:?} (source {}), go says {want:?}",
            ours["vars"][var]["source"]
        );
    }
    let go_goenv = go["GOENV"].as_str().unwrap();
    let our_goenv = match ours["goenv"].as_str().unwrap() {
        "off" => "",
        path => path,
    };
    assert_eq!(our_goenv, go_goenv, "[{name}] GOENV");
    // Where go.env was read from is GOROOT unless the user file and the OS disagree (then go
    // reads go.env from the file's GOROOT but reports the OS one).
    if !world.vars.iter().any(|(k, _)| k == "GOROOT") || name.contains("goroot env") {
        let go_root = go["GOROOT"].as_str().unwrap();
        let our_root = ours["goroot"]["path"].as_str().unwrap();
        assert_eq!(canon(our_root), canon(go_root), "[{name}] GOROOT");
    }
}

fn canon(p: &str) -> std::path::PathBuf {
    std::fs::canonicalize(p).unwrap_or_else(|_| p.into())
}

fn world_with_file(bytes: &[u8]) -> World {
    let world = World::new();
    world.write("home/.config/go/env", bytes);
    world
}

#[test]
fn defaults_with_no_files() {
    every_go(|| {
        assert_agrees("defaults", &World::new());
    });
}

#[test]
fn os_variable_beats_the_go_env_file() {
    every_go(|| {
        let mut w = world_with_file(b"GOPROXY=https://file.example,direct\nGOSUMDB=off\n");
        w.set("GOPROXY", "https://env.example");
        assert_agrees("env beats file", &w);
        let ours = w.status_json();
        assert_eq!(ours["vars"]["GOPROXY"]["source"], "env");
        assert_eq!(
            ours["vars"]["GOPROXY"]["layers"]["goenv"],
            "https://file.example,direct"
        );
        assert_eq!(ours["vars"]["GOSUMDB"]["source"], "goenv");
    });
}

#[test]
fn empty_os_variables_fall_through() {
    every_go(|| {
        let mut w = world_with_file(b"GOPROXY=https://file.example\n");
        w.set("GOPROXY", "");
        w.set("GOSUMDB", "");
        w.set("GOFLAGS", "");
        assert_agrees("empty env", &w);
        assert_eq!(w.status_json()["vars"]["GOPROXY"]["layers"]["env"], "");
    });
}

#[test]
fn empty_value_in_the_user_file_hides_go_env() {
    every_go(|| {
        let w = world_with_file(b"GOPROXY=\nGOTOOLCHAIN=\n");
        assert_agrees("empty file value", &w);
        assert_eq!(w.status_json()["vars"]["GOPROXY"]["source"], "goenv");
    });
}

#[test]
fn hand_edited_files_are_read_like_cmd_go() {
    every_go(|| {
        let file = b"# comment\nGOPROXY=https://first.example\nGOPROXY=https://second.example|https://third.example\n\
export GOSUMDB=sum.export.example\n  GOFLAGS=-mod=indented\ngoprivate=lower.example\nGOINSECURE = spaced.example\n\
GONOSUMDB=\"quoted.example\"\nGOPRIVATE=crlf.example\r\nGOTOOLCHAIN=local\nZZZ=unknown\nno equals sign\n";
        assert_agrees("hand edited", &world_with_file(file));
    });
}

#[test]
fn a_file_without_final_newline_and_with_equals_in_values() {
    every_go(|| {
        assert_agrees(
            "no final newline",
            &world_with_file(
                b"GOFLAGS=-ldflags=-X=a=b\nGOPRIVATE=*.corp.example,git.x.example/team",
            ),
        );
    });
}

#[test]
fn non_utf8_bytes_in_values() {
    every_go(|| {
        assert_agrees(
            "non-utf8",
            &world_with_file(b"GOPRIVATE=caf\xe9.example\nGOFLAGS=-tags=\xff\n"),
        );
    });
}

#[test]
fn goprivate_drives_gonoproxy_and_gonosumdb() {
    every_go(|| {
        let mut w = world_with_file(b"GOPRIVATE=git.corp.example\nGONOPROXY=\n");
        w.set("GONOSUMDB", "none");
        assert_agrees("goprivate defaults", &w);
        let ours = w.status_json();
        assert_eq!(ours["vars"]["GONOPROXY"]["derived_from"], "GOPRIVATE");
        assert_eq!(ours["vars"]["GONOSUMDB"]["source"], "env");
    });
}

#[test]
fn credentials_are_redacted_but_otherwise_equal() {
    every_go(|| {
        let mut w = world_with_file(b"GOPROXY=https://alice:s3cret@athens.corp.example,direct\n");
        w.set("HTTPS_PROXY", "http://bob:hunter2@proxy.corp.example:3128");
        assert_agrees("credentials", &w);
        let out = w.modroute(&["status", "--json"]);
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            !text.contains("s3cret") && !text.contains("hunter2"),
            "a password leaked: {text}"
        );
        assert!(text.contains("alice:xxxxx@athens.corp.example"));
        let table = String::from_utf8_lossy(&w.modroute(&["status"]).stdout).into_owned();
        assert!(!table.contains("s3cret") && !table.contains("hunter2"));
    });
}

#[test]
fn goenv_pointing_elsewhere() {
    every_go(|| {
        let mut w = world_with_file(b"GOPROXY=https://default-location.example\n");
        w.write("elsewhere/my-go-env", b"GOPROXY=https://explicit.example\n");
        w.set("GOENV", "{tmp}/elsewhere/my-go-env");
        assert_agrees("GOENV path", &w);
        w.set("GOENV", "{tmp}/elsewhere/missing");
        assert_agrees("GOENV missing file", &w);
    });
}

#[test]
fn goenv_off_reads_no_user_file() {
    every_go(|| {
        let mut w = world_with_file(b"GOPROXY=https://ignored.example\n");
        w.set("GOENV", "off");
        assert_agrees("GOENV=off", &w);
        assert_eq!(w.status_json()["goenv"], "off");
    });
}

#[test]
fn xdg_config_home_absolute_relative_and_odd_home() {
    every_go(|| {
        let mut w = world_with_file(b"GOPROXY=https://home-config.example\n");
        w.write("xdg/go/env", b"GOPROXY=https://xdg.example\n");
        w.set("XDG_CONFIG_HOME", "{tmp}/xdg");
        assert_agrees("XDG absolute", &w);
        w.set("XDG_CONFIG_HOME", "relative/xdg");
        assert_agrees("XDG relative", &w);
        w.set("XDG_CONFIG_HOME", "");
        w.set("HOME", "{tmp}//home/./");
        assert_agrees("HOME unclean", &w);
    });
}

/// A GOROOT that is the real one in every way except its go.env: the real tree's entries are
/// symlinked, `go.env` is ours, and `bin/go` is a real copy so that `go` finds this GOROOT from
/// its own location.
fn fake_goroot(w: &World, rel: &str, go_env: &[u8]) -> String {
    let real = real_goroot();
    let root = w.dir.path().join(rel);
    std::fs::create_dir_all(root.join("bin")).unwrap();
    for entry in std::fs::read_dir(&real).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name();
        if name == "go.env" || name == "bin" {
            continue;
        }
        std::os::unix::fs::symlink(entry.path(), root.join(&name)).unwrap();
    }
    std::fs::copy(real.join("bin/go"), root.join("bin/go")).unwrap();
    std::fs::write(root.join("go.env"), go_env).unwrap();
    root.to_string_lossy().into_owned()
}

const OTHER_GO_ENV: &[u8] = b"GOPROXY=https://goroot-mirror.example,direct\nGOSUMDB=sum.golang.google.cn\nGOTOOLCHAIN=local\nGOPRIVATE=from-goroot.example\n";

#[test]
fn a_goroot_whose_go_env_differs_found_via_the_goroot_env() {
    every_go(|| {
        let mut w = World::new();
        let root = fake_goroot(&w, "sdk/go", OTHER_GO_ENV);
        w.set("GOROOT", &root);
        assert_agrees("goroot env", &w);
        assert_eq!(w.status_json()["goroot"]["found_by"], "env");
    });
}

#[test]
fn a_goroot_whose_go_env_differs_found_via_path() {
    every_go(|| {
        let mut w = World::new();
        let root = fake_goroot(&w, "sdk/go", OTHER_GO_ENV);
        w.set("PATH", &format!("{root}/bin:/usr/bin:/bin"));
        assert_agrees("goroot from PATH", &w);
        let ours = w.status_json();
        assert_eq!(ours["goroot"]["found_by"], "path");
        assert_eq!(ours["vars"]["GOPROXY"]["source"], "goroot");
    });
}

#[test]
fn goroot_named_in_the_user_file_selects_go_env() {
    every_go(|| {
        let w = World::new();
        let root = fake_goroot(&w, "sdk/go", OTHER_GO_ENV);
        w.write(
            "home/.config/go/env",
            format!("GOROOT={root}\nGOSUMDB=sum.user.example+abc+def\n").as_bytes(),
        );
        assert_agrees("goroot in user file", &w);
        assert_eq!(w.status_json()["goroot"]["found_by"], "goenv");
    });
}

#[test]
fn user_file_beats_goroot_go_env() {
    every_go(|| {
        let mut w = World::new();
        let root = fake_goroot(&w, "sdk/go", OTHER_GO_ENV);
        w.set("GOROOT", &root);
        w.write(
            "home/.config/go/env",
            b"GOPROXY=https://user.example\nGOPRIVATE=\n",
        );
        assert_agrees("goroot env + user file", &w);
    });
}

#[test]
fn an_unreadable_go_env_file_is_ignored_like_go_does() {
    every_go(|| {
        let w = World::new();
        // A directory where the file should be: unreadable for root too.
        std::fs::create_dir_all(w.dir.path().join("home/.config/go/env")).unwrap();
        assert_agrees("unreadable", &w);
        let ours = w.status_json();
        assert_eq!(ours["goenv_file"]["state"], "unreadable");
        assert!(
            Path::new(ours["goenv_file"]["path"].as_str().unwrap()).ends_with(".config/go/env")
        );
    });
}

#[test]
fn goauth_and_govcs_layers() {
    every_go(|| {
        let mut w = world_with_file(b"GOAUTH=git /srv/creds\nGOVCS=private:git|hg,public:git\n");
        assert_agrees("GOAUTH/GOVCS from the file", &w);
        w.set("GOAUTH", "off");
        w.set("GOVCS", "");
        assert_agrees("GOAUTH from env, empty GOVCS falls through", &w);
        let ours = w.status_json();
        if go_reads("GOAUTH") {
            assert_eq!(ours["vars"]["GOAUTH"]["source"], "env");
        } else {
            // A go without GOAUTH: shown with its layers, but no value is in effect.
            assert_eq!(ours["vars"]["GOAUTH"]["value"], "");
            assert_eq!(ours["vars"]["GOAUTH"]["source"], "default");
        }
        assert_eq!(ours["vars"]["GOVCS"]["source"], "goenv");
    });
}
