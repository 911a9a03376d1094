//! Atomic, owner- and mode-preserving file writes — the only way modroute writes a file.
//!
//! The new bytes go to a temporary file in the target's own directory, are fsynced and given the
//! old file's owner and the requested [`Mode`]; a last check can require that the target still
//! holds the bytes the caller planned from (no lost concurrent edit); then a rename replaces the
//! target in one step and the directory is fsynced. Readers see the old file or the new one,
//! never a mixture, even if the process is killed.

use std::fs::File;
use std::io::Write;
use std::path::Path;

use crate::apply::ApplyError;

/// The permission bits a written file gets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// The old file's mode, or these bits for a new file.
    KeepOr(u32),
    /// 0600, whatever the old mode: the content holds a credential.
    Private,
}

/// Writes `bytes` to `path` atomically: a temporary file in the same directory, fsync, the old
/// file's owner and the [`Mode`], a last check that the file still holds `expected` (when
/// given), rename, fsync of the directory.
pub fn write_atomic(
    path: &Path,
    bytes: &[u8],
    mode: Mode,
    expected: Option<Option<&[u8]>>,
) -> Result<(), ApplyError> {
    let parent = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent).map_err(io(parent))?;
    let old_meta = std::fs::metadata(path).ok();
    let mut tmp = tempfile::Builder::new()
        .prefix(".modroute-")
        .tempfile_in(parent)
        .map_err(io(parent))?;
    tmp.write_all(bytes).map_err(io(path))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::{MetadataExt, PermissionsExt};
        let mode = match mode {
            Mode::Private => 0o600,
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
    let _ = (mode, &old_meta);
    tmp.as_file().sync_all().map_err(io(path))?;
    if let Some(expected) = expected
        && current_bytes(path)?.as_deref() != expected
    {
        return Err(ApplyError::ConcurrentEdit {
            path: path.to_path_buf(),
        });
    }
    tmp.persist(path).map_err(|e| ApplyError::Io {
        path: path.to_path_buf(),
        source: e.error,
    })?;
    #[cfg(unix)]
    if let Ok(dir) = File::open(parent) {
        let _ = dir.sync_all();
    }
    Ok(())
}

/// A file's bytes, `None` when it does not exist.
pub fn current_bytes(path: &Path) -> Result<Option<Vec<u8>>, ApplyError> {
    match std::fs::read(path) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(ApplyError::Io {
            path: path.to_path_buf(),
            source: e,
        }),
    }
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> ApplyError + '_ {
    move |source| ApplyError::Io {
        path: path.to_path_buf(),
        source,
    }
}
