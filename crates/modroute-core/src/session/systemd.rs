//! `systemctl --user set-environment` / `unset-environment`: the immediate part of the Linux
//! session switch. The user manager's environment changes for units (and D-Bus-activated apps)
//! started afterwards; [`super::environment_d`] makes the same state survive the next login.
//!
//! The plan is argv vectors, run without a shell, so values need no quoting. The caller skips it
//! quietly when no user manager answers (`systemctl --user` fails without a session bus).

use crate::shell::{Assignment, QuoteError, validate};

/// At most two commands: one `set-environment` with every `NAME=value`, one `unset-environment`
/// with every name to remove (each omitted when it would be empty).
pub fn plan(vars: &[Assignment<'_>]) -> Result<Vec<Vec<String>>, QuoteError> {
    validate(vars)?;
    super::validate_for_systemd(vars)?;
    let vars = super::non_empty(vars);
    let base = |verb: &str| vec!["systemctl".to_owned(), "--user".to_owned(), verb.to_owned()];
    let mut set = base("set-environment");
    let mut unset = base("unset-environment");
    for (name, value) in vars {
        match value {
            Some(v) => set.push(format!("{name}={v}")),
            None => unset.push(name.to_owned()),
        }
    }
    Ok([set, unset].into_iter().filter(|c| c.len() > 3).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sets_then_unsets_as_argv() {
        let p = plan(&[("A", Some("$x y")), ("B", None), ("C", Some(""))]).unwrap();
        assert_eq!(
            p,
            vec![
                vec!["systemctl", "--user", "set-environment", "A=$x y"],
                vec!["systemctl", "--user", "unset-environment", "B", "C"],
            ]
        );
        assert_eq!(plan(&[]).unwrap(), Vec::<Vec<String>>::new());
    }
}
