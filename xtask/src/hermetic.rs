//! The hermeticity check (style rule 11): the tests must leave the real `$HOME` untouched.
//!
//! [`Snapshot::take`] records every path under a root — kind, size, permission bits, mtime and a
//! content hash for files, the target for symlinks — and [`diff`] lists what was added, removed
//! or changed between two snapshots. `cargo xtask test` snapshots `$HOME` before its steps and
//! fails, listing the paths, if anything changed.
//!
//! Some places under `$HOME` are written by every build and install, legitimately: they are
//! excluded in [`home_exclusions`], each with its reason. Directories are compared by existence
//! and permission bits only — their mtime changes whenever an excluded child (say `~/.cache`) is
//! created, which would be noise; a changed file inside still shows up as that file.
//!
//! On top of the general diff, [`SENTINELS`] — the files modroute itself would write for a real
//! user — are checked on their own and are never excluded: a test that writes one of them is
//! writing the developer's configuration.
//!
//! The hash is std's SipHash ([`DefaultHasher`]): both snapshots are taken by the same process,
//! which is all a change detector needs. Files above [`HASH_LIMIT`] are compared by size and
//! mtime only, so a stray multi-gigabyte file in `$HOME` does not slow every test run. The second
//! snapshot re-reads only files whose inode or ctime moved ([`Snapshot::take_again`]).

use std::collections::BTreeMap;
use std::collections::hash_map::DefaultHasher;
use std::fmt;
use std::fs;
use std::hash::Hasher;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// Paths below `$HOME` that modroute writes for a real user; tests must never touch them.
pub const SENTINELS: &[&str] = &[
    ".config/go/env",
    ".config/modroute",
    ".local/share/dev.modroute.app",
    ".config/environment.d",
];

/// Files larger than this are not hashed (size and mtime are still compared).
pub const HASH_LIMIT: u64 = 64 * 1024 * 1024;

/// A path left out of the snapshot, and why.
#[derive(Debug, Clone)]
pub struct Exclusion {
    pub rule: Rule,
    pub reason: &'static str,
}

/// How an [`Exclusion`] matches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rule {
    /// This path relative to the root, and everything below it.
    Path(PathBuf),
    /// Any directory entry with this name, at any depth, and everything below it.
    Name(String),
}

impl Exclusion {
    fn path(path: impl Into<PathBuf>, reason: &'static str) -> Self {
        Self {
            rule: Rule::Path(path.into()),
            reason,
        }
    }

    fn name(name: &str, reason: &'static str) -> Self {
        Self {
            rule: Rule::Name(name.to_string()),
            reason,
        }
    }

    fn matches(&self, relative: &Path) -> bool {
        match &self.rule {
            Rule::Path(path) => relative.starts_with(path),
            Rule::Name(name) => relative.file_name().is_some_and(|n| n == name.as_str()),
        }
    }
}

/// What builds, installs and the tooling legitimately write below `home`, plus each of
/// `inside` (a path and the reason) that lies below `home`: the checkout, its target directory
/// and the temporary directory, when a developer keeps them there.
pub fn home_exclusions(home: &Path, inside: &[(PathBuf, &'static str)]) -> Vec<Exclusion> {
    let mut list = vec![
        Exclusion::path(
            ".cargo",
            "cargo's registry and git caches; `cargo install` binaries",
        ),
        Exclusion::path(
            ".rustup",
            "rustup's toolchains and its settings, updated by rustup",
        ),
        Exclusion::path(
            ".npm",
            "npm's download cache (_cacache) and its logs (_logs)",
        ),
        Exclusion::path(
            ".cache",
            "XDG cache: fontconfig, Mesa shaders, go-build, Chromium and WebKit caches",
        ),
        Exclusion::path(".local/share/pnpm", "pnpm's package store"),
        Exclusion::path(
            ".config/go/telemetry",
            "the go command counts its own uses here on every run",
        ),
        Exclusion::path(".wget-hsts", "wget's HSTS cache"),
        Exclusion::name(
            "node_modules",
            "npm install output, wherever a project lives",
        ),
        Exclusion::name("target", "cargo build output, wherever a project lives"),
    ];
    let home = fs::canonicalize(home).unwrap_or_else(|_| home.to_path_buf());
    for (path, reason) in inside {
        let path = fs::canonicalize(path).unwrap_or_else(|_| path.clone());
        if let Ok(relative) = path.strip_prefix(&home) {
            if relative.as_os_str().is_empty() {
                continue; // excluding all of HOME would make the check meaningless
            }
            list.push(Exclusion::path(relative, reason));
        }
    }
    list
}

/// One recorded path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub kind: Kind,
    /// Permission bits (`st_mode & 0o7777`); 0 where the platform has none.
    pub mode: u32,
    /// Device, inode and ctime: not compared, only used by [`Snapshot::take_again`] to skip
    /// re-hashing a file that cannot have changed.
    pub stamp: Option<Stamp>,
}

/// `(st_dev, st_ino, st_ctime, st_ctime_nsec)`. Every write to a file updates its ctime, and
/// ctime cannot be set back (unlike mtime), so an equal stamp means equal content.
pub type Stamp = (u64, u64, i64, i64);

/// What a path is, with what is compared for each kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    File {
        size: u64,
        mtime: Option<SystemTime>,
        /// `None` when the file is larger than [`HASH_LIMIT`] or could not be read.
        hash: Option<u64>,
    },
    Dir,
    Symlink {
        target: PathBuf,
    },
    /// Sockets, FIFOs, devices.
    Other,
}

/// Every path under a root, relative to it.
#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    pub entries: BTreeMap<PathBuf, Entry>,
}

impl Snapshot {
    /// Records `root` recursively, not following symlinks, skipping what `exclusions` match.
    /// A missing root gives an empty snapshot (a path that appears later is "added").
    pub fn take(root: &Path, exclusions: &[Exclusion]) -> io::Result<Self> {
        Self::take_again(root, exclusions, &Self::default())
    }

    /// Like [`Snapshot::take`], but a file whose size, mtime and [`Stamp`] equal its entry in
    /// `previous` keeps the hash recorded there instead of being read again. (Hashing all of a
    /// `$HOME` with a Python or Node installation in it takes seconds.)
    pub fn take_again(root: &Path, exclusions: &[Exclusion], previous: &Self) -> io::Result<Self> {
        let mut snapshot = Self::default();
        match fs::symlink_metadata(root) {
            Ok(_) => snapshot.walk(root, Path::new(""), exclusions, previous)?,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(e),
        }
        Ok(snapshot)
    }

    fn walk(
        &mut self,
        root: &Path,
        relative: &Path,
        exclusions: &[Exclusion],
        previous: &Self,
    ) -> io::Result<()> {
        let full = if relative.as_os_str().is_empty() {
            root.to_path_buf()
        } else {
            root.join(relative)
        };
        let meta = match fs::symlink_metadata(&full) {
            Ok(meta) => meta,
            // Vanished between listing and reading: whatever removed it shows up in the diff.
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
            Err(e) => return Err(e),
        };
        let stamp = stamp(&meta);
        let kind = if meta.file_type().is_symlink() {
            Kind::Symlink {
                target: fs::read_link(&full).unwrap_or_default(),
            }
        } else if meta.is_dir() {
            Kind::Dir
        } else if meta.is_file() {
            let (size, mtime) = (meta.len(), meta.modified().ok());
            let known = previous
                .entries
                .get(relative)
                .and_then(|old| match old.kind {
                    Kind::File {
                        size: s,
                        mtime: m,
                        hash,
                    } if old.stamp.is_some() && old.stamp == stamp && s == size && m == mtime => {
                        hash
                    }
                    _ => None,
                });
            Kind::File {
                size,
                mtime,
                hash: known.or_else(|| {
                    (size <= HASH_LIMIT)
                        .then(|| hash_file(&full).ok())
                        .flatten()
                }),
            }
        } else {
            Kind::Other
        };
        let is_dir = kind == Kind::Dir;
        self.entries.insert(
            relative.to_path_buf(),
            Entry {
                kind,
                mode: mode(&meta),
                stamp,
            },
        );
        if is_dir {
            // An unreadable directory is recorded, not descended into.
            let Ok(children) = fs::read_dir(&full) else {
                return Ok(());
            };
            for child in children.flatten() {
                let child = relative.join(child.file_name());
                if !exclusions.iter().any(|e| e.matches(&child)) {
                    self.walk(root, &child, exclusions, previous)?;
                }
            }
        }
        Ok(())
    }
}

#[cfg(unix)]
fn mode(meta: &fs::Metadata) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    meta.permissions().mode() & 0o7777
}

#[cfg(not(unix))]
fn mode(meta: &fs::Metadata) -> u32 {
    u32::from(meta.permissions().readonly())
}

#[cfg(unix)]
fn stamp(meta: &fs::Metadata) -> Option<Stamp> {
    use std::os::unix::fs::MetadataExt;
    Some((meta.dev(), meta.ino(), meta.ctime(), meta.ctime_nsec()))
}

#[cfg(not(unix))]
fn stamp(_: &fs::Metadata) -> Option<Stamp> {
    None
}

fn hash_file(path: &Path) -> io::Result<u64> {
    let mut file = fs::File::open(path)?;
    let mut hasher = DefaultHasher::new();
    let mut buf = vec![0; 64 * 1024];
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            return Ok(hasher.finish());
        }
        hasher.write(&buf[..n]);
    }
}

/// One difference between two snapshots.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    Added(PathBuf),
    Removed(PathBuf),
    /// The path exists in both; the list says what differs.
    Modified(PathBuf, Vec<&'static str>),
}

impl Change {
    /// The changed path (relative to the snapshot root).
    pub fn path(&self) -> &Path {
        match self {
            Change::Added(p) | Change::Removed(p) | Change::Modified(p, _) => p,
        }
    }
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Change::Added(p) => write!(f, "+ {} (created)", p.display()),
            Change::Removed(p) => write!(f, "- {} (deleted)", p.display()),
            Change::Modified(p, what) => write!(f, "~ {} ({})", p.display(), what.join(", ")),
        }
    }
}

/// What changed from `before` to `after`, sorted by path.
pub fn diff(before: &Snapshot, after: &Snapshot) -> Vec<Change> {
    let mut changes = Vec::new();
    for (path, old) in &before.entries {
        match after.entries.get(path) {
            None => changes.push(Change::Removed(path.clone())),
            Some(new) => {
                let what = differences(old, new);
                if !what.is_empty() {
                    changes.push(Change::Modified(path.clone(), what));
                }
            }
        }
    }
    for path in after.entries.keys() {
        if !before.entries.contains_key(path) {
            changes.push(Change::Added(path.clone()));
        }
    }
    changes.sort_by(|a, b| a.path().cmp(b.path()));
    changes
}

fn differences(old: &Entry, new: &Entry) -> Vec<&'static str> {
    let mut what = Vec::new();
    match (&old.kind, &new.kind) {
        (
            Kind::File {
                size: s1,
                mtime: m1,
                hash: h1,
            },
            Kind::File {
                size: s2,
                mtime: m2,
                hash: h2,
            },
        ) => {
            if h1 != h2 || s1 != s2 {
                what.push("content");
            }
            if m1 != m2 {
                what.push("mtime");
            }
        }
        (Kind::Symlink { target: t1 }, Kind::Symlink { target: t2 }) if t1 != t2 => {
            what.push("link target");
        }
        (a, b) if std::mem::discriminant(a) != std::mem::discriminant(b) => what.push("type"),
        _ => {}
    }
    if old.mode != new.mode {
        what.push("mode");
    }
    what
}

/// The whole check: snapshot of `$HOME` plus one snapshot per sentinel.
pub struct HomeCheck {
    home: PathBuf,
    exclusions: Vec<Exclusion>,
    before: Snapshot,
    sentinels: Vec<(PathBuf, Snapshot)>,
}

impl HomeCheck {
    /// Snapshots `home` now, excluding [`home_exclusions`]`(home, inside)`.
    pub fn start(home: &Path, inside: &[(PathBuf, &'static str)]) -> io::Result<Self> {
        let exclusions = home_exclusions(home, inside);
        let before = Snapshot::take(home, &exclusions)?;
        let sentinels = SENTINELS
            .iter()
            .map(|s| {
                let path = home.join(s);
                Snapshot::take(&path, &[]).map(|snap| (path, snap))
            })
            .collect::<io::Result<_>>()?;
        Ok(Self {
            home: home.to_path_buf(),
            exclusions,
            before,
            sentinels,
        })
    }

    /// Number of paths recorded (for the progress line).
    pub fn len(&self) -> usize {
        self.before.entries.len()
    }

    /// The exclusions in force, for the report.
    pub fn exclusions(&self) -> &[Exclusion] {
        &self.exclusions
    }

    /// Snapshots again and returns a report of every change; `Ok(None)` means untouched.
    pub fn finish(&self) -> io::Result<Option<String>> {
        let mut report = String::new();
        for (path, before) in &self.sentinels {
            let changes = diff(before, &Snapshot::take(path, &[])?);
            if !changes.is_empty() {
                report.push_str(&format!(
                    "  !! {} — a modroute user file — was created or changed by the run:\n",
                    path.display()
                ));
                for change in changes.iter().take(20) {
                    report.push_str(&format!("       {change}\n"));
                }
            }
        }
        let after = Snapshot::take_again(&self.home, &self.exclusions, &self.before)?;
        let changes = diff(&self.before, &after);
        const SHOWN: usize = 200;
        for change in changes.iter().take(SHOWN) {
            report.push_str(&format!("  {}\n", change_under(&self.home, change)));
        }
        if changes.len() > SHOWN {
            report.push_str(&format!("  … and {} more\n", changes.len() - SHOWN));
        }
        Ok((!report.is_empty()).then_some(report))
    }
}

/// The accounts besides the developer's whose HOME the tests could reach: root (`sudo go …`
/// reads root's go env file) and the sudo tests' unprivileged account.
pub const OTHER_ACCOUNTS: &[&str] = &["root", crate::setup::SUDO_TEST_USER];

/// The homes of `names` in a passwd text that are not `real_home` (nor inside it), each once.
pub fn account_homes(passwd: &str, names: &[&str], real_home: &Path) -> Vec<(String, PathBuf)> {
    let canonical = |p: &Path| fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    let real = canonical(real_home);
    let mut out: Vec<(String, PathBuf)> = Vec::new();
    for line in passwd.lines() {
        let fields: Vec<&str> = line.split(':').collect();
        if fields.len() < 7 || !names.contains(&fields[0]) || fields[5].is_empty() {
            continue;
        }
        let home = canonical(Path::new(fields[5]));
        if home == real || home.starts_with(&real) || home == Path::new("/") {
            continue;
        }
        if !out.iter().any(|(_, h)| *h == home) {
            out.push((fields[0].to_string(), home));
        }
    }
    out
}

/// The HOME every test step runs in: a new, empty directory, so anything a test writes to "the
/// user's" HOME shows up here on any machine — even where the real HOME already holds the same
/// path from earlier runs (then the [`HomeCheck`] of the real HOME sees nothing change).
///
/// The XDG base directories are unset (they follow HOME), and cargo's and rustup's homes stay
/// the real ones, so builds keep their registry and toolchains.
pub struct TestHome {
    dir: PathBuf,
    cargo_home: PathBuf,
    rustup_home: PathBuf,
}

/// Variables that would point a test child back into the real HOME.
const XDG_BASE_VARS: &[&str] = &[
    "XDG_CONFIG_HOME",
    "XDG_DATA_HOME",
    "XDG_STATE_HOME",
    "XDG_CACHE_HOME",
];

impl TestHome {
    /// Creates `<temp>/modroute-xtask-home-<pid>` (empty) for a run whose real HOME is
    /// `real_home`.
    pub fn create(real_home: &Path) -> io::Result<Self> {
        let dir = std::env::temp_dir().join(format!("modroute-xtask-home-{}", std::process::id()));
        if fs::symlink_metadata(&dir).is_ok() {
            fs::remove_dir_all(&dir)?;
        }
        fs::create_dir_all(&dir)?;
        let home_of = |var: &str, default: &str| {
            std::env::var_os(var)
                .filter(|v| !v.is_empty())
                .map_or_else(|| real_home.join(default), PathBuf::from)
        };
        Ok(Self {
            cargo_home: home_of("CARGO_HOME", ".cargo"),
            rustup_home: home_of("RUSTUP_HOME", ".rustup"),
            dir,
        })
    }

    /// The directory.
    pub fn path(&self) -> &Path {
        &self.dir
    }

    /// Points `cmd` at this HOME.
    pub fn apply<'c>(&self, cmd: &'c mut std::process::Command) -> &'c mut std::process::Command {
        for var in XDG_BASE_VARS {
            cmd.env_remove(var);
        }
        cmd.env("HOME", &self.dir)
            .env("CARGO_HOME", &self.cargo_home)
            .env("RUSTUP_HOME", &self.rustup_home)
    }

    /// What the steps left in this HOME besides the caches tools keep ([`home_exclusions`]):
    /// files, links and empty directories, relative to it.
    pub fn leftovers(&self) -> io::Result<Vec<PathBuf>> {
        leftovers(&self.dir)
    }
}

impl Drop for TestHome {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.dir);
    }
}

/// Paths under `root` outside [`home_exclusions`]: every file, link and other non-directory, and
/// every directory with nothing in it (a directory whose only children are excluded caches, such
/// as `.config` holding `.config/go/telemetry`, is not a leftover).
fn leftovers(root: &Path) -> io::Result<Vec<PathBuf>> {
    let exclusions = home_exclusions(root, &[]);
    let snapshot = Snapshot::take(root, &exclusions)?;
    let mut found = Vec::new();
    for (path, entry) in &snapshot.entries {
        if path.as_os_str().is_empty() {
            continue;
        }
        let leaf = match entry.kind {
            Kind::Dir => fs::read_dir(root.join(path))?.next().is_none(),
            _ => true,
        };
        if leaf {
            found.push(path.clone());
        }
    }
    Ok(found)
}

fn change_under(home: &Path, change: &Change) -> String {
    let shown = home.join(change.path());
    match change {
        Change::Added(_) => format!("+ {} (created)", shown.display()),
        Change::Removed(_) => format!("- {} (deleted)", shown.display()),
        Change::Modified(_, what) => format!("~ {} ({})", shown.display(), what.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    /// A fresh, empty directory under the system temp dir, removed on drop.
    struct TempDir(PathBuf);

    impl TempDir {
        fn new(tag: &str) -> Self {
            let nanos = SystemTime::now()
                .duration_since(SystemTime::UNIX_EPOCH)
                .unwrap()
                .as_nanos();
            let dir = std::env::temp_dir().join(format!(
                "xtask-hermetic-{tag}-{}-{nanos}",
                std::process::id()
            ));
            fs::create_dir_all(&dir).unwrap();
            Self(dir)
        }
    }

    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = fs::remove_dir_all(&self.0);
        }
    }

    fn write(root: &Path, rel: &str, text: &str) {
        let path = root.join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }

    fn set_mtime(path: &Path, t: SystemTime) {
        fs::File::options()
            .write(true)
            .open(path)
            .unwrap()
            .set_modified(t)
            .unwrap();
    }

    fn excl() -> Vec<Exclusion> {
        vec![
            Exclusion::path(".cache", "test"),
            Exclusion::name("node_modules", "test"),
        ]
    }

    #[test]
    fn leftovers_in_a_test_home_are_files_and_empty_dirs_outside_caches() {
        let home = TempDir::new("leftovers");
        let h = &home.0;
        assert_eq!(leftovers(h).unwrap(), Vec::<PathBuf>::new());
        // Caches tools keep are not leftovers, nor the directories that only hold them.
        write(h, ".cache/fontconfig/x", "cache");
        write(h, ".config/go/telemetry/local/c", "count");
        write(h, ".npm/_logs/debug.log", "log");
        assert_eq!(leftovers(h).unwrap(), Vec::<PathBuf>::new());
        // What the mock webview used to create: an empty data directory.
        fs::create_dir_all(h.join(".local/share/dev.modroute.app")).unwrap();
        write(h, ".config/modroute/profiles.toml", "");
        assert_eq!(
            leftovers(h).unwrap(),
            [
                PathBuf::from(".config/modroute/profiles.toml"),
                PathBuf::from(".local/share/dev.modroute.app"),
            ]
        );
    }

    #[test]
    fn untouched_tree_has_no_changes() {
        let home = TempDir::new("same");
        write(&home.0, ".bashrc", "export A=1\n");
        write(&home.0, ".config/go/env", "GOPROXY=direct\n");
        let a = Snapshot::take(&home.0, &excl()).unwrap();
        let b = Snapshot::take(&home.0, &excl()).unwrap();
        assert_eq!(diff(&a, &b), []);
        assert!(a.entries.contains_key(Path::new(".config/go/env")));
        assert!(
            a.entries.contains_key(Path::new("")),
            "the root itself is recorded"
        );
    }

    #[test]
    fn every_kind_of_change_is_reported() {
        let home = TempDir::new("changes");
        let h = &home.0;
        write(h, "keep", "same");
        write(h, "edit", "before");
        write(h, "touch", "same");
        write(h, "gone", "x");
        write(h, "same-size", "aaaa");
        let t0 = SystemTime::UNIX_EPOCH + Duration::from_secs(1_600_000_000);
        for f in ["edit", "touch", "same-size"] {
            set_mtime(&h.join(f), t0);
        }
        let before = Snapshot::take(h, &excl()).unwrap();

        write(h, "edit", "after, longer");
        set_mtime(&h.join("touch"), t0 + Duration::from_secs(5));
        fs::remove_file(h.join("gone")).unwrap();
        write(h, "new/file", "hi");
        // Same size, same mtime, different bytes: only the hash can tell.
        write(h, "same-size", "bbbb");
        set_mtime(&h.join("same-size"), t0);
        let after = Snapshot::take(h, &excl()).unwrap();

        let changes = diff(&before, &after);
        assert_eq!(
            changes,
            vec![
                Change::Modified("edit".into(), vec!["content", "mtime"]),
                Change::Removed("gone".into()),
                Change::Added("new".into()),
                Change::Added("new/file".into()),
                Change::Modified("same-size".into(), vec!["content"]),
                Change::Modified("touch".into(), vec!["mtime"]),
            ]
        );
        assert_eq!(changes[1].to_string(), "- gone (deleted)");
    }

    #[test]
    fn take_again_reuses_hashes_of_unchanged_files_only() {
        let home = TempDir::new("again");
        let h = &home.0;
        write(h, "same", "1234");
        write(h, "rewritten", "abcd");
        let t0 = SystemTime::UNIX_EPOCH + Duration::from_secs(1_600_000_000);
        set_mtime(&h.join("rewritten"), t0);
        let mut before = Snapshot::take(h, &[]).unwrap();
        // Poison the recorded hash of the untouched file: take_again must carry it over as is.
        if let Some(Entry {
            kind: Kind::File { hash, .. },
            ..
        }) = before.entries.get_mut(Path::new("same"))
        {
            *hash = Some(42);
        }
        // Same size, mtime set back: only the ctime tells that the bytes moved.
        write(h, "rewritten", "wxyz");
        set_mtime(&h.join("rewritten"), t0);
        let after = Snapshot::take_again(h, &[], &before).unwrap();
        assert!(matches!(
            after.entries[Path::new("same")].kind,
            Kind::File { hash: Some(42), .. }
        ));
        assert_eq!(
            diff(&before, &after),
            vec![Change::Modified("rewritten".into(), vec!["content"])]
        );
    }

    #[cfg(unix)]
    #[test]
    fn mode_type_and_symlink_changes() {
        use std::os::unix::fs::{PermissionsExt, symlink};
        let home = TempDir::new("meta");
        let h = &home.0;
        write(h, "script", "#!/bin/sh\n");
        write(h, "becomes-dir", "x");
        symlink("a", h.join("link")).unwrap();
        let before = Snapshot::take(h, &[]).unwrap();
        fs::set_permissions(h.join("script"), fs::Permissions::from_mode(0o755)).unwrap();
        fs::remove_file(h.join("becomes-dir")).unwrap();
        fs::create_dir(h.join("becomes-dir")).unwrap();
        fs::remove_file(h.join("link")).unwrap();
        symlink("b", h.join("link")).unwrap();
        let changes = diff(&before, &Snapshot::take(h, &[]).unwrap());
        let shown: Vec<String> = changes.iter().map(ToString::to_string).collect();
        assert!(
            shown.contains(&"~ becomes-dir (type, mode)".to_string()),
            "{shown:?}"
        );
        assert!(
            shown.contains(&"~ link (link target)".to_string()),
            "{shown:?}"
        );
        assert!(shown.contains(&"~ script (mode)".to_string()), "{shown:?}");
    }

    #[test]
    fn exclusions_hide_build_noise_only() {
        let home = TempDir::new("excl");
        let h = &home.0;
        write(h, "proj/readme", "x");
        let before = Snapshot::take(h, &excl()).unwrap();
        write(h, ".cache/go-build/abc", "x");
        write(h, "proj/node_modules/pkg/index.js", "x");
        write(h, ".cachet", "not excluded: only the exact path .cache is");
        let changes = diff(&before, &Snapshot::take(h, &excl()).unwrap());
        assert_eq!(changes, vec![Change::Added(".cachet".into())]);
    }

    #[test]
    fn missing_root_is_empty_and_its_creation_is_seen() {
        let home = TempDir::new("sentinel");
        let sentinel = home.0.join(".config/modroute");
        let before = Snapshot::take(&sentinel, &[]).unwrap();
        assert!(before.entries.is_empty());
        write(&sentinel, "profiles.toml", "x");
        let changes = diff(&before, &Snapshot::take(&sentinel, &[]).unwrap());
        assert_eq!(
            changes,
            vec![
                Change::Added("".into()),
                Change::Added("profiles.toml".into())
            ]
        );
    }

    #[test]
    fn home_check_flags_sentinels_and_ordinary_files() {
        let home = TempDir::new("check");
        let h = &home.0;
        write(h, ".bashrc", "x");
        let check = HomeCheck::start(h, &[]).unwrap();
        assert_eq!(check.finish().unwrap(), None);
        write(h, ".config/go/env", "GOPROXY=off\n");
        let report = check.finish().unwrap().expect("a change is reported");
        assert!(report.contains("!! "), "{report}");
        assert!(report.contains(".config/go/env"), "{report}");
        assert!(report.contains("+ "), "{report}");
    }

    #[test]
    fn other_account_homes_skip_the_real_home() {
        let passwd = "root:x:0:0:root:/root:/bin/bash\nme:x:1000:1000::/home/me:/bin/sh\nmodroute-test:x:999:995::/var/lib/modroute-test:/bin/sh\nnobody:x:65534:65534::/nonexistent:/usr/sbin/nologin\n";
        let homes = account_homes(passwd, OTHER_ACCOUNTS, Path::new("/home/me"));
        assert_eq!(
            homes,
            vec![
                ("root".to_string(), PathBuf::from("/root")),
                (
                    "modroute-test".to_string(),
                    PathBuf::from("/var/lib/modroute-test")
                ),
            ]
        );
        let homes = account_homes(passwd, OTHER_ACCOUNTS, Path::new("/root"));
        assert_eq!(homes.len(), 1, "root's HOME is the real one: {homes:?}");
    }

    #[test]
    fn home_exclusions_cover_paths_inside_home() {
        let home = TempDir::new("inside");
        let checkout = home.0.join("src/modroute");
        fs::create_dir_all(&checkout).unwrap();
        let list = home_exclusions(&home.0, &[(checkout, "checkout")]);
        assert!(
            list.iter()
                .any(|e| e.rule == Rule::Path(PathBuf::from("src/modroute")))
        );
        assert!(list.iter().all(|e| e.rule != Rule::Path(PathBuf::new())));
        // The home itself is never excluded.
        let all = home_exclusions(&home.0, &[(home.0.clone(), "home")]);
        assert!(all.iter().all(|e| e.rule != Rule::Path(PathBuf::new())));
    }
}
