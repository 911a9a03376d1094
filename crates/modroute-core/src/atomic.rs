//! Atomic, owner- and mode-preserving file writes — the only way modroute writes a file.
//!
//! The new bytes go to a temporary file in the target's own directory, are fsynced and given the
//! old file's owner and the requested [`Mode`]; a last check can require that the target still
//! holds the bytes the caller planned from (no lost concurrent edit); then a rename replaces the
//! target in one step and the directory is fsynced. Readers see the old file or the new one,
//! never a mixture, even if the process is killed.

use std::fs::File;
use std::io::Write as _;
use std::path::Path;

use crate::apply::ApplyError;

/// What every temporary file modroute creates starts with (so a crash's leftovers can be
/// recognised and swept).
pub const TEMP_PREFIX: &str = ".modroute-";

/// The permission bits a written file gets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// The old file's mode, or these bits for a new file.
    KeepOr(u32),
    /// 0600, whatever the old mode: the content holds a credential.
    Private,
    /// Exactly these bits (undo restoring a file's old mode).
    Exact(u32),
}

/// Writes `bytes` to `path` atomically: a temporary file in the same directory, fsync, the old
/// file's owner and the [`Mode`], a last check that the file still holds `expected` (when
/// given), rename. The directory is not fsynced: a transaction writing many files syncs each
/// directory once at the end ([`sync_dirs`]).
pub fn write_atomic_in_batch(
    path: &Path,
    bytes: &[u8],
    mode: Mode,
    expected: Option<Option<&[u8]>>,
) -> Result<(), ApplyError> {
    write_many(&[Write {
        path,
        bytes,
        mode,
        expected,
    }])
    .map_err(|(_, e)| e)
}

/// One file of a [`write_many`] batch.
#[derive(Clone, Copy, Debug)]
pub struct Write<'a> {
    /// The file (symlinks already resolved by the caller).
    pub path: &'a Path,
    /// The new content.
    pub bytes: &'a [u8],
    /// Its permission bits.
    pub mode: Mode,
    /// When given, the content the file must still hold right before the rename.
    pub expected: Option<Option<&'a [u8]>>,
}

/// Writes several files atomically, in order. Every temporary file is written and fsynced first,
/// then each is checked and renamed over its target in order — so a failure before the first
/// rename changes nothing. (Fsyncing from several threads was measured slower here.) On an
/// error, returns how many targets were already replaced (the caller rolls those back); the
/// remaining temporary files are deleted. Directories are not fsynced ([`sync_dirs`]).
pub fn write_many(writes: &[Write<'_>]) -> Result<(), (usize, ApplyError)> {
    let prepared = writes
        .iter()
        .map(prepare)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| (0, e))?;
    for (write, tmp) in writes.iter().zip(&prepared) {
        tmp.as_file().sync_all().map_err(|e| {
            (
                0,
                ApplyError::Io {
                    path: write.path.to_path_buf(),
                    error: e,
                },
            )
        })?;
    }
    for (done, (write, tmp)) in writes.iter().zip(prepared).enumerate() {
        if let Some(expected) = write.expected
            && current_bytes(write.path).map_err(|e| (done, e))?.as_deref() != expected
        {
            return Err((
                done,
                ApplyError::ConcurrentEdit {
                    path: write.path.to_path_buf(),
                },
            ));
        }
        tmp.persist(write.path).map_err(|e| {
            (
                done,
                ApplyError::Io {
                    path: write.path.to_path_buf(),
                    error: e.error,
                },
            )
        })?;
    }
    Ok(())
}

/// The temporary file for one write: created beside the target, filled, given its mode and the
/// old file's owner — not yet synced or renamed.
fn prepare(write: &Write<'_>) -> Result<tempfile::NamedTempFile, ApplyError> {
    let path = write.path;
    let parent = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent).map_err(io(parent))?;
    let old_meta = std::fs::metadata(path).ok();
    let mut tmp = tempfile::Builder::new()
        .prefix(TEMP_PREFIX)
        .tempfile_in(parent)
        .map_err(io(parent))?;
    tmp.write_all(write.bytes).map_err(io(path))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::{MetadataExt, PermissionsExt};
        let mode = match write.mode {
            Mode::Private => 0o600,
            Mode::Exact(bits) => bits,
            Mode::KeepOr(new) => old_meta.as_ref().map_or(new, |m| m.mode() & 0o7777),
        };
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(mode))
            .map_err(io(path))?;
        if let Some(meta) = &old_meta {
            // Keep the owner when running as someone else (e.g. root fixing a user's file);
            // a plain user cannot change it and does not need to.
            let _ = std::os::unix::fs::fchown(tmp.as_file(), Some(meta.uid()), Some(meta.gid()));
        }
    }
    #[cfg(not(unix))]
    let _ = &old_meta;
    Ok(tmp)
}

/// [`write_atomic_in_batch`] for a single file: also fsyncs the directory, so the rename itself
/// is durable when this returns.
pub fn write_atomic(
    path: &Path,
    bytes: &[u8],
    mode: Mode,
    expected: Option<Option<&[u8]>>,
) -> Result<(), ApplyError> {
    write_atomic_in_batch(path, bytes, mode, expected)?;
    sync_dirs(path.parent());
    Ok(())
}

/// Fsyncs each distinct directory once, making the renames inside them durable. Best effort:
/// a directory that cannot be opened for syncing (some file systems) is skipped.
pub fn sync_dirs<'a>(dirs: impl IntoIterator<Item = &'a Path>) {
    let mut seen: Vec<&Path> = Vec::new();
    for dir in dirs {
        if !seen.contains(&dir) {
            seen.push(dir);
        }
    }
    for dir in seen {
        #[cfg(unix)]
        if let Ok(handle) = File::open(dir) {
            let _ = handle.sync_all();
        }
    }
}

/// A file's bytes, `None` when it does not exist.
pub fn current_bytes(path: &Path) -> Result<Option<Vec<u8>>, ApplyError> {
    match std::fs::read(path) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(ApplyError::Io {
            path: path.to_path_buf(),
            error: e,
        }),
    }
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> ApplyError + '_ {
    move |error| ApplyError::Io {
        path: path.to_path_buf(),
        error,
    }
}
