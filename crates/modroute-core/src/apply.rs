//! Executing a [`Plan`] as one journaled transaction, and undoing it.
//!
//! Invariants:
//! - **One writer.** An exclusive lock on `<state>/lock` is held for the whole transaction, so
//!   two modroute processes never interleave.
//! - **No lost edits.** Before each rename the target is read again; if it no longer holds the
//!   bytes the plan was computed from, the transaction stops and rolls back.
//! - **Old or new, never half.** Each file is written to a temporary file in its own directory,
//!   fsynced, given the old file's mode and owner, and renamed over the *real* path (symlinks are
//!   followed, so a symlinked dotfile stays a symlink).
//! - **Undo always works.** The journal entry — with a copy of every file's old and new bytes —
//!   is on disk (status `pending`) before the first target is touched. A crash leaves a pending
//!   entry that [`undo`] restores like any other. Backups are 0600: they may hold credentials.
//! - **All or nothing.** When a step fails, files already written are restored.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use crate::atomic::{self, Mode, current_bytes, sync_dirs, write_atomic, write_atomic_in_batch};
use crate::env::Env;
use crate::paths;
use crate::plan::{Action, FileChange, Plan, TargetKind};

/// How many switches the journal keeps (older backups are deleted).
pub const KEEP_ENTRIES: usize = 20;

/// Why a transaction did not happen (nothing was changed) or could not finish.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ApplyError {
    /// The state directory cannot be determined (no HOME).
    #[error("cannot determine modroute's state directory (is HOME set?)")]
    NoStateDir,
    /// The plan has targets that cannot be written.
    #[error("not applied: {count} target(s) cannot be written:\n{details}")]
    Refused {
        /// How many.
        count: usize,
        /// One line per refusal.
        details: String,
    },
    /// A file changed after the plan was computed.
    #[error("{} changed since the plan was made; nothing was switched — run the command again", path.display())]
    ConcurrentEdit {
        /// The file.
        path: PathBuf,
    },
    /// Undo would overwrite changes made after the switch.
    #[error("{} was edited after the switch it would undo; undo refused so your edit is not lost", path.display())]
    EditedSince {
        /// The file.
        path: PathBuf,
    },
    /// Nothing to undo.
    #[error("nothing to undo")]
    NothingToUndo,
    /// An I/O error, with the file it concerns; files already written were restored.
    #[error("{}: {error}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The error.
        error: std::io::Error,
    },
    /// The journal is unreadable.
    #[error("journal entry {}: {message}", path.display())]
    Journal {
        /// The entry.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> ApplyError + '_ {
    move |error| ApplyError::Io {
        path: path.to_path_buf(),
        error,
    }
}

/// A journal entry's state.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryStatus {
    /// Written before the first target; still pending means the process died mid-way.
    Pending,
    /// Every file was written.
    Applied,
    /// A step failed and the written files were restored.
    RolledBack,
    /// Undone.
    Undone,
}

/// One file in a journal entry.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct JournalFile {
    /// What kind of target.
    pub target: TargetKind,
    /// The path as shown to the user.
    pub path: PathBuf,
    /// The file written.
    pub real_path: PathBuf,
    /// Where the old bytes are in the entry's `before.bin`; `None` if the file did not exist.
    pub before: Option<Blob>,
    /// The old file's permission bits (restored by undo).
    #[serde(default)]
    pub before_mode: Option<u32>,
    /// Fingerprint of the new bytes (to tell whether the file was edited since); `None` if the
    /// switch deleted the file.
    pub after: Option<String>,
}

/// A byte range of an entry's `before.bin`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Blob {
    /// Offset.
    pub offset: u64,
    /// Length.
    pub len: u64,
}

/// A fingerprint of file content: 64-bit FNV-1a and the length. Used only to recognise bytes
/// modroute itself wrote, so an accidental collision would need a same-length edit that hashes
/// alike — and undo would then restore the old file, which the backup still holds.
pub fn fingerprint(bytes: &[u8]) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{hash:016x}-{}", bytes.len())
}

/// One switch in the journal.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Entry {
    /// Sortable id (`<unix millis>-<pid>`).
    pub id: String,
    /// The profile applied.
    pub profile: String,
    /// When (seconds since the Unix epoch).
    pub created: u64,
    /// Its state.
    pub status: EntryStatus,
    /// The files it changed.
    pub files: Vec<JournalFile>,
    /// Actions that were run (for display).
    #[serde(default)]
    pub actions: Vec<Action>,
}

/// What a transaction did.
#[derive(Clone, Debug, Serialize)]
pub struct Receipt {
    /// The journal entry.
    pub entry: String,
    /// The profile applied (for undo: the one undone).
    pub profile: String,
    /// Files written.
    pub written: Vec<PathBuf>,
    /// Actions and how they went.
    pub actions: Vec<ActionOutcome>,
}

/// How an action went.
#[derive(Clone, Debug, Serialize)]
pub struct ActionOutcome {
    /// The action.
    pub action: Action,
    /// `None` when it succeeded; otherwise what happened.
    pub error: Option<String>,
}

/// The journal directory and its lock.
struct Journal {
    dir: PathBuf,
    _lock: fd_lock::RwLockWriteGuard<'static, File>,
}

impl Journal {
    fn open(env: &Env) -> Result<Journal, ApplyError> {
        let state = paths::state_dir(env).ok_or(ApplyError::NoStateDir)?;
        let dir = state.join("journal");
        create_private_dir(&dir)?;
        let lock_path = state.join("lock");
        let file = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(io(&lock_path))?;
        // The lock lives as long as the journal value; leaking one small RwLock per
        // transaction keeps the guard's lifetime simple and is freed at process exit.
        let lock: &'static mut fd_lock::RwLock<File> =
            Box::leak(Box::new(fd_lock::RwLock::new(file)));
        let guard = lock.write().map_err(io(&lock_path))?;
        Ok(Journal { dir, _lock: guard })
    }

    /// A new entry id, sortable and strictly after every existing one (the clock can step back
    /// or repeat a millisecond).
    fn next_id(&self) -> Result<String, ApplyError> {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_millis())
            .unwrap_or_default();
        let last = std::fs::read_dir(&self.dir)
            .map_err(io(&self.dir))?
            .flatten()
            .filter_map(|e| {
                e.file_name()
                    .to_str()?
                    .split('-')
                    .next()?
                    .parse::<u128>()
                    .ok()
            })
            .max()
            .unwrap_or_default();
        Ok(format!(
            "{:015}-{:07}",
            now.max(last + 1),
            std::process::id()
        ))
    }

    fn entries(&self) -> Result<Vec<(PathBuf, Entry)>, ApplyError> {
        read_entries(&self.dir).map_err(io(&self.dir))
    }

    /// Writes an entry's manifest (fsynced: a torn manifest would break undo). With `durable`,
    /// also fsyncs the directories so the entry itself survives a crash — needed before the
    /// first target is touched, not for later status updates (a pending entry is undoable).
    fn save(&self, dir: &Path, entry: &Entry, durable: bool) -> Result<(), ApplyError> {
        let bytes = serde_json::to_vec_pretty(entry).map_err(|e| ApplyError::Journal {
            path: dir.into(),
            message: e.to_string(),
        })?;
        write_atomic_in_batch(&dir.join("manifest.json"), &bytes, Mode::Private, None)?;
        if durable {
            sync_dirs([dir, self.dir.as_path()]);
        }
        Ok(())
    }

    fn prune(&self) -> Result<(), ApplyError> {
        let entries = self.entries()?;
        let excess = entries.len().saturating_sub(KEEP_ENTRIES);
        for (dir, _) in entries.into_iter().take(excess) {
            // The manifest first: an entry is undoable only while it has one, so a crash in the
            // middle leaves a manifest-less directory (swept below), never a manifest whose
            // backup is gone.
            let manifest = dir.join("manifest.json");
            std::fs::remove_file(&manifest).map_err(io(&manifest))?;
            std::fs::remove_dir_all(&dir).map_err(io(&dir))?;
        }
        // Entries a crash left before their manifest existed hold nothing undoable.
        for item in std::fs::read_dir(&self.dir)
            .map_err(io(&self.dir))?
            .flatten()
        {
            let path = item.path();
            if path.is_dir() && !path.join("manifest.json").exists() {
                let _ = std::fs::remove_dir_all(&path);
            }
        }
        Ok(())
    }
}

/// Applies `plan` as one transaction. Nothing changes if the plan has refusals or a target
/// changed since the plan was made.
pub fn apply(env: &Env, plan: &Plan) -> Result<Receipt, ApplyError> {
    if !plan.refusals.is_empty() {
        let details = plan
            .refusals
            .iter()
            .map(|r| {
                let manual = r.manual.as_deref().map(|m| {
                    format!(
                        "\n    add by hand:\n      {}",
                        m.trim_end().replace('\n', "\n      ")
                    )
                });
                format!(
                    "  {}: {}{}",
                    r.path.display(),
                    r.reason,
                    manual.unwrap_or_default()
                )
            })
            .collect::<Vec<_>>()
            .join("\n");
        return Err(ApplyError::Refused {
            count: plan.refusals.len(),
            details,
        });
    }
    let journal = Journal::open(env)?;
    // The plan was computed outside the lock: check nothing moved before writing anything.
    // Every planned file, unchanged ones included: a plan made while another switch was half
    // done can find some files already "right" for it; if they moved, it is stale.
    for change in &plan.files {
        if current_bytes(&change.real_path)? != change.before {
            return Err(ApplyError::ConcurrentEdit {
                path: change.path.clone(),
            });
        }
    }
    let id = journal.next_id()?;
    let dir = journal.dir.join(&id);
    // Temporary files of a process killed mid-switch: only ever created under this lock, so any
    // left in a target directory now is garbage.
    sweep_temporaries(plan.files.iter().filter_map(|c| c.real_path.parent()));
    create_private_dir(&dir)?;
    let changes: Vec<&FileChange> = plan.changes().collect();
    let mut entry = Entry {
        id: id.clone(),
        profile: plan.profile.clone(),
        created: now_secs(),
        status: EntryStatus::Pending,
        files: Vec::new(),
        // For display only (undo does not re-run them), and their argv carries the values:
        // the journal keeps them redacted, like every log.
        actions: plan.actions.iter().map(redacted).collect(),
    };
    // Every old file in one backup (one fsync), then the manifest: the entry is durable before
    // the first target is touched.
    let mut backup = Vec::new();
    for change in &changes {
        let before = change.before.as_ref().map(|b| {
            let blob = Blob {
                offset: backup.len() as u64,
                len: b.len() as u64,
            };
            backup.extend_from_slice(b);
            blob
        });
        entry.files.push(JournalFile {
            target: change.target,
            path: change.path.clone(),
            real_path: change.real_path.clone(),
            before,
            before_mode: file_mode(&change.real_path),
            after: change.after.as_deref().map(fingerprint),
        });
    }
    write_private(&dir.join(BACKUP_FILE), &backup)?;
    journal.save(&dir, &entry, true)?;

    // Writes first (all fsynced together, renamed in plan order), then deletions.
    let modes: Vec<Mode> = changes
        .iter()
        .map(|c| {
            if c.private {
                Mode::Private
            } else {
                Mode::KeepOr(c.new_mode)
            }
        })
        .collect();
    let writes: Vec<(&FileChange, atomic::Write<'_>)> = changes
        .iter()
        .zip(&modes)
        .filter_map(|(c, mode)| {
            let bytes = c.after.as_deref()?;
            Some((
                *c,
                atomic::Write {
                    path: &c.real_path,
                    bytes,
                    mode: *mode,
                    expected: Some(c.before.as_deref()),
                },
            ))
        })
        .collect();
    let batch: Vec<atomic::Write<'_>> = writes.iter().map(|(_, w)| *w).collect();
    let mut written: Vec<&FileChange> = Vec::new();
    let mut failure = match atomic::write_many(&batch) {
        Ok(()) => {
            written.extend(writes.iter().map(|(c, _)| *c));
            None
        }
        Err((done, e)) => {
            written.extend(writes[..done].iter().map(|(c, _)| *c));
            Some(e)
        }
    };
    if failure.is_none() {
        for change in changes.iter().filter(|c| c.after.is_none()) {
            if let Err(e) = remove_checked(&change.real_path, change.before.as_deref()) {
                failure = Some(e);
                break;
            }
            written.push(change);
        }
    }
    if let Some(e) = failure {
        rollback(&written);
        entry.status = EntryStatus::RolledBack;
        journal.save(&dir, &entry, false)?;
        return Err(e);
    }
    // The renames become durable with their directories, each synced once.
    sync_dirs(changes.iter().filter_map(|c| c.real_path.parent()));
    entry.status = EntryStatus::Applied;
    journal.save(&dir, &entry, false)?;
    journal.prune()?;

    let actions = plan.actions.iter().map(run_action).collect();
    Ok(Receipt {
        entry: id,
        profile: plan.profile.clone(),
        written: changes.iter().map(|c| c.path.clone()).collect(),
        actions,
    })
}

/// Reverts the most recent switch that is not undone yet (an interrupted one included).
pub fn undo(env: &Env) -> Result<Receipt, ApplyError> {
    let journal = Journal::open(env)?;
    let entries = journal.entries()?;
    let (dir, mut entry) = entries
        .into_iter()
        .rev()
        .find(|(_, e)| matches!(e.status, EntryStatus::Applied | EntryStatus::Pending))
        .ok_or(ApplyError::NothingToUndo)?;
    let backup_path = dir.join(BACKUP_FILE);
    let backup = std::fs::read(&backup_path).map_err(io(&backup_path))?;
    let read = |blob: Option<Blob>| -> Result<Option<Vec<u8>>, ApplyError> {
        let Some(blob) = blob else { return Ok(None) };
        let range = usize::try_from(blob.offset)
            .ok()
            .zip(usize::try_from(blob.offset + blob.len).ok());
        match range.and_then(|(start, end)| backup.get(start..end)) {
            Some(bytes) => Ok(Some(bytes.to_vec())),
            None => Err(ApplyError::Journal {
                path: backup_path.clone(),
                message: "backup is truncated".into(),
            }),
        }
    };
    // Check every file first: undo is all or nothing too.
    let mut steps = Vec::new();
    for file in &entry.files {
        let before = read(file.before)?;
        let current = current_bytes(&file.real_path)?;
        if current == before {
            continue; // never written (interrupted switch) or already restored
        }
        if current.as_deref().map(fingerprint) != file.after {
            return Err(ApplyError::EditedSince {
                path: file.path.clone(),
            });
        }
        steps.push((file, before, current));
    }
    for (done, (file, before, current)) in steps.iter().enumerate() {
        let result = match before {
            Some(bytes) => write_atomic_in_batch(
                &file.real_path,
                bytes,
                file.before_mode.map_or(Mode::KeepOr(0o644), Mode::Exact),
                Some(current.as_deref()),
            ),
            None => remove_checked(&file.real_path, current.as_deref()),
        };
        if let Err(e) = result {
            // Put back what this undo already restored, newest first.
            for (file, _, current) in steps[..done].iter().rev() {
                let _ = match current {
                    Some(bytes) => write_atomic(&file.real_path, bytes, Mode::KeepOr(0o644), None),
                    None => std::fs::remove_file(&file.real_path).map_err(io(&file.real_path)),
                };
            }
            return Err(e);
        }
    }
    sync_dirs(steps.iter().filter_map(|(f, _, _)| f.real_path.parent()));
    entry.status = EntryStatus::Undone;
    journal.save(&dir, &entry, false)?;
    Ok(Receipt {
        entry: entry.id.clone(),
        profile: entry.profile.clone(),
        written: steps.iter().map(|(f, _, _)| f.path.clone()).collect(),
        actions: Vec::new(),
    })
}

/// The journal, newest first.
pub fn history(env: &Env) -> Result<Vec<Entry>, ApplyError> {
    let journal = Journal::open(env)?;
    let mut entries: Vec<Entry> = journal.entries()?.into_iter().map(|(_, e)| e).collect();
    entries.reverse();
    Ok(entries)
}

/// What the `profile` of a doctor fix's journal entry starts with (`fix: remove_vs_code_key`):
/// such entries are undoable like any switch but do not change which profile is active.
pub const FIX_PREFIX: &str = "fix: ";

/// The profile of the newest switch that is in effect (applied, or interrupted), if any.
/// Doctor fixes in between do not count.
pub fn active_profile(env: &Env) -> Option<String> {
    // Read without the lock: a display value, and a switch in progress is pending, which counts.
    let entries = read_entries(&paths::state_dir(env)?.join("journal")).ok()?;
    let (_, newest) = entries.into_iter().rev().find(|(_, e)| {
        matches!(e.status, EntryStatus::Applied | EntryStatus::Pending)
            && !e.profile.starts_with(FIX_PREFIX)
    })?;
    Some(newest.profile)
}

/// When the newest change still in effect (a switch or a doctor fix, applied or interrupted)
/// was made, in seconds since the Unix epoch. Read without the lock and without creating the
/// state directory: the doctor only looks.
pub fn last_change_time(env: &Env) -> Option<u64> {
    let entries = read_entries(&paths::state_dir(env)?.join("journal")).ok()?;
    entries
        .iter()
        .filter(|(_, e)| matches!(e.status, EntryStatus::Applied | EntryStatus::Pending))
        .map(|(_, e)| e.created)
        .max()
}

/// The journal's entries, oldest first. An entry without a readable manifest — a crash before
/// it was written, or an older modroute's format — cannot be undone and must not block new
/// switches either, so it is skipped.
fn read_entries(dir: &Path) -> std::io::Result<Vec<(PathBuf, Entry)>> {
    let mut entries = Vec::new();
    for item in std::fs::read_dir(dir)? {
        let path = item?.path();
        let Ok(bytes) = std::fs::read(path.join("manifest.json")) else {
            continue;
        };
        let Ok(entry) = serde_json::from_slice::<Entry>(&bytes) else {
            continue;
        };
        entries.push((path, entry));
    }
    entries.sort_by(|a, b| a.1.id.cmp(&b.1.id));
    Ok(entries)
}

fn rollback(written: &[&FileChange]) {
    for change in written.iter().rev() {
        let _ = match &change.before {
            Some(bytes) => write_atomic(&change.real_path, bytes, Mode::KeepOr(0o644), None),
            None => std::fs::remove_file(&change.real_path).map_err(io(&change.real_path)),
        };
    }
}

fn run_action(action: &Action) -> ActionOutcome {
    let Action::Run { argv, optional } = action;
    let error = match argv.split_first() {
        None => Some("empty command".to_string()),
        Some((program, args)) => match std::process::Command::new(program)
            .args(args)
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .output()
        {
            Ok(out) if out.status.success() => None,
            Ok(out) => Some(String::from_utf8_lossy(&out.stderr).trim().to_string()),
            Err(e) => Some(e.to_string()),
        },
    };
    let error = if *optional {
        error.map(|e| format!("skipped: {e}"))
    } else {
        error
    };
    ActionOutcome {
        action: action.clone(),
        error,
    }
}

/// `action` with every credential in its argv masked.
fn redacted(action: &Action) -> Action {
    let Action::Run { argv, optional } = action;
    Action::Run {
        argv: argv
            .iter()
            .map(|arg| crate::redact::redact_lines(arg))
            .collect(),
        optional: *optional,
    }
}

/// The name of an entry's backup of the old bytes.
const BACKUP_FILE: &str = "before.bin";

/// Creates a new private file with `bytes`, fsynced (the entry directory is fresh, so no rename
/// is needed: without its manifest the entry does not exist yet).
fn write_private(path: &Path, bytes: &[u8]) -> Result<(), ApplyError> {
    use std::io::Write;
    let mut options = File::options();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path).map_err(io(path))?;
    file.write_all(bytes).map_err(io(path))?;
    file.sync_all().map_err(io(path))
}

fn create_private_dir(dir: &Path) -> Result<(), ApplyError> {
    std::fs::create_dir_all(dir).map_err(io(dir))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700)).map_err(io(dir))?;
    }
    Ok(())
}

fn remove_checked(path: &Path, expected: Option<&[u8]>) -> Result<(), ApplyError> {
    if current_bytes(path)?.as_deref() != expected {
        return Err(ApplyError::ConcurrentEdit {
            path: path.to_path_buf(),
        });
    }
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(ApplyError::Io {
            path: path.to_path_buf(),
            error: e,
        }),
        _ => Ok(()),
    }
}

fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default()
}

/// A file's permission bits, if it exists.
fn file_mode(path: &Path) -> Option<u32> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        std::fs::metadata(path).ok().map(|m| m.mode() & 0o7777)
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        None
    }
}

/// Deletes `.modroute-*` temporary files in each directory (called under the journal lock).
fn sweep_temporaries<'a>(dirs: impl IntoIterator<Item = &'a Path>) {
    let mut seen: Vec<&Path> = Vec::new();
    for dir in dirs {
        if seen.contains(&dir) {
            continue;
        }
        seen.push(dir);
        let Ok(items) = std::fs::read_dir(dir) else {
            continue;
        };
        for item in items.flatten() {
            let name = item.file_name();
            if name
                .to_string_lossy()
                .starts_with(crate::atomic::TEMP_PREFIX)
                && item.file_type().is_ok_and(|t| t.is_file())
            {
                let _ = std::fs::remove_file(item.path());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::{Planned, file_change};

    struct World {
        dir: tempfile::TempDir,
        env: Env,
    }

    fn world() -> World {
        let dir = tempfile::tempdir().unwrap();
        let env = Env::from_vars_on(crate::TargetOs::Unix, [("HOME", dir.path().as_os_str())]);
        World { dir, env }
    }

    fn plan_of(w: &World, files: &[(&str, Option<&[u8]>)]) -> Plan {
        let mut plan = Plan::new("p");
        for (name, after) in files {
            let path = w.dir.path().join(name);
            match file_change(TargetKind::RcFile, &path, 0o644, |_| {
                Ok(after.map(<[u8]>::to_vec))
            })
            .unwrap()
            {
                Planned::Change(c) => plan.files.push(c),
                Planned::Refused(r) => plan.refusals.push(r),
            }
        }
        plan
    }

    /// A tiny deterministic generator (xorshift) so the property runs are reproducible.
    fn bytes(seed: &mut u64, max: usize) -> Vec<u8> {
        let mut next = || {
            *seed ^= *seed << 13;
            *seed ^= *seed >> 7;
            *seed ^= *seed << 17;
            *seed
        };
        let len = (next() % max as u64) as usize;
        let alphabet = b"GOPROXY=abc\n\r\t #\"'\\$\xff\xfe\x00";
        (0..len)
            .map(|_| alphabet[(next() % alphabet.len() as u64) as usize])
            .collect()
    }

    #[test]
    fn apply_then_undo_is_the_identity_on_arbitrary_bytes() {
        let mut seed = 0x9e37_79b9_7f4a_7c15;
        for case in 0..150 {
            let w = world();
            let (a, b) = (bytes(&mut seed, 200), bytes(&mut seed, 200));
            let exists = case % 5 != 0;
            if exists {
                std::fs::write(w.dir.path().join("a"), &a).unwrap();
            }
            let delete_b = case % 7 == 0;
            std::fs::write(w.dir.path().join("b"), &b).unwrap();
            let new_a = bytes(&mut seed, 200);
            let plan = plan_of(
                &w,
                &[
                    ("a", Some(&new_a)),
                    ("b", if delete_b { None } else { Some(b"x\n") }),
                ],
            );
            apply(&w.env, &plan).unwrap();
            assert_eq!(std::fs::read(w.dir.path().join("a")).unwrap(), new_a);
            assert_eq!(w.dir.path().join("b").exists(), !delete_b);
            undo(&w.env).unwrap();
            assert_eq!(
                std::fs::read(w.dir.path().join("a")).ok(),
                exists.then_some(a),
                "case {case}"
            );
            assert_eq!(
                std::fs::read(w.dir.path().join("b")).unwrap(),
                b,
                "case {case}"
            );
        }
    }

    #[test]
    fn a_concurrent_edit_stops_the_transaction_before_anything_is_written() {
        let w = world();
        std::fs::write(w.dir.path().join("a"), "old\n").unwrap();
        std::fs::write(w.dir.path().join("b"), "old\n").unwrap();
        let plan = plan_of(&w, &[("a", Some(b"new\n")), ("b", Some(b"new\n"))]);
        std::fs::write(w.dir.path().join("b"), "edited meanwhile\n").unwrap();
        let err = apply(&w.env, &plan).unwrap_err();
        assert!(
            matches!(err, ApplyError::ConcurrentEdit { ref path } if path.ends_with("b")),
            "{err}"
        );
        assert_eq!(
            std::fs::read_to_string(w.dir.path().join("a")).unwrap(),
            "old\n"
        );
        assert_eq!(
            std::fs::read_to_string(w.dir.path().join("b")).unwrap(),
            "edited meanwhile\n"
        );
        assert!(matches!(undo(&w.env), Err(ApplyError::NothingToUndo)));
    }

    #[test]
    fn a_failing_step_rolls_back_the_files_already_written() {
        let w = world();
        std::fs::write(w.dir.path().join("a"), "old a\n").unwrap();
        // `dangling` is a symlink to nowhere: reading `dangling/c` says "not found" (so the
        // pre-write check passes) but its directory cannot be created, so the second write fails
        // after `a` was written.
        std::os::unix::fs::symlink("/nonexistent/modroute-test", w.dir.path().join("dangling"))
            .unwrap();
        let mut plan = plan_of(&w, &[("a", Some(b"new a\n"))]);
        let mut bad = plan.files[0].clone();
        bad.path = w.dir.path().join("dangling/c");
        bad.real_path = bad.path.clone();
        bad.before = None;
        plan.files.push(bad);
        assert!(matches!(apply(&w.env, &plan), Err(ApplyError::Io { .. })));
        assert_eq!(
            std::fs::read_to_string(w.dir.path().join("a")).unwrap(),
            "old a\n"
        );
        let history = history(&w.env).unwrap();
        assert_eq!(history[0].status, EntryStatus::RolledBack);
        assert!(matches!(undo(&w.env), Err(ApplyError::NothingToUndo)));
    }

    #[test]
    fn undo_refuses_to_overwrite_later_edits() {
        let w = world();
        std::fs::write(w.dir.path().join("a"), "old\n").unwrap();
        apply(&w.env, &plan_of(&w, &[("a", Some(b"new\n"))])).unwrap();
        std::fs::write(w.dir.path().join("a"), "new\nmy own line\n").unwrap();
        assert!(matches!(undo(&w.env), Err(ApplyError::EditedSince { .. })));
        assert_eq!(
            std::fs::read_to_string(w.dir.path().join("a")).unwrap(),
            "new\nmy own line\n"
        );
    }

    #[test]
    fn undo_walks_back_through_several_switches_and_tracks_the_active_profile() {
        let w = world();
        std::fs::write(w.dir.path().join("a"), "0\n").unwrap();
        for (n, profile) in ["one", "two", "three"].iter().enumerate() {
            let mut plan = plan_of(&w, &[("a", Some(format!("{}\n", n + 1).as_bytes()))]);
            plan.profile = profile.to_string();
            apply(&w.env, &plan).unwrap();
        }
        assert_eq!(active_profile(&w.env).as_deref(), Some("three"));
        undo(&w.env).unwrap();
        assert_eq!(active_profile(&w.env).as_deref(), Some("two"));
        undo(&w.env).unwrap();
        undo(&w.env).unwrap();
        assert_eq!(
            std::fs::read_to_string(w.dir.path().join("a")).unwrap(),
            "0\n"
        );
        assert_eq!(active_profile(&w.env), None);
    }

    #[test]
    fn a_file_made_private_by_a_switch_gets_its_old_mode_back_on_undo() {
        use std::os::unix::fs::PermissionsExt;
        let w = world();
        let path = w.dir.path().join("env");
        std::fs::write(&path, "GOPROXY=https://mirror.example\n").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        let plan = plan_of(
            &w,
            &[("env", Some(b"GOPROXY=https://u:pw@athens.example\n"))],
        );
        apply(&w.env, &plan).unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&path), 0o600, "a password makes the file private");
        undo(&w.env).unwrap();
        assert_eq!(mode(&path), 0o644);
    }

    #[test]
    fn symlinks_stay_symlinks_and_modes_are_kept() {
        use std::os::unix::fs::PermissionsExt;
        let w = world();
        let repo = w.dir.path().join("dotfiles");
        std::fs::create_dir_all(&repo).unwrap();
        std::fs::write(repo.join("bashrc"), "mine\n").unwrap();
        std::fs::set_permissions(repo.join("bashrc"), std::fs::Permissions::from_mode(0o640))
            .unwrap();
        std::os::unix::fs::symlink(repo.join("bashrc"), w.dir.path().join(".bashrc")).unwrap();
        apply(&w.env, &plan_of(&w, &[(".bashrc", Some(b"mine\nblock\n"))])).unwrap();
        assert!(
            std::fs::symlink_metadata(w.dir.path().join(".bashrc"))
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(
            std::fs::read_to_string(repo.join("bashrc")).unwrap(),
            "mine\nblock\n"
        );
        assert_eq!(
            std::fs::metadata(repo.join("bashrc"))
                .unwrap()
                .permissions()
                .mode()
                & 0o777,
            0o640
        );
        undo(&w.env).unwrap();
        assert_eq!(
            std::fs::read_to_string(repo.join("bashrc")).unwrap(),
            "mine\n"
        );
    }

    #[test]
    fn the_journal_is_bounded() {
        let w = world();
        for n in 0..(KEEP_ENTRIES + 5) {
            apply(
                &w.env,
                &plan_of(&w, &[("a", Some(n.to_string().as_bytes()))]),
            )
            .unwrap();
        }
        assert_eq!(history(&w.env).unwrap().len(), KEEP_ENTRIES);
    }

    #[test]
    fn plans_with_refusals_do_not_apply() {
        use std::os::unix::fs::PermissionsExt;
        let w = world();
        std::fs::write(w.dir.path().join("ro"), "x\n").unwrap();
        std::fs::set_permissions(
            w.dir.path().join("ro"),
            std::fs::Permissions::from_mode(0o444),
        )
        .unwrap();
        std::fs::write(w.dir.path().join("a"), "old\n").unwrap();
        let plan = plan_of(&w, &[("a", Some(b"new\n")), ("ro", Some(b"y\n"))]);
        let err = apply(&w.env, &plan).unwrap_err().to_string();
        assert!(
            err.contains("read-only") && err.contains("add by hand"),
            "{err}"
        );
        assert_eq!(
            std::fs::read_to_string(w.dir.path().join("a")).unwrap(),
            "old\n"
        );
    }
}
