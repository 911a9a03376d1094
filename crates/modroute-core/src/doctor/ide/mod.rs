//! IDE and project files that set Go settings for the tools an IDE starts: VS Code's
//! `settings.json` ([`vscode`]), GoLand's `.idea/workspace.xml` ([`goland`]) and direnv's
//! `.envrc` ([`direnv`]). Each module reads its file with positions (1-based lines) and, where a
//! doctor fix can remove an entry, edits it keeping every other byte.

pub mod direnv;
pub mod goland;
pub mod vscode;

/// Why an IDE file could not be edited.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EditError {
    /// The file does not parse.
    #[error("cannot parse: {0}")]
    Parse(String),
    /// The entry to remove is not there (any more).
    #[error("{0} is not in the file (any more)")]
    NotFound(String),
    /// The parser would not reproduce the file byte for byte, so an edit could damage it.
    #[error("the file cannot be edited without changing other bytes; edit it by hand")]
    NotLossless,
}

/// The 1-based line of byte `offset` in `text`.
pub(crate) fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// The setting a variable name stands for (`https_proxy` → HTTPS_PROXY), if any.
pub(crate) fn setting_of(var: &str) -> Option<crate::Setting> {
    crate::Setting::ALL
        .into_iter()
        .find(|s| s.env_names().contains(&var))
}
