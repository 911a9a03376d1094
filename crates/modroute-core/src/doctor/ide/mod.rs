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
    /// The file does not parse, or holds something where a switch must write, at a known place
    /// (1-based line and column). Shown after the file name: `settings.json:3:5: …`.
    #[error("{line}:{column}: {message}")]
    At {
        /// 1-based line.
        line: usize,
        /// 1-based column (in characters).
        column: usize,
        /// What is wrong.
        message: String,
    },
}

/// The 1-based line and column (in characters) of byte `offset` in `text`.
pub(crate) fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let end = floor_char_boundary(text, offset.min(text.len()));
    let line_start = text[..end].rfind('\n').map_or(0, |i| i + 1);
    (
        line_of(text, end),
        text[line_start..end].chars().count() + 1,
    )
}

fn floor_char_boundary(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// Whether a variable name is one of the settings modroute switches, in any spelling
/// (`GOPROXY`, `HTTPS_PROXY`, `https_proxy` …). These keys are modroute's in an IDE's
/// environment: a switch sets the ones its profile names and removes the others. Every other
/// key (`CGO_ENABLED`, `GOOS`, `GOPATH` …) is the user's and is never touched.
pub fn is_managed_var(var: &str) -> bool {
    setting_of(var).is_some()
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
