//! The one error type that crosses IPC.
//!
//! Every command returns `Result<T, IpcError>`, and the UI receives the error as
//! `{ "code": "<snake_case code>", "message": "<human text>" }` — never a bare string, so the UI
//! can branch on `code` without matching message text. Add an [`ErrorCode`] variant only when the
//! UI needs to tell that case apart. Messages are redacted like every other output.

use modroute_core::apply::ApplyError;
use modroute_core::plan::PlanError;
use modroute_core::profile::{LoadError, SaveError};
use serde::ser::{Serialize, SerializeStruct, Serializer};

/// Why a command failed, as the UI sees it: a stable, machine-readable code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ErrorCode {
    /// The profiles file or a profile is invalid (the message names file:line:column).
    InvalidProfile,
    /// A target cannot be written (read-only, Nix-managed, broken markers); nothing changed.
    Refused,
    /// A file changed while the switch was being made; nothing changed.
    ConcurrentEdit,
    /// Undo would overwrite an edit made after the switch; nothing changed.
    EditedSince,
    /// The journal has nothing to undo.
    NothingToUndo,
    /// No such profile.
    NotFound,
    /// A file or other I/O operation failed.
    Io,
    /// A bug or an unexpected failure inside the app (for example a panicked worker thread).
    Internal,
}

/// A failed command. Serialises as `{ "code", "message" }`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct IpcError {
    /// The code the UI branches on.
    pub code: ErrorCode,
    /// What happened, for people.
    pub message: String,
}

impl IpcError {
    /// An error with a code and a message.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        IpcError {
            code,
            message: modroute_core::redact::redact_lines(&message.into()),
        }
    }

    /// An unexpected failure inside the app.
    pub fn internal(message: impl std::fmt::Display) -> Self {
        IpcError::new(ErrorCode::Internal, format!("internal error: {message}"))
    }
}

impl From<std::io::Error> for IpcError {
    fn from(err: std::io::Error) -> Self {
        IpcError::new(ErrorCode::Io, err.to_string())
    }
}

impl From<LoadError> for IpcError {
    fn from(err: LoadError) -> Self {
        let code = match err {
            LoadError::Read { .. } => ErrorCode::Io,
            _ => ErrorCode::InvalidProfile,
        };
        IpcError::new(code, err.to_string())
    }
}

impl From<PlanError> for IpcError {
    fn from(err: PlanError) -> Self {
        let code = match err {
            PlanError::Unusable { .. } => ErrorCode::InvalidProfile,
            PlanError::Read { .. } => ErrorCode::Io,
            _ => ErrorCode::Refused,
        };
        IpcError::new(code, err.to_string())
    }
}

impl From<ApplyError> for IpcError {
    fn from(err: ApplyError) -> Self {
        let code = match err {
            ApplyError::Refused { .. } => ErrorCode::Refused,
            ApplyError::ConcurrentEdit { .. } => ErrorCode::ConcurrentEdit,
            ApplyError::EditedSince { .. } => ErrorCode::EditedSince,
            ApplyError::NothingToUndo => ErrorCode::NothingToUndo,
            _ => ErrorCode::Io,
        };
        IpcError::new(code, err.to_string())
    }
}

impl From<modroute_core::targets::TargetsError> for IpcError {
    fn from(err: modroute_core::targets::TargetsError) -> Self {
        use modroute_core::targets::TargetsError;
        let code = match err {
            TargetsError::Invalid { .. } | TargetsError::Rejected(_) => ErrorCode::Refused,
            _ => ErrorCode::Io,
        };
        IpcError::new(code, err.to_string())
    }
}

impl From<SaveError> for IpcError {
    fn from(err: SaveError) -> Self {
        match err {
            SaveError::Load(e) => e.into(),
            SaveError::Write(e) => e.into(),
            SaveError::Invalid(m) => IpcError::new(ErrorCode::InvalidProfile, m),
            other => IpcError::new(ErrorCode::Io, other.to_string()),
        }
    }
}

impl From<modroute_core::export::ExportError> for IpcError {
    fn from(err: modroute_core::export::ExportError) -> Self {
        use modroute_core::export::ExportError;
        match err {
            ExportError::Load(e) => e.into(),
            ExportError::Unknown { .. } => IpcError::new(ErrorCode::NotFound, err.to_string()),
            ExportError::Unusable { .. } | ExportError::Render(_) => {
                IpcError::new(ErrorCode::InvalidProfile, err.to_string())
            }
        }
    }
}

impl Serialize for IpcError {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("IpcError", 2)?;
        s.serialize_field("code", &self.code)?;
        s.serialize_field("message", &self.message)?;
        s.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn internal_error_crosses_ipc_as_code_and_message() {
        let err = IpcError::internal("worker thread panicked");
        assert_eq!(
            serde_json::to_value(&err).unwrap(),
            json!({ "code": "internal", "message": "internal error: worker thread panicked" })
        );
    }

    #[test]
    fn io_error_keeps_the_os_message() {
        let err = IpcError::from(std::io::Error::new(
            std::io::ErrorKind::PermissionDenied,
            "permission denied",
        ));
        assert_eq!(
            serde_json::to_value(&err).unwrap(),
            json!({ "code": "io", "message": "permission denied" })
        );
    }

    #[test]
    fn core_errors_get_the_codes_the_ui_branches_on() {
        assert_eq!(
            IpcError::from(ApplyError::NothingToUndo).code,
            ErrorCode::NothingToUndo
        );
        let edited = ApplyError::EditedSince {
            path: "/h/.bashrc".into(),
        };
        assert_eq!(IpcError::from(edited).code, ErrorCode::EditedSince);
        let unusable = PlanError::Unusable {
            id: "corporate".into(),
            problems: vec!["template".into()],
        };
        assert_eq!(IpcError::from(unusable).code, ErrorCode::InvalidProfile);
        assert_eq!(
            serde_json::to_value(ErrorCode::ConcurrentEdit).unwrap(),
            json!("concurrent_edit")
        );
    }

    #[test]
    fn messages_never_carry_passwords() {
        let err = IpcError::new(
            ErrorCode::Refused,
            "cannot write HTTPS_PROXY=http://u:hunter2@p:1",
        );
        assert!(!serde_json::to_string(&err).unwrap().contains("hunter2"));
    }
}
