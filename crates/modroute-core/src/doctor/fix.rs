//! Turning a [`Fix`] into an ordinary [`Plan`]: the same preview (diff), refusals (read-only and
//! Nix-managed files) and journaled, undoable [`crate::apply::apply`] as a profile switch.
//!
//! A fix names its target precisely (file and line, key path); the plan re-reads the file and
//! refuses when the target is no longer there, so a stale finding never edits the wrong line.

use std::path::{Path, PathBuf};

use super::Fix;
use super::ide::{goland, vscode};
use crate::env::Env;
use crate::goenv::{self, GoEnvFile, Location};
use crate::plan::{self, Plan, PlanError, Refusal, TargetKind};
use crate::setting::{Setting, SettingKind};
use crate::{apply, goroot, shadow};

/// The fix's kind as the journal and the plan name it (`remove_vs_code_key`).
pub fn kind(fix: &Fix) -> &'static str {
    match fix {
        Fix::SetGoEnv { .. } => "set_go_env",
        Fix::UnsetGoEnv { .. } => "unset_go_env",
        Fix::NormalizeGoEnv => "normalize_go_env",
        Fix::CommentOutShadow { .. } => "comment_out_shadow",
        Fix::RemoveVsCodeKey { .. } => "remove_vs_code_key",
        Fix::RemoveGoLandEnv { .. } => "remove_go_land_env",
        Fix::SetGitProxy { .. } => "set_git_proxy",
    }
}

/// Plans `fix`. The plan's `profile` is `fix: <kind>` ([`apply::FIX_PREFIX`]).
pub fn plan(env: &Env, fix: &Fix) -> Result<Plan, PlanError> {
    let mut plan = Plan::new(format!("{}{}", apply::FIX_PREFIX, kind(fix)));
    match fix {
        Fix::SetGoEnv { var, value } => {
            if let Some(setting) = Setting::from_name(var) {
                if setting.kind() == SettingKind::Network {
                    return Err(PlanError::Value(format!(
                        "{var} in the go env file has no effect: Go reads it from the OS environment only"
                    )));
                }
                crate::validate::check(setting, value)
                    .map_err(|e| PlanError::Value(format!("{var}: {e}")))?;
            }
            go_env(env, &mut plan, |file| {
                file.set(var, value)
                    .map_err(|e| PlanError::Value(e.to_string()))
            })?;
        }
        Fix::UnsetGoEnv { var } => {
            go_env(env, &mut plan, |file| {
                file.unset(var);
                Ok(())
            })?;
        }
        Fix::NormalizeGoEnv => {
            go_env(env, &mut plan, |file| {
                *file = file.normalized();
                Ok(())
            })?;
        }
        Fix::CommentOutShadow { file, line } => {
            let target = if file
                .parent()
                .and_then(Path::file_name)
                .is_some_and(|n| n == "environment.d")
            {
                TargetKind::Session
            } else {
                TargetKind::RcFile
            };
            edit(&mut plan, target, file, |bytes| {
                let assigns = shadow::find_any(bytes, file)
                    .iter()
                    .any(|s| s.line == *line);
                if !assigns {
                    return Err(PlanError::Value(format!(
                        "line {line} of {} assigns none of the settings modroute manages (any more); nothing to comment out",
                        file.display()
                    )));
                }
                Ok(shadow::comment_out(bytes, &[*line]))
            })?;
        }
        Fix::RemoveVsCodeKey { file, key_path } => {
            require_name(file, "settings.json")?;
            edit(&mut plan, TargetKind::Vscode, file, |bytes| {
                let text = utf8(file, bytes)?;
                vscode::remove_key(text, key_path)
                    .map(String::into_bytes)
                    .map_err(|e| PlanError::Value(format!("{}: {e}", file.display())))
            })?;
        }
        Fix::SetGitProxy { value } => {
            if let Some(value) = value {
                crate::validate::check(Setting::HttpsProxy, value)
                    .map_err(|e| PlanError::Value(format!("http.proxy: {e}")))?;
            }
            crate::gitconfig::plan_global_proxy(env, value.as_deref(), &mut plan)?;
        }
        Fix::RemoveGoLandEnv { file, var, line } => {
            require_name(file, "workspace.xml")?;
            edit(&mut plan, TargetKind::Goland, file, |bytes| {
                let text = utf8(file, bytes)?;
                goland::remove_entry(text, var, *line)
                    .map(String::into_bytes)
                    .map_err(|e| PlanError::Value(format!("{}: {e}", file.display())))
            })?;
        }
    }
    Ok(plan)
}

fn require_name(file: &Path, name: &str) -> Result<(), PlanError> {
    if file.is_absolute() && file.file_name().is_some_and(|n| n == name) {
        Ok(())
    } else {
        Err(PlanError::Value(format!(
            "{} is not an absolute path to a {name}",
            file.display()
        )))
    }
}

fn utf8<'a>(file: &Path, bytes: &'a [u8]) -> Result<&'a str, PlanError> {
    std::str::from_utf8(bytes).map_err(|e| {
        PlanError::Value(format!(
            "{}: not UTF-8 (byte {})",
            file.display(),
            e.valid_up_to()
        ))
    })
}

/// An existing file, edited by `change`.
fn edit(
    plan: &mut Plan,
    target: TargetKind,
    file: &Path,
    change: impl FnOnce(&[u8]) -> Result<Vec<u8>, PlanError>,
) -> Result<(), PlanError> {
    if !file.is_absolute() {
        return Err(PlanError::Value(format!(
            "{} is not an absolute path",
            file.display()
        )));
    }
    let planned = plan::file_change(target, file, 0o644, |before| match before {
        Some(bytes) => change(bytes).map(Some),
        None => Err(PlanError::Value(format!(
            "{} does not exist (any more)",
            file.display()
        ))),
    })?;
    plan::push(plan, planned);
    Ok(())
}

/// The go env file, edited through the lossless codec.
fn go_env(
    env: &Env,
    plan: &mut Plan,
    change: impl FnOnce(&mut GoEnvFile) -> Result<(), PlanError>,
) -> Result<(), PlanError> {
    let version = goroot::find_toolchain(env).and_then(|t| t.version);
    let path = match goenv::locate(env, version) {
        Location::File { path, .. } => path,
        Location::Off => {
            plan.refusals.push(Refusal {
                target: TargetKind::GoEnv,
                path: PathBuf::from("GOENV=off"),
                reason: "GOENV=off: go reads no go env file, so it cannot be changed there".into(),
                manual: Some("unset GOENV, or point it at a file (GOENV=/path/to/env)".into()),
            });
            return Ok(());
        }
        Location::Unknown { reason } => {
            return Err(PlanError::Value(format!(
                "cannot locate the go env file: {reason}"
            )));
        }
    };
    let planned = plan::file_change(TargetKind::GoEnv, &path, 0o644, |before| {
        let mut file = GoEnvFile::parse(before.unwrap_or_default());
        change(&mut file)?;
        let bytes = file.to_bytes();
        // Removing from a file that does not exist creates nothing.
        Ok((before.is_some() || !bytes.is_empty()).then_some(bytes))
    })?;
    plan::push(plan, planned);
    Ok(())
}
