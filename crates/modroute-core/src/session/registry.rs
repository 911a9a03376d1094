//! Windows: user environment variables in `HKCU\Environment`, then a `WM_SETTINGCHANGE`
//! broadcast (lParam `"Environment"`) so Explorer builds fresh environments for programs it
//! starts. Running programs keep theirs.
//!
//! Values are `REG_SZ`, never `REG_EXPAND_SZ`: a proxy URL with `%40` must not be expanded.
//! Windows variable names are case-insensitive, so `HTTP_PROXY` and `http_proxy` are one value:
//! the plan keeps the first spelling of each name. Writing the registry directly (not `setx`)
//! avoids its 1024-character truncation.

use crate::shell::{Assignment, QuoteError, validate};

/// The key user environment variables live under.
pub const KEY: &str = r"HKCU\Environment";

/// One change to `HKCU\Environment`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RegistryOp {
    /// Create or overwrite a `REG_SZ` value.
    SetString {
        /// The value name (the variable).
        name: String,
        /// The data.
        value: String,
    },
    /// Delete the value; absent is fine.
    Delete {
        /// The value name (the variable).
        name: String,
    },
}

/// What to do to the registry, and whether to broadcast afterwards.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RegistryPlan {
    /// The changes, in order.
    pub ops: Vec<RegistryOp>,
    /// Broadcast `WM_SETTINGCHANGE` with `"Environment"` (`SMTO_ABORTIFHUNG`, 5 s) afterwards:
    /// true whenever there is an op.
    pub broadcast_setting_change: bool,
}

/// The registry plan for `vars`.
pub fn plan(vars: &[Assignment<'_>]) -> Result<RegistryPlan, QuoteError> {
    validate(vars)?;
    let mut seen: Vec<String> = Vec::new();
    let mut ops = Vec::new();
    for (name, value) in super::non_empty(vars) {
        let folded = name.to_ascii_uppercase();
        if seen.contains(&folded) {
            continue;
        }
        seen.push(folded);
        ops.push(match value {
            Some(v) => RegistryOp::SetString {
                name: name.to_owned(),
                value: v.to_owned(),
            },
            None => RegistryOp::Delete {
                name: name.to_owned(),
            },
        });
    }
    Ok(RegistryPlan {
        broadcast_setting_change: !ops.is_empty(),
        ops,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_op_per_case_insensitive_name() {
        let p = plan(&[
            ("HTTPS_PROXY", Some("http://p:1/%40")),
            ("https_proxy", Some("http://p:1/%40")),
            ("NO_PROXY", None),
            ("no_proxy", None),
        ])
        .unwrap();
        assert_eq!(
            p.ops,
            vec![
                RegistryOp::SetString {
                    name: "HTTPS_PROXY".into(),
                    value: "http://p:1/%40".into()
                },
                RegistryOp::Delete {
                    name: "NO_PROXY".into()
                },
            ]
        );
        assert!(p.broadcast_setting_change);
        assert!(!plan(&[]).unwrap().broadcast_setting_change);
    }
}
