//! fish: `env.fish`, the `conf.d/modroute.fish` file modroute owns, and the `fish_prompt` hook.
//!
//! Quoting: fish single quotes are literal except for two escapes, `\\` and `\'`; so every `\`
//! becomes `\\` and every `'` becomes `\'`. POSIX `'\''` quoting (what mise and `shell-escape`
//! emit) mis-parses values containing `\\` or `\'` in fish and can swallow the following lines.
//!
//! Variables are set with `set -gx` and removed with `set -e -g`, so sourcing the file from
//! inside the hook function changes the global, exported variables — not function locals.

use super::{Assignment, ConfigLocation, GEN_FILE, HEADER, Syntax};

/// `v` as one fish word that expands to exactly `v`.
pub fn quote(v: &str) -> String {
    let mut s = String::with_capacity(v.len() + 2);
    s.push('\'');
    for c in v.chars() {
        match c {
            '\\' => s.push_str(r"\\"),
            '\'' => s.push_str(r"\'"),
            c => s.push(c),
        }
    }
    s.push('\'');
    s
}

pub(crate) fn path_expr(loc: &ConfigLocation, name: &str) -> String {
    match loc.home_relative(name) {
        Some(rel) => format!("\"$HOME\"{}", quote(&format!("/{rel}"))),
        None => quote(&loc.absolute(name)),
    }
}

pub(crate) fn render(vars: &[Assignment<'_>]) -> String {
    let mut out = format!("# {HEADER}\n");
    for &(name, value) in vars {
        match value {
            Some(v) => out.push_str(&format!("set -gx {name} {}\n", quote(v))),
            None => out.push_str(&format!("set -e -g {name}\n")),
        }
    }
    out
}

/// The `fish_prompt` event handler: `read` the generation, re-source `env.fish` when it changed.
pub(crate) fn hook(loc: &ConfigLocation) -> String {
    let env = path_expr(loc, Syntax::Fish.file_name());
    let gen_file = path_expr(loc, GEN_FILE);
    format!(
        "function __modroute_hook --on-event fish_prompt\n\
         \x20   set -l g ''\n\
         \x20   test -r {gen_file}; and read -l g < {gen_file}\n\
         \x20   if test \"$g\" != \"$__modroute_gen\"\n\
         \x20       set -g __modroute_gen $g\n\
         \x20       test -r {env}; and source {env}\n\
         \x20   end\n\
         end\n"
    )
}

/// `conf.d/modroute.fish`: read by every fish (login or not, `fish -c` included) before
/// `config.fish`. Values for all, the hook for interactive sessions.
pub(crate) fn conf_d_file(loc: &ConfigLocation) -> String {
    let env = path_expr(loc, Syntax::Fish.file_name());
    let gen_file = path_expr(loc, GEN_FILE);
    let hook = hook(loc)
        .lines()
        .map(|l| format!("    {l}\n"))
        .collect::<String>();
    format!(
        "# Managed by modroute — rewritten when modroute installs; it sources the values of the \
         active profile.\n\
         if test -r {env}\n\
         \x20   set -g __modroute_gen ''\n\
         \x20   test -r {gen_file}; and read -g __modroute_gen < {gen_file}\n\
         \x20   source {env}\n\
         end\n\
         if status is-interactive\n\
         {hook}\
         end\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_only_backslash_and_quote() {
        assert_eq!(quote(r"a\\b\'c"), r"'a\\\\b\\\'c'");
        assert_eq!(quote("$HOME (x) *"), "'$HOME (x) *'");
        assert_eq!(quote(""), "''");
    }

    #[test]
    fn renders_global_exports_and_erases() {
        assert_eq!(
            render(&[("A", Some("v")), ("B", None)]),
            format!("# {HEADER}\nset -gx A 'v'\nset -e -g B\n")
        );
    }
}
