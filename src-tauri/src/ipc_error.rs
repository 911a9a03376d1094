//! The one error type that crosses IPC.
//!
//! Every command returns `Result<T, IpcError>`, and the UI receives the error as
//! `{ "code": "<snake_case code>", "message": "<human text>" }` — never a bare string, so the UI
//! can branch on `code` without matching message text. Add a [`ErrorCode`] variant only when the
//! UI needs to tell that case apart.

use serde::ser::{Serialize, SerializeStruct, Serializer};

/// Why a command failed, as the UI sees it: a stable, machine-readable code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ErrorCode {
    /// A file or other I/O operation failed.
    Io,
    /// A bug or an unexpected failure inside the app (for example a panicked worker thread).
    Internal,
}

/// A failed command. Serialises as `{ "code", "message" }`.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum IpcError {
    /// A file or other I/O operation failed.
    #[error(transparent)]
    Io(#[from] std::io::Error),
    /// An unexpected failure inside the app; the text says what.
    #[error("internal error: {0}")]
    Internal(String),
}

impl IpcError {
    /// The code the UI branches on.
    pub fn code(&self) -> ErrorCode {
        match self {
            IpcError::Io(_) => ErrorCode::Io,
            IpcError::Internal(_) => ErrorCode::Internal,
        }
    }
}

impl Serialize for IpcError {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("IpcError", 2)?;
        s.serialize_field("code", &self.code())?;
        s.serialize_field("message", &self.to_string())?;
        s.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn internal_error_crosses_ipc_as_code_and_message() {
        let err = IpcError::Internal("worker thread panicked".into());
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
    fn codes_are_snake_case_strings() {
        assert_eq!(serde_json::to_value(ErrorCode::Io).unwrap(), json!("io"));
        assert_eq!(
            serde_json::to_value(ErrorCode::Internal).unwrap(),
            json!("internal")
        );
    }
}
