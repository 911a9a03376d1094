//! The sudo context against Debian's real sudo: an unprivileged test account (`modroute-test`,
//! created by `cargo xtask setup` with passwordless sudo and a `Defaults:modroute-test` line in
//! `/etc/sudoers.d/modroute-test`) runs `sudo -n go env -json` and `sudo -n env -0`, and the
//! context's prediction must agree with what go and sudo print.
//!
//! As root it becomes the test account with `runuser` and reads sudoers as the doctor of an
//! administrator would; as a user with passwordless sudo (a CI runner) it uses `sudo -n -u` and
//! reads a copy of sudoers taken with `sudo -n cat`. Elsewhere it says so on stderr and passes,
//! unless `MODROUTE_REQUIRE_ALL_TOOLS=1`. Nothing is written: `go env` only reads, and root's HOME is
//! covered by `cargo xtask test`'s hermeticity check.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use modroute_core::Env;
use modroute_core::doctor::contexts::{ContextKind, ContextStatus, Seen};
use modroute_core::doctor::sudo;
use modroute_core::setting::{Setting, SettingKind};

const USER: &str = "modroute-test";

fn skip(why: &str) {
    #[allow(clippy::disallowed_methods)] // a switch for the test run itself, not core code
    let required = std::env::var_os("MODROUTE_REQUIRE_ALL_TOOLS").is_some();
    assert!(!required, "the sudo test cannot run: {why}");
    eprintln!("SKIPPED: {why}");
}

/// How this process reaches the test account and the sudoers files.
enum Access {
    /// Root: `runuser` becomes the account, sudoers is readable as it is.
    Root,
    /// A user with passwordless sudo (a CI runner): `sudo -n -u` becomes the account, and the
    /// sudoers files are copied out with `sudo -n cat` (same lines) into `dir`.
    Sudo { dir: tempfile::TempDir },
}

/// The test account and how to reach it; `None` (after saying why) when this machine cannot.
fn test_account() -> Option<(sudo::Account, Access)> {
    let passwd = std::fs::read_to_string("/etc/passwd").ok()?;
    let Some(account) = sudo::account(&passwd, USER) else {
        skip("the test account modroute-test does not exist (cargo xtask setup creates it)");
        return None;
    };
    if which::which("sudo").is_err() {
        skip("sudo is not installed");
        return None;
    }
    let uid = Command::new("id").arg("-u").output().ok()?;
    if String::from_utf8_lossy(&uid.stdout).trim() == "0" {
        if which::which("runuser").is_err() {
            skip("runuser is not installed");
            return None;
        }
        return Some((account, Access::Root));
    }
    let sudo_ok = Command::new("sudo")
        .args(["-n", "true"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !sudo_ok {
        skip("neither root nor allowed to run sudo without a password");
        return None;
    }
    let dir = tempfile::tempdir().unwrap();
    copy_sudoers(dir.path());
    Some((account, Access::Sudo { dir }))
}

/// `/etc/sudoers` and `/etc/sudoers.d/*` copied into `dir` through `sudo -n cat`, the include
/// pointed at the copy (nothing else changes, so every line keeps its number).
fn copy_sudoers(dir: &Path) {
    let cat = |path: &str| {
        let out = Command::new("sudo")
            .args(["-n", "cat", path])
            .output()
            .unwrap();
        assert!(out.status.success(), "sudo cat {path}");
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let included = dir.join("sudoers.d");
    std::fs::create_dir_all(&included).unwrap();
    let main = cat("/etc/sudoers").replace("/etc/sudoers.d", &included.to_string_lossy());
    std::fs::write(dir.join("sudoers"), main).unwrap();
    let list = Command::new("sudo")
        .args(["-n", "ls", "-1", "/etc/sudoers.d"])
        .output()
        .unwrap();
    for name in String::from_utf8_lossy(&list.stdout).lines() {
        std::fs::write(included.join(name), cat(&format!("/etc/sudoers.d/{name}"))).unwrap();
    }
}

impl Access {
    /// Where the prediction reads sudoers.
    fn files(&self) -> sudo::Files {
        match self {
            Access::Root => sudo::Files::default(),
            Access::Sudo { dir } => sudo::Files {
                sudoers: dir.path().join("sudoers"),
                ..sudo::Files::default()
            },
        }
    }

    /// `cmd…` run as the test account with exactly `vars`, from `/`.
    fn as_test_user(&self, vars: &[(&str, String)], cmd: &[&str]) -> std::process::Output {
        let mut c = match self {
            Access::Root => {
                let mut c = Command::new(which::which("runuser").expect("runuser"));
                c.args(["-u", USER, "--"]);
                c
            }
            Access::Sudo { .. } => {
                let mut c = Command::new(which::which("sudo").expect("sudo"));
                c.args(["-n", "-u", USER, "--"]);
                c
            }
        };
        c.arg("env").arg("-i");
        for (k, v) in vars {
            c.arg(format!("{k}={v}"));
        }
        c.args(cmd).current_dir("/");
        c.output().expect("run as the test account")
    }
}

fn go_dir() -> PathBuf {
    let go = which::which("go").expect("go on PATH");
    go.parent().unwrap().to_path_buf()
}

#[test]
fn prediction_agrees_with_go_under_the_real_sudo() {
    let Some((account, access)) = test_account() else {
        return;
    };
    let home = account.home.to_string_lossy().into_owned();
    let vars: Vec<(&str, String)> = vec![
        ("HOME", home.clone()),
        ("USER", USER.into()),
        ("LOGNAME", USER.into()),
        ("PATH", format!("{}:/usr/bin:/bin", go_dir().display())),
        ("LANG", "C.UTF-8".into()),
        // Dropped by env_reset:
        ("GOPROXY", "https://proxy.invalid/go,direct".into()),
        ("HTTPS_PROXY", "http://127.0.0.1:9".into()),
        ("XDG_CONFIG_HOME", format!("{home}/.config-elsewhere")),
        // Kept by `Defaults:modroute-test env_keep += "GOFLAGS GONOSUMDB"`:
        ("GOFLAGS", "-mod=mod".into()),
        // On env_check: kept without a `/`, dropped with one.
        ("GOPRIVATE", "corp.example".into()),
        ("GOINSECURE", "corp.example/legacy".into()),
    ];
    let env = Env::from_vars(vars.iter().map(|(k, v)| (*k, v.clone())));

    let observation = sudo::observe(&env, &access.files());
    assert_eq!(observation.context.kind, ContextKind::Sudo);
    assert_eq!(
        observation.context.status,
        ContextStatus::Ok,
        "{:?}",
        observation.context
    );
    let Seen::Resolved(cells) = &observation.seen else {
        panic!("{observation:?}");
    };
    let predicted = |s: Setting| {
        cells
            .iter()
            .find(|c| c.setting == s)
            .unwrap_or_else(|| panic!("no {s} cell"))
    };

    // What go really uses under sudo.
    let mut args = vec!["sudo", "-n", "go", "env", "-json"];
    args.extend(
        Setting::ALL
            .iter()
            .filter(|s| s.kind() == SettingKind::Go)
            .map(|s| s.name()),
    );
    let out = access.as_test_user(&vars, &args);
    assert!(
        out.status.success(),
        "sudo go env failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let real: BTreeMap<String, String> = serde_json::from_slice(&out.stdout).unwrap();
    for setting in Setting::ALL.iter().filter(|s| s.kind() == SettingKind::Go) {
        assert_eq!(
            predicted(*setting).effective,
            real[setting.name()],
            "{setting}: the prediction and `sudo go env` disagree"
        );
    }

    // The network variables: what sudo really passes on.
    let out = access.as_test_user(&vars, &["sudo", "-n", "env", "-0"]);
    assert!(out.status.success());
    let passed = modroute_core::doctor::contexts::parse_env0(&out.stdout);
    for setting in Setting::ALL
        .iter()
        .filter(|s| s.kind() == SettingKind::Network)
    {
        let real = setting
            .env_names()
            .iter()
            .find_map(|n| passed.get(*n).cloned())
            .unwrap_or_default();
        assert_eq!(predicted(*setting).effective, real, "{setting}");
    }

    // The cases the set-up exercises, so a silently wrong parser cannot pass.
    assert_ne!(
        predicted(Setting::GoProxy).effective,
        "https://proxy.invalid/go,direct"
    );
    assert_eq!(predicted(Setting::GoFlags).effective, "-mod=mod");
    assert!(
        predicted(Setting::GoFlags)
            .file
            .as_deref()
            .is_some_and(|f| f.ends_with("sudoers.d/modroute-test")),
        "the keep line is cited: {:?}",
        predicted(Setting::GoFlags).file
    );
    assert!(predicted(Setting::GoFlags).line.is_some());
    assert_eq!(predicted(Setting::GoPrivate).effective, "corp.example");
    assert_eq!(predicted(Setting::GoInsecure).effective, "");
    assert_eq!(predicted(Setting::HttpsProxy).effective, "");
}

/// The doctor turns the difference into one finding whose fix names the dropped variables.
#[test]
fn the_finding_lists_the_ways_out() {
    let Some((account, access)) = test_account() else {
        return;
    };
    let env = Env::from_vars([
        ("HOME", account.home.to_string_lossy().into_owned()),
        ("USER", USER.into()),
        ("PATH", format!("{}:/usr/bin:/bin", go_dir().display())),
        ("GOPROXY", "https://proxy.invalid/go,direct".into()),
        ("GOFLAGS", "-mod=mod".into()),
    ]);
    let observations = vec![sudo::observe(&env, &access.files())];
    let reference = modroute_core::status::resolutions(&env);
    let findings = sudo::findings(&reference, &observations);
    let f = findings
        .iter()
        .find(|f| f.id == "sudo-drops-settings")
        .unwrap_or_else(|| panic!("{findings:#?}"));
    assert!(f.message.contains("GOPROXY="), "{}", f.message);
    assert!(
        !f.message.contains("GOFLAGS="),
        "GOFLAGS is kept: {}",
        f.message
    );
    let fix = f.fix.as_deref().unwrap();
    assert!(fix.contains("sudo --preserve-env=GOPROXY go"), "{fix}");
    assert!(fix.contains("env_keep += \"GOPROXY\""), "{fix}");
    assert!(
        fix.contains("sudo go env -w GOPROXY=https://proxy.invalid/go,direct"),
        "{fix}"
    );
}

/// Root's go env file and secure_path from a sandbox `/etc` (any user can run this): the
/// prediction reads root's file at root's HOME from passwd, cites it, and notices a
/// secure_path without go.
#[test]
fn roots_go_env_file_and_a_secure_path_without_go() {
    if which::which("sudo").is_err() {
        skip("sudo is not installed");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let root_env = d.join("root/.config/go/env");
    std::fs::create_dir_all(root_env.parent().unwrap()).unwrap();
    std::fs::write(
        &root_env,
        "GOFLAGS=-mod=vendor\nGOPROXY=https://root.example,direct\n",
    )
    .unwrap();
    std::fs::write(
        d.join("sudoers"),
        format!(
            "Defaults env_reset\nDefaults secure_path=\"{}\"\n",
            d.join("sbin").display()
        ),
    )
    .unwrap();
    std::fs::write(
        d.join("passwd"),
        format!(
            "root:x:0:0:root:{}:/bin/sh\nalice:x:1000:1000::{}:/bin/sh\n",
            d.join("root").display(),
            d.join("alice").display()
        ),
    )
    .unwrap();
    std::fs::write(d.join("group"), "alice:x:1000:\n").unwrap();
    let files = sudo::Files {
        sudoers: d.join("sudoers"),
        passwd: d.join("passwd"),
        group: d.join("group"),
    };
    let env = Env::from_vars([
        ("USER", "alice".to_string()),
        ("HOME", d.join("alice").to_string_lossy().into_owned()),
        ("PATH", format!("{}:/usr/bin:/bin", go_dir().display())),
        ("GOPROXY", "https://goproxy.cn,direct".to_string()),
    ]);
    let observation = sudo::observe(&env, &files);
    let Seen::Resolved(cells) = &observation.seen else {
        panic!("{observation:?}");
    };
    let goproxy = cells
        .iter()
        .find(|c| c.setting == Setting::GoProxy)
        .unwrap();
    assert_eq!(goproxy.effective, "https://root.example,direct");
    assert_eq!(goproxy.file.as_deref(), Some(root_env.as_path()));
    assert_eq!(goproxy.line, Some(2));
    let note = observation.context.note.clone().unwrap_or_default();
    assert!(note.contains("`sudo go` fails"), "{note}");
    let reference = modroute_core::status::resolutions(&env);
    let findings = sudo::findings(&reference, std::slice::from_ref(&observation));
    let ids: Vec<&str> = findings.iter().map(|f| f.id.as_str()).collect();
    assert!(ids.contains(&"sudo-go-not-on-secure-path"), "{ids:?}");
    let drops = findings
        .iter()
        .find(|f| f.id == "sudo-drops-settings")
        .unwrap();
    assert!(
        drops.message.contains("GOFLAGS=-mod=vendor"),
        "{}",
        drops.message
    );
}
