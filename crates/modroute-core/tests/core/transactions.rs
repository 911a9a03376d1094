//! Switching as a transaction, on arbitrary dotfiles: a real plan ([`plan::for_profile`]) for a
//! sandbox HOME whose every target file holds arbitrary bytes (non-UTF-8, NUL, CRLF, no final
//! newline, lines that export Go settings, stray modroute markers) and an arbitrary mode, applied
//! ([`apply::apply`]) once or twice and undone ([`apply::undo`]) to the end. Undo must give back
//! every file byte for byte with its mode, delete what the switch created and nothing else; a
//! plan that cannot be made or applied must leave HOME exactly as it was.

use std::collections::BTreeMap;
use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use modroute_core::apply::{self, ApplyError};
use modroute_core::plan;
use modroute_core::profile::{self, Profile};
use proptest::prelude::*;

use crate::support::Sandbox;

/// Every target a switch can write or edit, relative to the sandbox HOME (`XDG_CONFIG_HOME` is
/// `~/.config`, `ZDOTDIR` is `~/zdot`, `$SHELL` is bash). `true`: a target whenever it exists
/// (so a read-only one must be refused); `false`: edited only for shadowing lines.
const TARGETS: &[(&str, bool)] = &[
    (".config/go/env", true),
    (".bashrc", true),
    (".bash_profile", true),
    (".profile", true),
    ("zdot/.zshenv", true),
    (".tcshrc", true),
    (".config/nushell/config.nu", true),
    (".config/fish/conf.d/modroute.fish", true),
    (".config/environment.d/60-modroute.conf", true),
    (".config/modroute/env.sh", true),
    (".config/modroute/env.fish", true),
    (".config/modroute/gen", true),
    ("zdot/.zshrc", false),
    (".config/fish/config.fish", false),
];

/// Two profiles that differ in every setting; `secret` holds credentials, so the files that get
/// them become private (0600) — and undo must give their old mode back.
const PROFILES: &str = r#"
[profiles.plain]
GOPROXY = "https://proxy.golang.org,direct"
GOSUMDB = "off"
GOFLAGS = "-mod=mod"
GOPRIVATE = "corp.example"
HTTPS_PROXY = "http://127.0.0.1:3128"
NO_PROXY = "localhost,.corp.example"

[profiles.secret]
GOPROXY = "https://alice:s3cret@athens.example|off"
GOTOOLCHAIN = "local"
HTTP_PROXY = "http://bob:hunter2@127.0.0.1:8080"
HTTPS_PROXY = "http://bob:hunter2@127.0.0.1:8081"
SSL_CERT_FILE = "/etc/ssl/x y.pem"
"#;

fn profiles() -> Vec<Profile> {
    let list = profile::parse_user(PROFILES.as_bytes(), Path::new("/p/profiles.toml")).unwrap();
    assert!(list.iter().all(Profile::is_usable));
    list
}

/// One entry of the sandbox, symlinks not followed.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Node {
    File { bytes: Vec<u8>, mode: u32 },
    Link(PathBuf),
}

/// Every file and symlink under HOME but modroute's journal, with bytes and permission bits.
fn snapshot(home: &Path) -> BTreeMap<PathBuf, Node> {
    let state = home.join(".local/state");
    let mut out = BTreeMap::new();
    let mut stack = vec![home.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for item in fs::read_dir(&dir).unwrap() {
            let path = item.unwrap().path();
            if path.starts_with(&state) {
                continue;
            }
            let meta = fs::symlink_metadata(&path).unwrap();
            let rel = path.strip_prefix(home).unwrap().to_path_buf();
            if meta.file_type().is_symlink() {
                out.insert(rel, Node::Link(fs::read_link(&path).unwrap()));
            } else if meta.is_dir() {
                stack.push(path);
            } else {
                let mode = meta.permissions().mode() & 0o7777;
                out.insert(
                    rel,
                    Node::File {
                        bytes: fs::read(&path).unwrap(),
                        mode,
                    },
                );
            }
        }
    }
    out
}

fn differences(a: &BTreeMap<PathBuf, Node>, b: &BTreeMap<PathBuf, Node>) -> Vec<String> {
    let mut keys: Vec<&PathBuf> = a.keys().chain(b.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter(|k| a.get(*k) != b.get(*k))
        .map(|k| {
            let show = |n: Option<&Node>| match n {
                None => "<absent>".to_string(),
                Some(Node::Link(t)) => format!("-> {}", t.display()),
                Some(Node::File { bytes, mode }) => format!(
                    "{mode:o} {:?}",
                    String::from_utf8_lossy(&bytes[..bytes.len().min(200)])
                ),
            };
            format!(
                "{}:\n  was: {}\n  now: {}",
                k.display(),
                show(a.get(k)),
                show(b.get(k))
            )
        })
        .collect()
}

/// Lines dotfiles hold — and some they should not.
fn rc_line() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        4 => proptest::collection::vec(any::<u8>(), 0..24),
        1 => Just(b"#!/bin/sh".to_vec()),
        1 => Just(b"case $- in *i*) ;; *) return;; esac".to_vec()),
        1 => Just(b"alias ll='ls -l' # caf\xe9".to_vec()),
        1 => Just(b"export GOPROXY=https://stale.example".to_vec()),
        1 => Just(b"  export GOFLAGS=\"-mod=vendor\"".to_vec()),
        1 => Just(b"set -gx GOSUMDB off".to_vec()),
        1 => Just(b"setenv GOPRIVATE corp.example".to_vec()),
        1 => Just(b"GOPROXY=https://old.example".to_vec()),
        1 => Just(b"GOSUMDB=sum.golang.org\r".to_vec()),
        1 => Just(b"HTTPS_PROXY=\"http://u:pw@p.example\"".to_vec()),
        1 => Just(b"# >>> conda initialize >>>".to_vec()),
        1 => Just(b"\x00\x00\xff".to_vec()),
        1 => Just(Vec::new()),
    ]
}

/// A stray modroute marker: makes the file's markers broken (or, rarely, a whole old block).
fn marker_line() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        Just(b"# >>> modroute >>>".to_vec()),
        Just(b"# <<< modroute <<<".to_vec()),
        Just(b"# >>> modroute hook >>>".to_vec()),
        Just(b"# <<< modroute hook <<<".to_vec()),
    ]
}

/// A file's bytes: any lines joined by LF or CRLF, with or without a final line break, with a
/// stray marker now and then; or any bytes at all.
fn file_bytes() -> impl Strategy<Value = Vec<u8>> {
    let lines = (
        proptest::collection::vec(rc_line(), 0..10),
        proptest::option::weighted(0.015, (marker_line(), any::<proptest::sample::Index>())),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(mut lines, marker, crlf, terminated)| {
            if let Some((m, at)) = marker {
                let at = at.index(lines.len() + 1);
                lines.insert(at, m);
            }
            let eol: &[u8] = if crlf { b"\r\n" } else { b"\n" };
            let mut out = lines.join(eol);
            if terminated && !lines.is_empty() {
                out.extend_from_slice(eol);
            }
            out
        });
    prop_oneof![4 => lines, 1 => proptest::collection::vec(any::<u8>(), 0..120)]
}

/// Whether the bytes hold a line that is a modroute marker (as `rcblock` matches them).
fn has_marker(bytes: &[u8]) -> bool {
    bytes.split(|&b| b == b'\n').any(|l| {
        let l = String::from_utf8_lossy(l);
        let l = l.trim();
        l.starts_with("# >>> modroute") || l.starts_with("# <<< modroute")
    })
}

/// One target's initial state: absent, or bytes with a mode (0o444 now and then: read-only),
/// reached directly or through a symlink into a dotfiles directory.
#[derive(Clone, Debug)]
struct Seed {
    bytes: Option<Vec<u8>>,
    mode: u32,
    symlinked: bool,
}

fn seed() -> impl Strategy<Value = Seed> {
    (
        proptest::option::weighted(0.75, file_bytes()),
        prop_oneof![
            40 => proptest::sample::select(vec![0o600u32, 0o640, 0o644, 0o664, 0o700, 0o755]),
            1 => Just(0o444u32),
        ],
        proptest::bool::weighted(0.15),
    )
        .prop_map(|(bytes, mode, symlinked)| Seed {
            bytes,
            mode,
            symlinked,
        })
}

fn plant(sb: &Sandbox, rel: &str, seed: &Seed) {
    let Some(bytes) = &seed.bytes else { return };
    let path = sb.home.join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    let real = if seed.symlinked {
        let real = sb.home.join("dotfiles").join(rel.replace('/', "_"));
        fs::create_dir_all(real.parent().unwrap()).unwrap();
        std::os::unix::fs::symlink(&real, &path).unwrap();
        real
    } else {
        path
    };
    fs::write(&real, bytes).unwrap();
    fs::set_permissions(&real, fs::Permissions::from_mode(seed.mode)).unwrap();
}

proptest! {
    // Each case plans, applies and undoes for real, fsyncs included: 60–300 ms a case on a
    // busy disk, so 64 cases stay within ~20 s. About one case in five meets a read-only target
    // or a stray marker (nothing may be written).
    #![proptest_config(ProptestConfig {
        cases: 64,
        max_shrink_iters: 200,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn apply_then_undo_restores_every_file_and_mode_on_arbitrary_dotfiles(
        seeds in proptest::collection::vec(seed(), TARGETS.len()),
        first in 0usize..2,
        twice in any::<bool>(),
    ) {
        let sb = Sandbox::new();
        for ((rel, _), seed) in TARGETS.iter().zip(&seeds) {
            plant(&sb, rel, seed);
        }
        let env = sb.env();
        let start = snapshot(&sb.home);
        let profiles = profiles();
        let order = [&profiles[first], &profiles[1 - first]];
        let switches = if twice { 2 } else { 1 };

        let mut applied = 0;
        for profile in &order[..switches] {
            let before = snapshot(&sb.home);
            let plan = match plan::for_profile(&env, profile) {
                Ok(plan) => plan,
                Err(e) => {
                    // Only broken markers stop a plan here: named with file and line.
                    let msg = e.to_string();
                    prop_assert!(
                        seeds.iter().any(|s| s.bytes.as_deref().is_some_and(has_marker)),
                        "plan failed without a stray marker: {}", msg
                    );
                    prop_assert!(msg.contains(" line ") && msg.contains("markers"), "{}", msg);
                    // The line named is a marker line of the file as it is on disk.
                    let (file, rest) = msg.split_once(": line ").unwrap();
                    let n: usize = rest.split(':').next().unwrap().parse().unwrap();
                    let on_disk = fs::read(file).unwrap();
                    let line = on_disk.split(|&b| b == b'\n').nth(n - 1).unwrap_or_default();
                    prop_assert!(has_marker(line), "{}: line {} is {:?}", file, n, String::from_utf8_lossy(line));
                    prop_assert!(differences(&before, &snapshot(&sb.home)).is_empty());
                    break;
                }
            };
            let read_only = TARGETS.iter().zip(&seeds).any(|((_, always), s)| {
                *always && s.bytes.is_some() && s.mode == 0o444
            });
            if !plan.refusals.is_empty() {
                prop_assert!(
                    seeds.iter().any(|s| s.bytes.is_some() && s.mode == 0o444),
                    "refused without a read-only file: {:?}",
                    plan.refusals.iter().map(|r| &r.reason).collect::<Vec<_>>()
                );
                let err = apply::apply(&env, &plan).unwrap_err();
                prop_assert!(matches!(err, ApplyError::Refused { .. }), "{}", err);
                prop_assert!(err.to_string().contains("read-only"), "{}", err);
                prop_assert!(
                    differences(&before, &snapshot(&sb.home)).is_empty(),
                    "a refused plan wrote: {:?}",
                    differences(&before, &snapshot(&sb.home))
                );
                break;
            }
            prop_assert!(!read_only, "a read-only target was not refused");
            apply::apply(&env, &plan).unwrap();
            applied += 1;
            // What the switch wrote: every changed file, and only those; existing files keep
            // their mode unless the new content holds a credential.
            let after = snapshot(&sb.home);
            for change in &plan.files {
                let rel = change.real_path.strip_prefix(fs::canonicalize(&sb.home).unwrap())
                    .unwrap_or(&change.real_path);
                let now = after.get(rel);
                match (&change.after, now) {
                    (Some(bytes), Some(Node::File { bytes: got, mode })) => {
                        prop_assert_eq!(got, bytes, "{}", rel.display());
                        if change.is_noop() {
                            continue;
                        }
                        let want = if change.private {
                            0o600
                        } else {
                            match before.get(rel) {
                                Some(Node::File { mode, .. }) => *mode,
                                _ => change.new_mode,
                            }
                        };
                        prop_assert_eq!(*mode, want, "{} mode", rel.display());
                    }
                    (None, None) => {}
                    (want, got) => prop_assert!(false, "{}: want {:?}, got {:?}", rel.display(), want, got),
                }
            }
            for (path, node) in &before {
                if !plan.files.iter().any(|c| c.real_path.ends_with(path)) {
                    prop_assert_eq!(after.get(path), Some(node), "{} changed without a plan", path.display());
                }
            }
        }

        // Undo to the end: one step per switch, then nothing.
        for _ in 0..applied {
            apply::undo(&env).unwrap();
        }
        prop_assert!(matches!(apply::undo(&env), Err(ApplyError::NothingToUndo)));
        let end = snapshot(&sb.home);
        let diff = differences(&start, &end);
        prop_assert!(diff.is_empty(), "undo left differences:\n{}", diff.join("\n"));
    }
}
