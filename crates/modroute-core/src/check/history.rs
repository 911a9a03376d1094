//! A small, bounded store of past checks (`<state>/health.json`), for the app's history chart and
//! the tray's health colour. Everything in it is already redacted.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::Report;
use crate::atomic::{self, Mode};
use crate::env::Env;
use crate::paths;

/// Runs kept; older ones are dropped.
pub const MAX_RUNS: usize = 200;

/// Past checks, newest first.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct History {
    /// The runs, newest first.
    pub runs: Vec<HistoryRun>,
}

/// One past check, summarised.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryRun {
    /// Unix seconds.
    pub checked_at: u64,
    /// The profile checked (`None`: the effective settings).
    pub profile: Option<String>,
    /// The route's verdict.
    pub healthy: bool,
    /// Wall time of the check.
    pub elapsed_ms: u64,
    /// Per endpoint.
    pub results: Vec<HistoryResult>,
}

/// One endpoint of a past check.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryResult {
    /// The endpoint (redacted).
    pub endpoint: String,
    /// `goproxy`, `sumdb`, `http_proxy`.
    pub kind: String,
    /// The outcome's name.
    pub outcome: String,
    /// The median of its samples.
    pub median_ms: Option<u64>,
}

/// The latest verdict on a route, for the tray and the sidebar.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct HealthState {
    /// The profile checked.
    pub profile: Option<String>,
    /// The verdict.
    pub healthy: bool,
    /// Unix seconds.
    pub checked_at: u64,
    /// Endpoints that are not healthy (redacted).
    pub failing: Vec<String>,
}

impl HealthState {
    /// The state a report leaves.
    pub fn from_report(report: &Report) -> Self {
        HealthState {
            profile: report.profile.clone(),
            healthy: report.healthy,
            checked_at: report.checked_at,
            failing: report
                .results
                .iter()
                .filter(|r| !r.outcome.is_healthy() && r.outcome != super::Outcome::NotFound)
                .map(|r| r.endpoint.clone())
                .collect(),
        }
    }
}

/// Reading or writing the history failed.
#[derive(Debug, thiserror::Error)]
pub enum HistoryError {
    /// No state directory (no HOME).
    #[error("cannot determine modroute's state directory (is HOME set?)")]
    NoStateDir,
    /// The file is not what modroute writes.
    #[error("{path}:{line}:{column}: not a modroute health history: {message}")]
    Malformed {
        /// The file.
        path: PathBuf,
        /// 1-based.
        line: usize,
        /// 1-based.
        column: usize,
        /// serde's words.
        message: String,
    },
    /// An I/O error.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The error.
        source: std::io::Error,
    },
    /// Writing failed.
    #[error(transparent)]
    Write(#[from] crate::apply::ApplyError),
}

fn file(env: &Env) -> Result<PathBuf, HistoryError> {
    Ok(paths::state_dir(env)
        .ok_or(HistoryError::NoStateDir)?
        .join("health.json"))
}

/// The stored history (empty when there is none yet).
pub fn load_history(env: &Env) -> Result<History, HistoryError> {
    let path = file(env)?;
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(History::default()),
        Err(source) => return Err(HistoryError::Io { path, source }),
    };
    serde_json::from_slice(&bytes).map_err(|e| HistoryError::Malformed {
        line: e.line(),
        column: e.column(),
        message: e.to_string(),
        path,
    })
}

/// Adds a report to the history (newest first, at most [`MAX_RUNS`]) and returns it. A history
/// file modroute cannot read is an error, and is left as it is.
pub fn record(env: &Env, report: &Report) -> Result<History, HistoryError> {
    let path = file(env)?;
    let mut history = load_history(env)?;
    history.runs.insert(
        0,
        HistoryRun {
            checked_at: report.checked_at,
            profile: report.profile.clone(),
            healthy: report.healthy,
            elapsed_ms: report.elapsed_ms,
            results: report
                .results
                .iter()
                .map(|r| HistoryResult {
                    endpoint: r.endpoint.clone(),
                    kind: serde_json::to_value(r.kind)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_string))
                        .unwrap_or_default(),
                    outcome: r.outcome.name().to_string(),
                    median_ms: r.median_ms,
                })
                .collect(),
        },
    );
    history.runs.truncate(MAX_RUNS);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|source| HistoryError::Io {
            path: dir.to_path_buf(),
            source,
        })?;
    }
    let bytes = serde_json::to_vec(&history).expect("the history serialises");
    atomic::write_atomic(&path, &bytes, Mode::KeepOr(0o600), None)?;
    Ok(history)
}
