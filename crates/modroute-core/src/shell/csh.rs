//! csh/tcsh: `env.csh`, the `~/.tcshrc` blocks, and the `precmd` hook.
//!
//! Quoting: inside csh single quotes everything is literal except `'` itself, `!` (history
//! substitution happens even inside quotes, and even in sourced files) and newline. So `'`
//! becomes `'\''`, `!` becomes `\!`, and line breaks are refused earlier. (direnv's tcsh table
//! emits `"!"`, which still expands, and leaves backticks unquoted; the shell tests run real
//! tcsh on adversarial values.)
//!
//! # The hook
//!
//! tcsh has no builtin that reads a file into a variable (`` `cat` `` forks), so the hook cannot
//! compare the `gen` file. Instead `env.csh` guards itself: it records a token (a hash of its
//! own assignments) in the shell variable `__modroute_applied` and does nothing when the token
//! is already current. The `precmd` alias then simply `source`s `env.csh` — a builtin, no
//! process — and an unchanged profile leaves a variable the user set by hand alone. The alias
//! chains an existing `precmd` alias defined before the hook block (the block goes at the end of
//! the file for that reason); one defined later replaces ours, which then needs a manual
//! `source` — the limit of csh aliases.

use super::{Assignment, ConfigLocation, HEADER, Syntax};

/// `v` as one csh word that expands to exactly `v` (no line breaks).
pub fn quote(v: &str) -> String {
    format!("'{}'", v.replace('\'', r"'\''").replace('!', r"\!"))
}

pub(crate) fn path_expr(loc: &ConfigLocation, name: &str) -> String {
    match loc.home_relative(name) {
        Some(rel) => format!("\"$HOME\"{}", quote(&format!("/{rel}"))),
        None => quote(&loc.absolute(name)),
    }
}

/// FNV-1a, 64 bits: a stable token for the assignments (not a security boundary).
fn token(text: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")
}

pub(crate) fn render(vars: &[Assignment<'_>]) -> String {
    let mut body = String::new();
    for &(name, value) in vars {
        match value {
            Some(v) => body.push_str(&format!("  setenv {name} {}\n", quote(v))),
            None => body.push_str(&format!("  unsetenv {name}\n")),
        }
    }
    let t = token(&body);
    format!(
        "# {HEADER}\n\
         if ( ! $?__modroute_applied ) set __modroute_applied = ''\n\
         if ( \"$__modroute_applied\" != '{t}' ) then\n\
         {body}\
         \x20 set __modroute_applied = '{t}'\n\
         endif\n"
    )
}

fn set_env_var(loc: &ConfigLocation) -> String {
    format!(
        "set __modroute_env = {}\n",
        path_expr(loc, Syntax::Csh.file_name())
    )
}

/// The values block for the top of `~/.tcshrc`: every tcsh, `tcsh -c` included.
pub(crate) fn rc_block(loc: &ConfigLocation) -> String {
    format!(
        "{}if ( -r \"$__modroute_env\" ) source \"$__modroute_env\"\n",
        set_env_var(loc)
    )
}

/// The `precmd` alias, installed once per shell and chaining an earlier `precmd` alias.
pub(crate) fn hook(loc: &ConfigLocation) -> String {
    format!(
        "{}if ( ! $?__modroute_hooked ) then\n\
         \x20 set __modroute_hooked\n\
         \x20 set __modroute_prev = \"`alias precmd`\"\n\
         \x20 if ( \"$__modroute_prev\" == \"\" ) then\n\
         \x20   alias precmd 'if ( -r \"$__modroute_env\" ) source \"$__modroute_env\"'\n\
         \x20 else\n\
         \x20   alias precmd 'if ( -r \"$__modroute_env\" ) source \"$__modroute_env\"; '\"$__modroute_prev\"\n\
         \x20 endif\n\
         \x20 unset __modroute_prev\n\
         endif\n",
        set_env_var(loc)
    )
}

/// The hook block for the end of `~/.tcshrc`: interactive shells only.
pub(crate) fn hook_block(loc: &ConfigLocation) -> String {
    format!(
        "if ( $?prompt ) then\n{}endif\n",
        super::posix::indent(&hook(loc))
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_quote_and_bang() {
        assert_eq!(quote("a'b!c"), r"'a'\''b\!c'");
        assert_eq!(quote("`x` $y"), "'`x` $y'");
    }

    #[test]
    fn token_changes_with_values() {
        let a = render(&[("A", Some("1"))]);
        let b = render(&[("A", Some("2"))]);
        assert_ne!(a, b);
        assert_eq!(a, render(&[("A", Some("1"))]));
        assert!(a.contains("setenv A '1'"));
    }
}
