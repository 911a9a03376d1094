//! Reliability of `use`/`undo` seen from outside: the binary killed with SIGKILL at random
//! moments, several modroute processes racing on one HOME, and hostile dotfiles. Everything is
//! black-box — the CLI's exit codes and messages and the bytes on disk — never the journal's
//! own format.
//!
//! What the journal promises (see `modroute_core::apply`): each file is written by rename, so a
//! reader sees its old or its new bytes, never a mixture; a switch killed half-way leaves some
//! files switched and others not, and a *pending* entry that `undo` reverts like any other; undo
//! is a stack (newest switch first), so walking it back retraces the states the files went
//! through — to the very start unless the bounded journal (`KEEP_ENTRIES`) already dropped the
//! oldest switches.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use modroute_core::apply::KEEP_ENTRIES;

use crate::harness::World;

/// Two user profiles that differ in every setting modroute manages, so a switch between them
/// rewrites every target: the go env file, each shell's env file, the generation counter and
/// environment.d (the rc-file blocks only source those files: they are written once).
const PROFILES: &[u8] = br#"# two profiles that differ everywhere
[profiles.alpha]
GOPROXY = "https://alpha.example/mod,direct"
GOSUMDB = "off"
GOPRIVATE = "alpha.example/private"
GONOPROXY = "noproxy-a.example"
GONOSUMDB = "nosumdb-a.example"
GOINSECURE = "insecure-a.example"
GOFLAGS = "-mod=mod"
GOTOOLCHAIN = "local"
HTTP_PROXY = "http://127.0.0.1:3128"
HTTPS_PROXY = "http://127.0.0.1:3129"
NO_PROXY = "localhost,.alpha.example"
SSL_CERT_FILE = "/etc/ssl/alpha.pem"

[profiles.beta]
GOPROXY = "https://beta.example|https://beta2.example|off"
GOSUMDB = "sum.golang.org"
GOPRIVATE = "beta.example"
GONOPROXY = "noproxy-b.example"
GONOSUMDB = "nosumdb-b.example"
GOINSECURE = "insecure-b.example"
GOFLAGS = "-modcacherw"
GOTOOLCHAIN = "path"
HTTP_PROXY = "http://127.0.0.1:8080"
HTTPS_PROXY = "http://bob:s3cret@127.0.0.1:8081"
NO_PROXY = "127.0.0.1"
SSL_CERT_FILE = "/etc/ssl/beta.pem"
"#;

const GOPROXY_INITIAL: &str = "https://initial.example";
const GOPROXY_A: &str = "https://alpha.example/mod,direct";
const GOPROXY_B: &str = "https://beta.example|https://beta2.example|off";

/// The generation counter open shells poll: it counts switches, so it is checked for shape and
/// monotony instead of against the A/B versions.
const GEN: &str = "home/.config/modroute/gen";

/// One entry of a directory tree, symlinks not followed.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Node {
    File(Vec<u8>),
    Link(PathBuf),
    Dir,
}

/// Paths relative to the world's directory.
type Tree = BTreeMap<PathBuf, Node>;

/// `home/` and `dotfiles/` of a world, symlinks not followed, without what is not the user's:
/// modroute's own journal (its format is private) and what `go` itself writes (telemetry,
/// caches).
fn tree(w: &World) -> Tree {
    let root = w.dir.path();
    let skipped = [
        "home/.local/state/modroute",
        "home/.config/go/telemetry",
        "home/.cache",
    ];
    let mut out = Tree::new();
    let mut stack: Vec<PathBuf> = ["home", "dotfiles"]
        .iter()
        .map(|d| root.join(d))
        .filter(|d| d.exists())
        .collect();
    while let Some(dir) = stack.pop() {
        for item in std::fs::read_dir(&dir).unwrap() {
            let path = item.unwrap().path();
            let rel = path.strip_prefix(root).unwrap().to_path_buf();
            if skipped.iter().any(|s| rel.starts_with(s)) {
                continue;
            }
            // While another modroute runs, its temporary files come and go, and an undo can
            // delete a file it had created: what vanished since `read_dir` is not there.
            let gone = |e: std::io::Error| {
                assert_eq!(e.kind(), std::io::ErrorKind::NotFound, "{}", path.display());
            };
            let node = match std::fs::symlink_metadata(&path) {
                Err(e) => {
                    gone(e);
                    continue;
                }
                Ok(meta) if meta.file_type().is_symlink() => {
                    Node::Link(std::fs::read_link(&path).unwrap())
                }
                Ok(meta) if meta.is_dir() => {
                    stack.push(path.clone());
                    Node::Dir
                }
                Ok(_) => match std::fs::read(&path) {
                    Ok(bytes) => Node::File(bytes),
                    Err(e) => {
                        gone(e);
                        continue;
                    }
                },
            };
            out.insert(rel, node);
        }
    }
    out
}

/// A tree's files and symlinks (an undo restores files; the directories a switch created stay),
/// split from the temporary files an interrupted atomic write leaves (`.modroute-*`).
fn files(tree: &Tree) -> (Tree, Vec<PathBuf>) {
    let mut temps = Vec::new();
    let mut kept = Tree::new();
    for (path, node) in tree {
        if *node == Node::Dir {
            continue;
        }
        let name = path.file_name().unwrap().to_string_lossy();
        if name.starts_with(".modroute-") {
            temps.push(path.clone());
        } else {
            kept.insert(path.clone(), node.clone());
        }
    }
    (kept, temps)
}

/// Files and symlinks without the generation counter.
fn without_gen(tree: &Tree) -> Tree {
    let mut t = files(tree).0;
    t.remove(Path::new(GEN));
    t
}

fn show(node: Option<&Node>) -> String {
    match node {
        None => "<absent>".into(),
        Some(Node::Dir) => "<dir>".into(),
        Some(Node::Link(t)) => format!("<symlink to {}>", t.display()),
        Some(Node::File(b)) => {
            let text = String::from_utf8_lossy(b);
            let cut: String = text.chars().take(300).collect();
            format!("{} bytes: {cut:?}", b.len())
        }
    }
}

/// Which paths differ between two trees.
fn differences(a: &Tree, b: &Tree) -> Vec<PathBuf> {
    a.keys()
        .chain(b.keys())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .filter(|p| a.get(*p) != b.get(*p))
        .cloned()
        .collect()
}

fn text(out: &Output) -> String {
    format!(
        "exit {:?}\nstdout: {}\nstderr: {}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[track_caller]
fn ok(out: Output) -> Output {
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    out
}

/// `modroute <args>` as a child process this test can kill, with the world's exact environment.
fn spawn(w: &World, args: &[&str]) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_modroute"))
        .args(args)
        .env_clear()
        .envs(w.vars.iter().map(|(k, v)| (k, v)))
        .current_dir(w.dir.path().join("work"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn modroute")
}

/// Reproducible randomness (xorshift64).
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// `MODROUTE_TEST_SEED` when set (to replay a failure), else a fresh seed.
fn seed() -> u64 {
    std::env::var("MODROUTE_TEST_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            let nanos = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos() as u64;
            (nanos ^ u64::from(std::process::id()) << 32) | 1
        })
}

/// A world with both profiles and the dotfiles of a real user: Debian's `.bashrc` (early return
/// for non-interactive shells, and a non-UTF-8 byte), a `.profile` without a final newline, a
/// `.zshenv` that is a symlink into a dotfiles repository and has CRLF line endings, and a go env
/// file of their own.
fn lived_in_world() -> World {
    let mut w = World::new();
    w.set("SHELL", "/bin/bash");
    w.write("home/.config/modroute/profiles.toml", PROFILES);
    w.write(
        "home/.config/go/env",
        b"GOPROXY=https://initial.example\nGOFLAGS=-mod=vendor\n",
    );
    w.write(
        "home/.bashrc",
        b"# ~/.bashrc: executed by bash(1) for non-login shells. caf\xe9\n\n# If not running interactively, don't do anything\ncase $- in\n    *i*) ;;\n      *) return;;\nesac\n\nHISTCONTROL=ignoreboth\nalias ll='ls -alF'\n",
    );
    w.write(
        "home/.profile",
        b"# ~/.profile\nif [ -d \"$HOME/bin\" ] ; then\n    PATH=\"$HOME/bin:$PATH\"\nfi",
    );
    w.write(
        "dotfiles/zshenv",
        b"# zshenv from my dotfiles repo\r\nexport EDITOR=vi\r\ntypeset -U path\r\n",
    );
    std::os::unix::fs::symlink("../dotfiles/zshenv", w.dir.path().join("home/.zshenv")).unwrap();
    w
}

/// The world's files in the initial state and with each profile applied, computed by switching
/// for real (and undoing back to the start).
struct Versions {
    initial: Tree,
    a: Tree,
    b: Tree,
}

fn versions(w: &World) -> Versions {
    let initial = files(&tree(w)).0;
    ok(w.modroute(&["use", "alpha", "--yes"]));
    let a = files(&tree(w)).0;
    ok(w.modroute(&["use", "beta", "--yes"]));
    let b = files(&tree(w)).0;
    ok(w.modroute(&["undo", "--yes"]));
    assert_eq!(files(&tree(w)).0, a, "undo of beta returns to alpha");
    ok(w.modroute(&["undo", "--yes"]));
    let back = files(&tree(w)).0;
    assert!(
        differences(&back, &initial).is_empty(),
        "undo returns to the start: {:?}",
        differences(&back, &initial)
    );
    // Every target really changes between the two profiles (else the test proves less).
    for path in [
        "home/.config/go/env",
        "home/.config/modroute/env.sh",
        "home/.config/modroute/env.fish",
        "home/.config/environment.d/60-modroute.conf",
        GEN,
    ] {
        assert_ne!(a.get(Path::new(path)), b.get(Path::new(path)), "{path}");
        assert!(a.contains_key(Path::new(path)), "{path} is a target");
    }
    for path in ["home/.bashrc", "home/.profile", "dotfiles/zshenv"] {
        assert_ne!(
            a.get(Path::new(path)),
            initial.get(Path::new(path)),
            "{path} gets a block"
        );
    }
    Versions { initial, a, b }
}

fn gen_value(tree: &Tree) -> Option<u64> {
    match tree.get(Path::new(GEN)) {
        None => None,
        Some(Node::File(bytes)) => {
            let text = std::str::from_utf8(bytes).unwrap_or_default();
            let n = text.strip_suffix('\n').and_then(|t| t.parse().ok());
            Some(n.unwrap_or_else(|| panic!("{GEN} is not a generation number: {bytes:?}")))
        }
        Some(other) => panic!("{GEN} is {other:?}"),
    }
}

/// The files that are none of their known versions (the generation counter aside).
fn unknown_versions(state: &Tree, v: &Versions) -> Vec<String> {
    let known = [&v.initial, &v.a, &v.b];
    let paths: BTreeSet<&PathBuf> = known
        .iter()
        .flat_map(|t| t.keys())
        .chain(state.keys())
        .collect();
    let mut out = Vec::new();
    for path in paths.into_iter().filter(|p| p.as_path() != Path::new(GEN)) {
        let now = state.get(path);
        if !known.iter().any(|t| t.get(path) == now) {
            out.push(format!(
                "{} is none of its versions\n  now:     {}\n  initial: {}\n  alpha:   {}\n  beta:    {}",
                path.display(),
                show(now),
                show(v.initial.get(path)),
                show(v.a.get(path)),
                show(v.b.get(path)),
            ));
        }
    }
    out
}

/// Every file is, on its own, exactly one of its known versions — never a mixture, never empty
/// or truncated — and no other file appeared.
#[track_caller]
fn assert_each_file_is_a_known_version(state: &Tree, v: &Versions, context: &str) {
    let unknown = unknown_versions(state, v);
    assert!(unknown.is_empty(), "{context}: {}", unknown.join("\n"));
}

/// Which of initial/alpha/beta the state is, all files together (the generation counter aside).
fn consistent_state(state: &Tree, v: &Versions) -> Option<&'static str> {
    let state = without_gen(state);
    [("initial", &v.initial), ("alpha", &v.a), ("beta", &v.b)]
        .into_iter()
        .find(|(_, t)| without_gen(t) == state)
        .map(|(name, _)| name)
}

/// Interrupted atomic writes can leave their temporary file behind (a SIGKILLed process runs no
/// clean-up). Such a file must never be mistaken for a target: it sits next to a target, its
/// name is `.modroute-XXXXXX` with no extension, so neither a shell (which reads fixed names)
/// nor fish's `conf.d/*.fish` nor environment.d's `*.conf` globs ever read it.
#[track_caller]
fn assert_temps_are_inert(temps: &[PathBuf], v: &Versions) {
    let target_dirs: BTreeSet<&Path> = v.a.keys().filter_map(|p| p.parent()).collect();
    for temp in temps {
        let name = temp.file_name().unwrap().to_string_lossy();
        assert!(
            !name.contains('.') || name.rfind('.') == Some(0),
            "{} has an extension a glob could pick up",
            temp.display()
        );
        assert!(
            target_dirs.contains(temp.parent().unwrap()),
            "{} is not next to a target",
            temp.display()
        );
    }
}

#[test]
fn sigkill_at_random_moments_never_leaves_a_file_half_written_and_undo_retraces_every_state() {
    let w = lived_in_world();
    let v = versions(&w);
    let seed = seed();
    println!("crash test seed: {seed} (replay with MODROUTE_TEST_SEED={seed})");
    let mut rng = XorShift(seed);

    // How long an uninterrupted switch takes here (the quickest of two, as the other tests load
    // the machine too), so the kills spread over all of it: start-up and planning, then the
    // transaction. At least 0–15 ms, at most 0–200 ms.
    let mut quickest = Duration::MAX;
    for _ in 0..2 {
        let started = Instant::now();
        ok(w.modroute(&["use", "alpha", "--yes"]));
        quickest = quickest.min(started.elapsed());
        ok(w.modroute(&["undo", "--yes"]));
    }
    let window_us = (quickest.as_micros() as u64 * 3 / 2).clamp(15_000, 200_000);
    println!("one switch takes {quickest:?}; kills land within {window_us} µs of the start");

    let goproxy_values = [GOPROXY_INITIAL, GOPROXY_A, GOPROXY_B];
    // The state after each run (index 0: before the first): undo must retrace these.
    let mut states: Vec<Tree> = vec![files(&tree(&w)).0];
    let (mut killed, mut partial) = (0, 0);
    let mut last_gen = 0;
    let mut temps_so_far: Vec<PathBuf> = Vec::new();
    for round in 0..40 {
        let profile = if round % 2 == 0 { "alpha" } else { "beta" };
        let mut child = spawn(&w, &["use", profile, "--yes"]);
        std::thread::sleep(Duration::from_micros(rng.below(window_us)));
        let _ = child.kill(); // SIGKILL; harmless when it already exited
        let status = child.wait().unwrap();
        if status.code().is_none() {
            killed += 1;
        } else {
            assert_eq!(
                status.code(),
                Some(0),
                "round {round}: use {profile} failed"
            );
        }

        let context = format!("round {round} (use {profile}, seed {seed})");
        let (state, temps) = files(&tree(&w));
        assert_each_file_is_a_known_version(&state, &v, &context);
        assert_temps_are_inert(&temps, &v);
        // Only a kill leaves temporary files; a run that finishes removes its own (and sweeps
        // earlier leftovers in the directories it writes to).
        if status.code().is_some() {
            let new: Vec<_> = temps.iter().filter(|t| !temps_so_far.contains(t)).collect();
            assert!(
                new.is_empty(),
                "{context}: a finished run left temporary files: {new:?}"
            );
        }
        temps_so_far = temps;
        if let Some(generation) = gen_value(&state) {
            assert!(generation >= last_gen, "{context}: generation went back");
            last_gen = generation;
        }
        if consistent_state(&state, &v).is_none() {
            partial += 1;
        }

        let out = w.go(&["env", "GOPROXY"]);
        let goproxy = String::from_utf8_lossy(&out.stdout).trim_end().to_string();
        assert!(
            out.status.success() && goproxy_values.contains(&goproxy.as_str()),
            "{context}: go env GOPROXY: {}",
            text(&out)
        );
        states.push(state);
    }
    println!(
        "40 runs: {killed} killed, {partial} left a half-switched (file-by-file consistent) state, {} temporary file(s) left by the kills",
        temps_so_far.len()
    );

    // Undo walks back the states the files went through, newest first: every undo lands on the
    // state from before some earlier run, and never refuses (nobody edited anything).
    let mut position = states.len() - 1;
    let mut undone = 0;
    loop {
        let out = w.modroute(&["undo", "--yes"]);
        if out.status.code() == Some(2) && stderr(&out).contains("nothing to undo") {
            break;
        }
        assert_eq!(out.status.code(), Some(0), "undo #{undone}: {}", text(&out));
        undone += 1;
        assert!(undone <= states.len() + 2, "undo never runs out");
        let (state, temps) = files(&tree(&w));
        assert_temps_are_inert(&temps, &v);
        position = (0..position)
            .rev()
            .find(|&i| states[i] == state)
            .unwrap_or_else(|| {
                let nearest = &states[position.saturating_sub(1)];
                panic!(
                    "undo #{undone} (seed {seed}) landed on a state no earlier run left; differences to the run before: {:?}",
                    differences(nearest, &state)
                )
            });
    }
    let final_state = files(&tree(&w)).0;
    let at_start = differences(&final_state, &v.initial).is_empty();
    println!(
        "{undone} undo(s) walked back to the state before run {position}{}",
        if at_start { " (the start)" } else { "" }
    );
    // The whole way back, unless the bounded journal dropped the oldest switches; then undo
    // stopped at the state before the oldest switch it kept (checked above), and it kept at
    // least KEEP_ENTRIES.
    assert!(
        at_start || undone >= KEEP_ENTRIES,
        "undo stopped after {undone} step(s) at the state before run {position}, not at the start (seed {seed})"
    );
}

/// Allowed results of a `use` or `undo` racing others on one HOME.
fn classify(out: &Output) -> Result<&'static str, String> {
    let err = stderr(out);
    if err.contains("panicked") {
        return Err(format!("panic: {}", text(out)));
    }
    match out.status.code() {
        Some(0) => Ok("ok"),
        Some(2) if err.contains("changed since the plan was made") => Ok("changed since"),
        Some(2) if err.contains("nothing to undo") => Ok("nothing to undo"),
        Some(2) if err.contains("edited after the switch") => Ok("edited since"),
        _ => Err(text(out)),
    }
}

/// Two processes switching to different profiles in a loop and a third undoing now and then,
/// on one HOME. The lock serialises the transactions and the re-check under it turns a stale
/// plan into "changed since the plan was made", so every call switches every file or none, and
/// undo pops whole switches: the files always end up as one profile's (or the start's), and the
/// journal can be walked back without ever meeting an edit it does not know.
#[test]
fn concurrent_switches_and_undos_serialise_into_whole_switches() {
    let w = lived_in_world();
    let v = versions(&w);
    let failures = Mutex::new(Vec::<String>::new());
    let tally = Mutex::new(BTreeMap::<String, usize>::new());
    let switched = Mutex::new(0usize);
    let undo_mismatch = Mutex::new(0usize);
    let done = AtomicBool::new(false);
    let record = |what: String, out: &Output| match classify(out) {
        Ok(kind) => {
            *tally
                .lock()
                .unwrap()
                .entry(format!("{what}: {kind}"))
                .or_default() += 1
        }
        Err(e) => failures.lock().unwrap().push(format!("{what}: {e}")),
    };
    std::thread::scope(|s| {
        let switchers: Vec<_> = ["alpha", "beta"]
            .into_iter()
            .map(|profile| {
                let (w, v, record, switched, failures) = (&w, &v, &record, &switched, &failures);
                s.spawn(move || {
                    for _ in 0..15 {
                        let out = w.modroute(&["use", profile, "--yes"]);
                        if String::from_utf8_lossy(&out.stdout).contains("switched to") {
                            *switched.lock().unwrap() += 1;
                        }
                        record(format!("use {profile}"), &out);
                        // Per file, always a whole version.
                        let unknown = unknown_versions(&files(&tree(w)).0, v);
                        failures.lock().unwrap().extend(unknown);
                    }
                })
            })
            .collect();
        s.spawn(|| {
            for n in 0..8u64 {
                std::thread::sleep(Duration::from_millis(40 + 13 * n));
                if done.load(Ordering::Relaxed) {
                    break;
                }
                let out = w.modroute(&["undo", "--yes"]);
                // The listing is read before the undo takes the lock: report (do not fail on)
                // an undo that undid another switch than the one it announced.
                let stdout = String::from_utf8_lossy(&out.stdout);
                let announced = stdout
                    .lines()
                    .find_map(|l| l.strip_prefix("Undo the switch to "))
                    .and_then(|l| l.split_whitespace().next());
                let undid = stdout
                    .lines()
                    .find_map(|l| l.strip_prefix("✓ undid the switch to "))
                    .and_then(|l| l.split_whitespace().next());
                if announced.is_some() && undid.is_some() && announced != undid {
                    *undo_mismatch.lock().unwrap() += 1;
                }
                record("undo".into(), &out);
            }
        });
        for t in switchers {
            t.join().unwrap();
        }
        done.store(true, Ordering::Relaxed);
    });
    let failures = failures.into_inner().unwrap();
    println!("outcomes: {:?}", tally.into_inner().unwrap());
    println!(
        "undos that undid another switch than the one they listed: {}",
        undo_mismatch.into_inner().unwrap()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n---\n"));

    // One block of each kind per rc file, whatever the interleaving — or none, when the undos
    // happened to pop every switch of the race and the files are back at the start.
    let state = files(&tree(&w)).0;
    let reference = if consistent_state(&state, &v) == Some("initial") {
        &v.initial
    } else {
        &v.a
    };
    for (path, node) in reference {
        let (Node::File(want), Some(Node::File(now))) = (node, state.get(path)) else {
            continue;
        };
        for marker in [
            "# >>> modroute >>>",
            "# <<< modroute <<<",
            "# >>> modroute hook >>>",
            "# <<< modroute hook <<<",
        ] {
            let count = |b: &[u8]| {
                b.split(|&c| c == b'\n')
                    .filter(|l| l.strip_suffix(b"\r").unwrap_or(l) == marker.as_bytes())
                    .count()
            };
            assert!(count(now) <= 1, "{}: {marker} twice", path.display());
            assert_eq!(count(now), count(want), "{}: {marker}", path.display());
        }
    }
    let profiles = ok(w.modroute(&["profiles"]));
    let listing = String::from_utf8_lossy(&profiles.stdout);
    assert!(
        listing.contains("alpha") && listing.contains("beta"),
        "{listing}"
    );

    // Every call either switched every file or none, and undo reverts whole switches: the files
    // are one profile's, or the start's — never go's settings from one profile and the shells'
    // from the other.
    let settled = consistent_state(&state, &v);
    assert!(
        settled.is_some(),
        "after the race the files mix profiles: differing from alpha: {:?}; from beta: {:?}",
        differences(&without_gen(&state), &without_gen(&v.a)),
        differences(&without_gen(&state), &without_gen(&v.b)),
    );

    // Undo is a stack every switch went through, so walking it back never meets an edit it does
    // not know about: each step succeeds and lands on a whole state, and the walk ends at the
    // start — unless more switches happened than the journal keeps.
    let entries = 2 + switched.into_inner().unwrap();
    let mut undone = 0;
    loop {
        let out = w.modroute(&["undo", "--yes"]);
        if out.status.code() == Some(2) && stderr(&out).contains("nothing to undo") {
            break;
        }
        assert_eq!(out.status.code(), Some(0), "undo #{undone}: {}", text(&out));
        undone += 1;
        assert!(undone <= entries, "undo never runs out");
        let state = files(&tree(&w)).0;
        assert!(
            consistent_state(&state, &v).is_some(),
            "undo #{undone} left a mixture: differing from alpha: {:?}",
            differences(&without_gen(&state), &without_gen(&v.a))
        );
    }
    let state = files(&tree(&w)).0;
    if entries <= KEEP_ENTRIES {
        assert!(
            differences(&state, &v.initial).is_empty(),
            "{entries} switches all kept: undo returns to the start; differences: {:?}",
            differences(&state, &v.initial)
        );
    }
    println!(
        "{entries} switch(es) journaled, {undone} undone at the end, ending at {:?}",
        consistent_state(&state, &v)
    );
}

/// The bytes of `file` with the lines of each modroute block (markers included) cut out. A block
/// appended to a file without a final newline brings that newline and leaves its own last line
/// unterminated (see `rcblock`): that newline goes too.
fn outside_blocks(file: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut inside = false;
    for line in file.split_inclusive(|&c| c == b'\n') {
        let bare = line.strip_suffix(b"\n").unwrap_or(line);
        let bare = bare.strip_suffix(b"\r").unwrap_or(bare);
        let is = |m: &str| bare == m.as_bytes();
        if is("# >>> modroute >>>") || is("# >>> modroute hook >>>") {
            inside = true;
        } else if is("# <<< modroute <<<") || is("# <<< modroute hook <<<") {
            inside = false;
            if !line.ends_with(b"\n") {
                assert_eq!(
                    out.pop(),
                    Some(b'\n'),
                    "an appended block brings its newline"
                );
            }
        } else if !inside {
            out.extend_from_slice(line);
        }
    }
    out
}

/// A whole HOME (and the dotfiles repo), directories included: "nothing written" means this is
/// unchanged. `go` may write its telemetry counters; nothing else may change.
fn everything(w: &World) -> Tree {
    let mut t = tree(w);
    let journal = w.dir.path().join("home/.local/state/modroute");
    if journal.exists() {
        t.insert("home/.local/state/modroute".into(), Node::Dir);
    }
    t
}

#[test]
fn broken_markers_are_refused_naming_file_and_line_and_nothing_is_written() {
    let w = lived_in_world();
    let bashrc =
        b"# ~/.bashrc\n\n# >>> modroute >>>\n. ~/.config/modroute/env.sh\nalias ll='ls -l'\n";
    w.write("home/.bashrc", bashrc);
    let before = everything(&w);
    let out = w.modroute(&["use", "alpha", "--yes"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    let err = stderr(&out);
    assert!(
        err.contains(".bashrc") && err.contains("line 3") && err.contains("never closed"),
        "{err}"
    );
    assert!(!err.contains("panicked"), "{err}");
    let after = everything(&w);
    assert!(
        differences(&before, &after).is_empty(),
        "written: {:?}",
        differences(&before, &after)
    );
    assert!(!w.dir.path().join("home/.local/state/modroute").exists());

    // A second block is refused the same way.
    w.write(
        "home/.bashrc",
        b"# >>> modroute >>>\n# <<< modroute <<<\necho hi\n# >>> modroute >>>\n# <<< modroute <<<\n",
    );
    let before = everything(&w);
    let out = w.modroute(&["use", "alpha", "--yes"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(
        stderr(&out).contains(".bashrc") && stderr(&out).contains("line 4"),
        "{}",
        stderr(&out)
    );
    assert!(differences(&before, &everything(&w)).is_empty());
}

#[test]
fn a_read_only_profile_is_refused_with_the_lines_to_add_and_nothing_is_written() {
    use std::os::unix::fs::PermissionsExt;
    let w = lived_in_world();
    let profile = w.dir.path().join("home/.profile");
    std::fs::set_permissions(&profile, std::fs::Permissions::from_mode(0o444)).unwrap();
    let before = everything(&w);
    let out = w.modroute(&["use", "beta", "--yes"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    let err = stderr(&out);
    assert!(
        err.contains(".profile") && err.contains("read-only") && err.contains("add by hand"),
        "{err}"
    );
    // The lines to add: the block that sources modroute's env file.
    assert!(
        err.contains("# >>> modroute >>>") && err.contains("/.config/modroute/env.sh"),
        "{err}"
    );
    assert!(!err.contains("s3cret"), "credentials stay masked: {err}");
    assert!(
        differences(&before, &everything(&w)).is_empty(),
        "written: {:?}",
        differences(&before, &everything(&w))
    );
    assert_eq!(
        std::fs::metadata(&profile).unwrap().permissions().mode() & 0o777,
        0o444
    );
}

#[test]
fn symlinked_crlf_and_non_utf8_dotfiles_keep_every_byte_and_undo_restores_them() {
    use std::os::unix::fs::PermissionsExt;
    let w = lived_in_world();
    // Stray bytes in the user's files (the `.zshenv` in the dotfiles repo has CRLF line
    // endings), a private mode to keep.
    let bashrc: &[u8] =
        b"# ~/.bashrc\xff\xfe\n\ncase $- in *i*) ;; *) return;; esac\nPS1='\x80> '\n# the end";
    w.write("home/.bashrc", bashrc);
    std::fs::set_permissions(
        w.dir.path().join("home/.bashrc"),
        std::fs::Permissions::from_mode(0o640),
    )
    .unwrap();
    let start = files(&tree(&w)).0;
    let original = |rel: &str| match start.get(Path::new(rel)) {
        Some(Node::File(b)) => b.clone(),
        other => panic!("{rel}: {other:?}"),
    };

    for profile in ["alpha", "beta"] {
        ok(w.modroute(&["use", profile, "--yes"]));
        let now = files(&tree(&w)).0;
        assert_eq!(
            now.get(Path::new("home/.zshenv")),
            Some(&Node::Link("../dotfiles/zshenv".into())),
            "the symlink stays a symlink, to the same place"
        );
        for rel in ["home/.bashrc", "home/.profile", "dotfiles/zshenv"] {
            let Some(Node::File(bytes)) = now.get(Path::new(rel)) else {
                panic!("{rel} is not a file");
            };
            assert!(
                bytes
                    .windows(b"# >>> modroute >>>".len())
                    .any(|win| win == b"# >>> modroute >>>"),
                "{rel} has the block"
            );
            assert_eq!(
                outside_blocks(bytes),
                original(rel),
                "{rel}: bytes outside the block are untouched"
            );
        }
        // The CRLF files get a CRLF block.
        let Some(Node::File(zshenv)) = now.get(Path::new("dotfiles/zshenv")) else {
            unreachable!()
        };
        assert!(
            zshenv.windows(20).any(|w| w == b"# >>> modroute >>>\r\n"),
            "the CRLF file gets a CRLF block"
        );
        assert!(
            !zshenv
                .split_inclusive(|&c| c == b'\n')
                .any(|l| l.ends_with(b"\n") && !l.ends_with(b"\r\n")),
            "no bare LF line in the CRLF file"
        );
        assert_eq!(
            std::fs::metadata(w.dir.path().join("home/.bashrc"))
                .unwrap()
                .permissions()
                .mode()
                & 0o777,
            0o640
        );
        // The real shell still reads it (and the block is before Debian's early return).
        let out = Command::new("bash")
            .args(["-c", "source ~/.bashrc; printf %s \"$HTTPS_PROXY\""])
            .env_clear()
            .envs(w.vars.iter().map(|(k, v)| (k, v)))
            .output()
            .unwrap();
        let want = if profile == "alpha" {
            "http://127.0.0.1:3129"
        } else {
            "http://bob:s3cret@127.0.0.1:8081"
        };
        assert_eq!(String::from_utf8_lossy(&out.stdout), want, "{}", text(&out));
    }

    ok(w.modroute(&["undo", "--yes"]));
    ok(w.modroute(&["undo", "--yes"]));
    assert_eq!(w.modroute(&["undo", "--yes"]).status.code(), Some(2));
    let end = files(&tree(&w)).0;
    assert!(
        differences(&start, &end).is_empty(),
        "undo left differences: {:?}",
        differences(&start, &end)
    );
    assert!(
        std::fs::symlink_metadata(w.dir.path().join("home/.zshenv"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
}

/// The lines of `/proc/locks` that show a process waiting for a lock (`->`).
#[cfg(target_os = "linux")]
fn waits_for_a_lock(pid: u32) -> bool {
    std::fs::read_to_string("/proc/locks")
        .unwrap_or_default()
        .lines()
        .any(|l| l.contains("->") && l.split_whitespace().any(|f| f == pid.to_string()))
}

/// A switch is planned outside the lock; the check made under the lock must cover every file
/// the plan relies on — also those it found already right and so does not write. Here
/// `use alpha` is planned while another switch to beta is half-way (the go env file already
/// beta's, the shell files still alpha's), so it plans to change only the go env file; the other
/// switch then finishes. Applying the stale plan would put go on alpha and every shell on beta
/// while reporting "switched to alpha".
///
/// Deterministic: the test holds modroute's lock (`<state>/lock`, see `apply`) with flock(1) so
/// the second switch waits between planning and applying, and plays the other switch's writes.
#[cfg(target_os = "linux")]
#[test]
fn a_plan_made_during_another_switch_never_applies_half_of_a_profile() {
    use std::io::{BufRead, BufReader};
    let w = lived_in_world();
    let v = versions(&w);
    ok(w.modroute(&["use", "alpha", "--yes"]));
    let put = |tree: &Tree, rel: &str| {
        let Some(Node::File(bytes)) = tree.get(Path::new(rel)) else {
            panic!("{rel} missing");
        };
        std::fs::write(w.dir.path().join(rel), bytes).unwrap();
    };
    // The other switch to beta, half-way: the go env file is renamed first.
    put(&v.b, "home/.config/go/env");

    // Hold the lock the way another modroute would while it writes.
    let lock = w.dir.path().join("home/.local/state/modroute/lock");
    assert!(lock.exists(), "modroute's lock file is {}", lock.display());
    let mut holder = Command::new("flock")
        .arg(&lock)
        .args(["-c", "echo locked; exec cat"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("flock(1) from util-linux");
    let mut line = String::new();
    BufReader::new(holder.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    assert_eq!(line, "locked\n");

    let x = Command::new(env!("CARGO_BIN_EXE_modroute"))
        .args(["use", "alpha", "--yes"])
        .env_clear()
        .envs(w.vars.iter().map(|(k, v)| (k, v)))
        .current_dir(w.dir.path().join("work"))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    while !waits_for_a_lock(x.id()) {
        assert!(
            Instant::now() < deadline,
            "`use alpha` never waited for {}",
            lock.display()
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    // `use alpha` has its plan and waits. The other switch finishes: every other file to beta.
    for (path, node) in &v.b {
        if v.a.get(path) != Some(node) && path != Path::new("home/.config/go/env") {
            put(&v.b, path.to_str().unwrap());
        }
    }
    assert_eq!(consistent_state(&files(&tree(&w)).0, &v), Some("beta"));
    drop(holder.stdin.take()); // cat ends, flock releases the lock
    holder.wait().unwrap();
    let out = x.wait_with_output().unwrap();

    let state = files(&tree(&w)).0;
    let settled = consistent_state(&state, &v);
    assert!(
        settled.is_some(),
        "`use alpha` said {:?} and left the profiles mixed: differing from alpha: {:?}; from beta: {:?}",
        String::from_utf8_lossy(&out.stdout).lines().last(),
        differences(&without_gen(&state), &without_gen(&v.a)),
        differences(&without_gen(&state), &without_gen(&v.b)),
    );
    match out.status.code() {
        // Refused: the plan was stale; the other switch's result stands.
        Some(2) => {
            assert!(
                stderr(&out).contains("changed since the plan was made"),
                "{}",
                text(&out)
            );
            assert_eq!(settled, Some("beta"));
        }
        // Or re-planned under the lock: then really everything is alpha's.
        _ => {
            ok(out);
            assert_eq!(settled, Some("alpha"));
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Bad input: every refusal names the file (and the line, where there is one), and writes
// nothing — HOME is compared byte for byte before and after, and no journal appears.

/// Runs `use <profile> --yes` on `w`, which must refuse with exit 2, no panic, every `wanted`
/// fragment in its message, and not one byte written. Returns the message.
#[track_caller]
fn refused_and_nothing_written(w: &World, profile: &str, wanted: &[&str], case: &str) -> String {
    let journal = w.dir.path().join("home/.local/state/modroute/journal");
    let entries = |_: ()| std::fs::read_dir(&journal).map_or(0, |d| d.count());
    let before = everything(w);
    let journaled = entries(());
    let out = w.modroute(&["use", profile, "--yes"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{case}: {}", text(&out));
    assert!(!err.contains("panicked"), "{case}: {err}");
    for want in wanted {
        assert!(err.contains(want), "{case}: {want:?} missing from: {err}");
    }
    let after = everything(w);
    assert!(
        differences(&before, &after).is_empty(),
        "{case}: written: {:?}",
        differences(&before, &after)
    );
    assert_eq!(entries(()), journaled, "{case}: a journal entry appeared");
    err
}

#[test]
fn malformed_profiles_are_refused_naming_file_and_line_and_nothing_is_written() {
    let cases: &[(&str, &[u8], &[&str])] = &[
        (
            "TOML syntax",
            b"[profiles.alpha]\nGOPROXY = \"unterminated\n",
            &["profiles.toml:2:"],
        ),
        (
            "unknown key",
            b"[profiles.alpha]\nGOPROXY = \"https://a.example\"\nGOPROXYY = \"x\"\n",
            &["profiles.toml:3:1:", "unknown key `GOPROXYY`"],
        ),
        (
            "not a string",
            b"[profiles.alpha]\nGOSUMDB = 3\n",
            &["profiles.toml:2:11:", "`GOSUMDB` must be a string"],
        ),
        (
            "duplicate key",
            b"[profiles.alpha]\nGOPROXY = \"https://a.example\"\nGOPROXY = \"https://b.example\"\n",
            &["profiles.toml:3:1:", "duplicate key"],
        ),
        (
            "raw NUL byte",
            b"[profiles.alpha]\nlabel = \"x\x00y\"\n",
            &["profiles.toml:2:"],
        ),
        (
            "bad profile id",
            b"[profiles.alpha]\nGOSUMDB = \"off\"\n[profiles.Beta]\n",
            &["profiles.toml:3:11:", "profile id `Beta`"],
        ),
        (
            "profiles not a table",
            b"profiles = 3\n",
            &["profiles.toml:1:12:", "must be a table"],
        ),
        (
            "unknown top-level key",
            b"# mine\n[settings]\nx = \"y\"\n",
            &["profiles.toml:2:", "unknown top-level key `settings`"],
        ),
        (
            "value against Go's grammar",
            b"[profiles.alpha]\nGOPROXY = \"ftp://x.example\"\n",
            &["profiles.toml:2:11:", "GOPROXY: invalid proxy URL scheme"],
        ),
        (
            "NUL in a value",
            b"[profiles.alpha]\nSSL_CERT_FILE = \"/etc/ssl/a\\u0000b.pem\"\n",
            &["profiles.toml:2:17:", "SSL_CERT_FILE: contains a NUL byte"],
        ),
        (
            "line break in a value",
            b"[profiles.alpha]\nGOPRIVATE = \"a.example\\nb.example\"\n",
            &["profiles.toml:2:13:", "GOPRIVATE: contains a line break"],
        ),
        (
            "Unicode line separator in a shell value",
            b"[profiles.alpha]\nNO_PROXY = \"localhost\\u2028.corp.example\"\n",
            &["profiles.toml:2:12:", "NO_PROXY: contains a line break"],
        ),
        (
            "Unicode noncharacter in a session value",
            b"[profiles.alpha]\nNO_PROXY = \"localhost,\\uFFFE\"\n",
            &["profiles.toml:2:12:", "NO_PROXY: contains U+FFFE"],
        ),
        // No line here: the message gives the byte offset instead.
        (
            "not UTF-8",
            b"[profiles.alpha]\nlabel = \"caf\xe9\"\n",
            &["profiles.toml", "not valid UTF-8 (at byte 29)"],
        ),
    ];
    for (case, toml, wanted) in cases {
        let w = lived_in_world();
        w.write("home/.config/modroute/profiles.toml", toml);
        refused_and_nothing_written(&w, "alpha", wanted, case);
        assert!(
            !w.dir.path().join("home/.local/state/modroute").exists(),
            "{case}: state directory created"
        );
    }
}

/// The lines of a go env file, as cmd/go splits them.
fn go_env_lines(bytes: &[u8]) -> Vec<&[u8]> {
    let mut lines: Vec<&[u8]> = bytes.split(|&b| b == b'\n').collect();
    if bytes.ends_with(b"\n") {
        lines.pop();
    }
    lines
}

/// Whether cmd/go reads `line` as a setting of one of the Go settings a profile manages (those
/// lines are what a switch replaces or removes).
fn sets_a_managed_go_setting(line: &[u8]) -> bool {
    const MANAGED: [&str; 8] = [
        "GOPROXY",
        "GOSUMDB",
        "GOPRIVATE",
        "GONOPROXY",
        "GONOSUMDB",
        "GOINSECURE",
        "GOFLAGS",
        "GOTOOLCHAIN",
    ];
    line.first().is_some_and(u8::is_ascii_uppercase)
        && line
            .iter()
            .position(|&b| b == b'=')
            .is_some_and(|eq| MANAGED.iter().any(|k| k.as_bytes() == &line[..eq]))
}

/// cmd/go reads any bytes as a go env file, so garbage is not refused: the switch rewrites only
/// the lines of the settings it manages, and every other byte — NUL, non-UTF-8, escape
/// sequences, lines cmd/go skips — survives, and undo restores the file exactly.
#[test]
fn garbage_and_nul_bytes_in_the_go_env_file_survive_a_switch_and_undo_byte_for_byte() {
    let mut rng = XorShift(0x00ba_d1de_a5ee_d001);
    let binary: Vec<u8> = (0..65_536).map(|_| rng.next() as u8).collect();
    let garbage: &[u8] = b"\x00\x00\x00binary\xff\xfe\x00\nGOPROXY=\x00stale\nexport GOPROXY=https://shadow.example\r\n  GOSUMDB=x\ngoflags=-x\nGOFLAGS=-mod=vendor\r\nGONOSUMDB=\"q\"\nGOPROXY =spaced\nKEY\xff=\xfe\n\x1b[31mred\x1b[0m\n\n\r\nGOTOOLCHAIN=go1.21.0+auto\nlast line without newline \xc3";
    for (case, bytes) in [("garbage", garbage.to_vec()), ("binary", binary)] {
        let w = lived_in_world();
        let path = w.write("home/.config/go/env", &bytes);
        let out = w.modroute(&["use", "alpha", "--yes"]);
        assert_eq!(out.status.code(), Some(0), "{case}: {}", text(&out));
        let now = std::fs::read(&path).unwrap();
        let kept = |b: &[u8]| -> Vec<Vec<u8>> {
            go_env_lines(b)
                .into_iter()
                .filter(|l| !sets_a_managed_go_setting(l))
                .map(<[u8]>::to_vec)
                .collect()
        };
        assert_eq!(
            kept(&now),
            kept(&bytes),
            "{case}: other lines keep their bytes and order"
        );
        for (var, want) in [
            ("GOPROXY", GOPROXY_A),
            ("GOFLAGS", "-mod=mod"),
            ("GOSUMDB", "off"),
        ] {
            let out = w.go(&["env", var]);
            assert_eq!(
                String::from_utf8_lossy(&out.stdout).trim_end(),
                want,
                "{case}: go env {var}: {}",
                text(&out)
            );
        }
        let status = w.modroute(&["status", "--json"]);
        assert_eq!(status.status.code(), Some(0), "{case}: {}", text(&status));
        serde_json::from_slice::<serde_json::Value>(&status.stdout)
            .unwrap_or_else(|e| panic!("{case}: status --json: {e}"));
        ok(w.modroute(&["undo", "--yes"]));
        assert!(
            std::fs::read(&path).unwrap() == bytes,
            "{case}: undo restores every byte"
        );
    }
}

/// `modroute <args>` killed after `deadline`; stdout discarded (a huge file's warnings), stderr
/// kept. Returns the exit code (`None` when it had to be killed), stderr and the time taken.
fn run_within(w: &World, args: &[&str], deadline: Duration) -> (Option<i32>, String, Duration) {
    use std::io::Read;
    let started = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_modroute"))
        .args(args)
        .env_clear()
        .envs(w.vars.iter().map(|(k, v)| (k, v)))
        .current_dir(w.dir.path().join("work"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn modroute");
    let mut pipe = child.stderr.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = pipe.read_to_string(&mut s);
        s
    });
    let code = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status.code();
        }
        if started.elapsed() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    (code, reader.join().unwrap(), started.elapsed())
}

/// A go env file of tens of megabytes (20 MB; `MODROUTE_TEST_HUGE_MB=50` for the full size,
/// ~20 s more in a debug build): switching, reporting and undoing stay linear — `status` once
/// took minutes for 5 MB, reading each line's duplicates anew — and undo gives back every byte.
#[test]
fn a_huge_go_env_file_switches_reports_and_undoes_in_bounded_time() {
    let megabytes: usize = std::env::var("MODROUTE_TEST_HUGE_MB")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20);
    let size = megabytes << 20;
    let mut rng = XorShift(0x0b16_f11e);
    let mut bytes = Vec::with_capacity(size + 200);
    let mut n = 0u64;
    while bytes.len() < size {
        match rng.below(10) {
            0..=4 => bytes.extend_from_slice(
                format!("# comment {n}: padding to make the line longer, caf\u{e9}\n").as_bytes(),
            ),
            5..=7 => bytes.extend_from_slice(format!("GOX{}=value-{n}\r\n", n % 1000).as_bytes()),
            _ => {
                bytes.extend((0..40).map(|_| rng.next() as u8).filter(|&b| b != b'\n'));
                bytes.push(b'\n');
            }
        }
        if n == 100_000 {
            bytes.extend_from_slice(b"GOPROXY=https://middle.example\n");
        }
        n += 1;
    }
    bytes.extend_from_slice(b"GOFLAGS=-mod=vendor"); // no final newline
    let w = lived_in_world();
    let path = w.write("home/.config/go/env", &bytes);

    let (code, err, took) = run_within(&w, &["use", "alpha", "--yes"], Duration::from_secs(120));
    println!("{megabytes} MB go env file: use took {took:?}");
    assert_eq!(code, Some(0), "use alpha: {err}");
    let out = w.go(&["env", "GOPROXY", "GOFLAGS"]);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        format!("{GOPROXY_A}\n-mod=mod\n"),
        "{}",
        text(&out)
    );
    let (code, err, took) = run_within(&w, &["status"], Duration::from_secs(90));
    println!("status took {took:?}");
    assert_eq!(code, Some(0), "status within 90 s: {err}");
    let (code, err, took) = run_within(&w, &["undo", "--yes"], Duration::from_secs(60));
    println!("undo took {took:?}");
    assert_eq!(code, Some(0), "undo: {err}");
    assert!(
        std::fs::read(&path).unwrap() == bytes,
        "undo restores every byte"
    );
}

/// Whether this process can be kept from reading a file by its mode (not as root, or with
/// CAP_DAC_OVERRIDE: then chmod 000 blocks nothing).
fn modes_block_reads(dir: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    let probe = dir.join("mode-probe");
    std::fs::write(&probe, b"x").unwrap();
    std::fs::set_permissions(&probe, std::fs::Permissions::from_mode(0o000)).unwrap();
    let blocked = std::fs::read(&probe).is_err();
    std::fs::remove_file(&probe).unwrap();
    blocked
}

#[test]
fn unreadable_targets_are_refused_naming_the_file_and_nothing_is_written() {
    use std::os::unix::fs::PermissionsExt;
    // The go env file is a directory.
    let w = lived_in_world();
    let goenv = w.dir.path().join("home/.config/go/env");
    std::fs::remove_file(&goenv).unwrap();
    std::fs::create_dir_all(goenv.join("sub")).unwrap();
    refused_and_nothing_written(
        &w,
        "alpha",
        &["cannot read", "/.config/go/env", "Is a directory"],
        "go env file is a directory",
    );

    // `.bashrc` is a symlink to itself.
    let w = lived_in_world();
    std::fs::remove_file(w.dir.path().join("home/.bashrc")).unwrap();
    std::os::unix::fs::symlink(".bashrc", w.dir.path().join("home/.bashrc")).unwrap();
    refused_and_nothing_written(
        &w,
        "alpha",
        &["cannot read", "/.bashrc", "symbolic links"],
        "symlink loop",
    );

    // `~/.config/environment.d` is a file, so the session file cannot exist.
    let w = lived_in_world();
    w.write("home/.config/environment.d", b"not a directory\n");
    refused_and_nothing_written(
        &w,
        "alpha",
        &[
            "cannot read",
            "environment.d/60-modroute.conf",
            "Not a directory",
        ],
        "environment.d is a file",
    );

    // profiles.toml is a directory.
    let w = lived_in_world();
    let profiles = w.dir.path().join("home/.config/modroute/profiles.toml");
    std::fs::remove_file(&profiles).unwrap();
    std::fs::create_dir(&profiles).unwrap();
    refused_and_nothing_written(
        &w,
        "official",
        &["cannot read", "profiles.toml", "Is a directory"],
        "profiles.toml is a directory",
    );

    // chmod 000: unreadable — except for root, which reads it anyway; then modroute still must
    // not write a file its owner protected (no write bit: refused as read-only).
    let w = lived_in_world();
    let profile = w.dir.path().join("home/.profile");
    let blocks = modes_block_reads(w.dir.path());
    std::fs::set_permissions(&profile, std::fs::Permissions::from_mode(0o000)).unwrap();
    if blocks {
        refused_and_nothing_written(
            &w,
            "alpha",
            &["cannot read", "/.profile", "Permission denied"],
            "chmod 000",
        );
    } else {
        eprintln!(
            "SKIPPED (the unreadable part only): running as root, where chmod 000 does not block reads; checking the read-only refusal instead"
        );
        refused_and_nothing_written(&w, "alpha", &["/.profile", "read-only"], "chmod 000");
    }
    assert_eq!(
        std::fs::symlink_metadata(&profile)
            .unwrap()
            .permissions()
            .mode()
            & 0o777,
        0
    );
}

#[test]
fn read_only_targets_are_refused_naming_the_file_and_nothing_is_written() {
    use std::os::unix::fs::PermissionsExt;
    let read_only = |w: &World, rel: &str| {
        std::fs::set_permissions(
            w.dir.path().join(rel),
            std::fs::Permissions::from_mode(0o444),
        )
        .unwrap();
    };
    // Before any switch: the go env file, and a dotfile reached through a symlink.
    for (rel, shown) in [
        ("home/.config/go/env", "/.config/go/env"),
        ("dotfiles/zshenv", "/.zshenv"),
    ] {
        let w = lived_in_world();
        read_only(&w, rel);
        refused_and_nothing_written(&w, "alpha", &[shown, "read-only", "add by hand"], rel);
    }
    // After a switch: modroute's own env file and the session file, protected by the user.
    for (rel, shown) in [
        ("home/.config/modroute/env.sh", "/.config/modroute/env.sh"),
        (
            "home/.config/environment.d/60-modroute.conf",
            "/environment.d/60-modroute.conf",
        ),
    ] {
        let w = lived_in_world();
        ok(w.modroute(&["use", "alpha", "--yes"]));
        read_only(&w, rel);
        let err = refused_and_nothing_written(&w, "beta", &[shown, "read-only"], rel);
        assert!(!err.contains("s3cret"), "credentials stay masked: {err}");
        // The refusal left the journal alone: undo still reverts the first switch.
        ok(w.modroute(&["undo", "--yes"]));
    }
}

#[test]
fn damaged_markers_of_every_kind_in_other_rc_files_are_refused_by_file_and_line() {
    let cases: &[(&str, &[u8], &[&str])] = &[
        (
            "home/.profile",
            b"# ~/.profile\nx=1\n# <<< modroute <<<\n",
            &["/.profile", "line 3", "without an opening"],
        ),
        (
            // Through the symlink, with CRLF line endings.
            "dotfiles/zshenv",
            b"a\r\n# >>> modroute >>>\r\nb\r\n# >>> modroute hook >>>\r\n# <<< modroute <<<\r\n",
            &["/.zshenv", "line 4"],
        ),
        (
            "home/.tcshrc",
            b"set x=1\n# >>> modroute hook >>>\nalias precmd 'echo'\n",
            &["/.tcshrc", "line 2", "never closed"],
        ),
        (
            "home/.config/nushell/config.nu",
            b"# >>> modroute >>>\n# <<< modroute <<<\n$env.X = 1\n# >>> modroute >>>\n# <<< modroute <<<\n",
            &["/config.nu", "line 4"],
        ),
        (
            "home/.bashrc",
            b"# >>> modroute hook >>>\n# <<< modroute hook <<<\n# <<< modroute hook <<<\n",
            &["/.bashrc", "line 3"],
        ),
    ];
    for (rel, bytes, wanted) in cases {
        let w = lived_in_world();
        w.write(rel, bytes);
        refused_and_nothing_written(&w, "alpha", wanted, rel);
    }
}
