//! macOS: `launchctl setenv` / `unsetenv` for apps launched from now on, and a LaunchAgent that
//! re-applies the same state at every login (launchd forgets `setenv` at logout).
//!
//! Both are argv, never shell text with values in it: the agent runs `/bin/sh -c` with a fixed
//! script that only refers to its positional parameters (`launchctl setenv "$1" "$2"; …`), and the
//! names and values follow as separate `ProgramArguments` strings. The plist escapes XML's
//! `&`, `<`, `>`; characters XML 1.0 cannot carry (controls other than tab) are refused.

use std::path::PathBuf;

use crate::env::Env;
use crate::shell::{Assignment, HEADER, QuoteError, validate};

/// The LaunchAgent's label (and file stem).
pub const LABEL: &str = "io.modroute.environment";

/// Why the LaunchAgent cannot be written.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum LaunchdError {
    /// The name or value is invalid for every target.
    #[error(transparent)]
    Quote(#[from] QuoteError),
    /// XML 1.0 cannot represent the character.
    #[error("the value of {name} contains a control character a property list cannot hold")]
    ControlCharacter {
        /// The variable.
        name: String,
    },
}

/// `~/Library/LaunchAgents/io.modroute.environment.plist`.
pub fn agent_path(env: &Env) -> Option<PathBuf> {
    Some(
        env.home()?
            .join("Library/LaunchAgents")
            .join(format!("{LABEL}.plist")),
    )
}

/// `launchctl setenv NAME VALUE` / `launchctl unsetenv NAME`, one command per variable.
pub fn plan(vars: &[Assignment<'_>]) -> Result<Vec<Vec<String>>, QuoteError> {
    validate(vars)?;
    Ok(super::non_empty(vars)
        .into_iter()
        .map(|(name, value)| match value {
            Some(v) => vec![
                "launchctl".to_owned(),
                "setenv".to_owned(),
                name.to_owned(),
                v.to_owned(),
            ],
            None => vec![
                "launchctl".to_owned(),
                "unsetenv".to_owned(),
                name.to_owned(),
            ],
        })
        .collect())
}

fn xml(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The LaunchAgent's property list: at load (every login), run the same commands as [`plan`].
pub fn agent_plist(vars: &[Assignment<'_>]) -> Result<String, LaunchdError> {
    validate(vars)?;
    let vars = super::non_empty(vars);
    for &(name, value) in &vars {
        if value.is_some_and(|v| v.chars().any(|c| c.is_control() && c != '\t')) {
            return Err(LaunchdError::ControlCharacter {
                name: name.to_owned(),
            });
        }
    }
    let mut script = Vec::new();
    let mut args = Vec::new();
    for (name, value) in vars {
        let n = args.len() + 1;
        match value {
            Some(v) => {
                script.push(format!(
                    "/bin/launchctl setenv \"${{{n}}}\" \"${{{}}}\"",
                    n + 1
                ));
                args.push(name);
                args.push(v);
            }
            None => {
                script.push(format!("/bin/launchctl unsetenv \"${{{n}}}\""));
                args.push(name);
            }
        }
    }
    let mut program = vec![
        "/bin/sh".to_owned(),
        "-c".to_owned(),
        script.join("; "),
        "modroute".to_owned(), // $0
    ];
    program.extend(args.into_iter().map(str::to_owned));
    let strings: String = program
        .iter()
        .map(|a| format!("\t\t<string>{}</string>\n", xml(a)))
        .collect();
    Ok(format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" \
         \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n\
         <!-- {} -->\n\
         <plist version=\"1.0\">\n\
         <dict>\n\
         \t<key>Label</key>\n\
         \t<string>{LABEL}</string>\n\
         \t<key>ProgramArguments</key>\n\
         \t<array>\n\
         {strings}\
         \t</array>\n\
         \t<key>RunAtLoad</key>\n\
         \t<true/>\n\
         </dict>\n\
         </plist>\n",
        HEADER.replace("--", "—")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plan_is_argv() {
        let p = plan(&[("A", Some("x & $y")), ("B", None)]).unwrap();
        assert_eq!(
            p,
            vec![
                vec!["launchctl", "setenv", "A", "x & $y"],
                vec!["launchctl", "unsetenv", "B"]
            ]
        );
    }

    #[test]
    fn plist_passes_values_as_arguments_not_script() {
        let p = agent_plist(&[("A", Some("<a&b> $(x) '\"")), ("B", None)]).unwrap();
        assert!(p.contains(
            "<string>/bin/launchctl setenv \"${1}\" \"${2}\"; /bin/launchctl unsetenv \"${3}\"</string>"
        ));
        assert!(p.contains("<string>&lt;a&amp;b&gt; $(x) '\"</string>"));
        assert!(p.contains("<key>RunAtLoad</key>\n\t<true/>"));
        assert_eq!(p.matches("<string>").count(), 1 + 4 + 3);
        assert!(matches!(
            agent_plist(&[("A", Some("\u{1}"))]),
            Err(LaunchdError::ControlCharacter { .. })
        ));
    }

    #[test]
    fn agent_lives_in_launch_agents() {
        let env = Env::from_vars_on(crate::env::TargetOs::MacOs, [("HOME", "/Users/u")]);
        assert_eq!(
            agent_path(&env),
            Some(PathBuf::from(
                "/Users/u/Library/LaunchAgents/io.modroute.environment.plist"
            ))
        );
    }
}
