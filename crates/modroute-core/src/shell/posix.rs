//! POSIX sh (sh, dash, bash, zsh, ksh): `env.sh`, the values block for `~/.profile`, `~/.bashrc`,
//! `~/.bash_profile` and `.zshenv`, and the bash and zsh prompt hooks.
//!
//! Quoting: a value goes inside single quotes, where every byte is literal, and each `'` becomes
//! `'\''` (close, escaped quote, reopen). No `$'…'` (dash rejects it) and nothing that history
//! expansion, globbing or parameter expansion can touch. Everything written to `env.sh` and to
//! `~/.profile` is strictly POSIX, because dash and display managers read them; bash- and
//! zsh-only syntax appears only in the bash hook block and the zsh block.

use super::{Assignment, ConfigLocation, GEN_FILE, HEADER, Syntax};

/// `v` as one POSIX shell word that expands to exactly `v`.
pub fn quote(v: &str) -> String {
    format!("'{}'", v.replace('\'', r"'\''"))
}

/// A file in the config dir as a POSIX word: `"$HOME"'/rel'` when inside HOME, else quoted.
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
            Some(v) => out.push_str(&format!("export {name}={}\n", quote(v))),
            None => out.push_str(&format!("unset {name}\n")),
        }
    }
    out
}

/// The startup part every POSIX rc file gets: note the generation, then source `env.sh`.
pub(crate) fn values_block(loc: &ConfigLocation) -> String {
    let env = path_expr(loc, Syntax::Posix.file_name());
    let gen_file = path_expr(loc, GEN_FILE);
    format!(
        "if [ -r {env} ]; then\n\
         \x20 __modroute_gen=\n\
         \x20 {{ read -r __modroute_gen < {gen_file}; }} 2>/dev/null || :\n\
         \x20 . {env}\n\
         fi\n"
    )
}

/// The body shared by the bash and zsh hook functions: read `gen` with the `read` builtin and
/// re-source `env.sh` only when it changed; `$?` is saved and returned.
fn hook_function(loc: &ConfigLocation, set_global: &str) -> String {
    let env = path_expr(loc, Syntax::Posix.file_name());
    let gen_file = path_expr(loc, GEN_FILE);
    format!(
        "__modroute_hook() {{\n\
         \x20 local __modroute_s=$? __modroute_g=\n\
         \x20 {{ read -r __modroute_g < {gen_file}; }} 2>/dev/null\n\
         \x20 if [[ $__modroute_g != \"${{__modroute_gen-}}\" ]]; then\n\
         \x20   {set_global}__modroute_gen=$__modroute_g\n\
         \x20   if [[ -r {env} ]]; then . {env}; fi\n\
         \x20 fi\n\
         \x20 return $__modroute_s\n\
         }}\n"
    )
}

/// The bash prompt hook: the function, then its installation into `PROMPT_COMMAND` — prepended,
/// once, keeping the variable's form (a string, or the array bash 5.1 also accepts).
pub(crate) fn bash_hook(loc: &ConfigLocation) -> String {
    let mut s = hook_function(loc, "");
    s.push_str(
        "if (( BASH_VERSINFO[0] * 100 + BASH_VERSINFO[1] >= 404 )) \
         && [[ ${PROMPT_COMMAND+set} && ${PROMPT_COMMAND@a} == *a* ]]; then\n\
         \x20 [[ \" ${PROMPT_COMMAND[*]} \" == *\" __modroute_hook \"* ]] \
         || PROMPT_COMMAND=(__modroute_hook \"${PROMPT_COMMAND[@]}\")\n\
         else\n\
         \x20 [[ ${PROMPT_COMMAND-} == *__modroute_hook* ]] \
         || PROMPT_COMMAND=\"__modroute_hook${PROMPT_COMMAND:+;$PROMPT_COMMAND}\"\n\
         fi\n",
    );
    s
}

/// The bash hook block for the end of `~/.bashrc`: the hook, for interactive shells only.
pub(crate) fn bash_hook_block(loc: &ConfigLocation) -> String {
    format!("if [[ $- == *i* ]]; then\n{}fi\n", indent(&bash_hook(loc)))
}

/// The zsh prompt hook: the function, registered with `add-zsh-hook precmd` (which dedupes).
pub(crate) fn zsh_hook(loc: &ConfigLocation) -> String {
    let mut s = hook_function(loc, "typeset -g ");
    s.push_str("autoload -Uz add-zsh-hook && add-zsh-hook precmd __modroute_hook\n");
    s
}

/// The block for `.zshenv`: the values for every zsh, the hook for interactive ones.
pub(crate) fn zshenv_block(loc: &ConfigLocation) -> String {
    format!(
        "{}if [[ -o interactive ]]; then\n{}fi\n",
        values_block(loc),
        indent(&zsh_hook(loc))
    )
}

pub(crate) fn indent(text: &str) -> String {
    text.lines()
        .map(|l| {
            if l.is_empty() {
                "\n".to_owned()
            } else {
                format!("  {l}\n")
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn quotes() {
        assert_eq!(quote(""), "''");
        assert_eq!(quote("a'b"), r"'a'\''b'");
        assert_eq!(quote("$HOME `x` \\ !"), r"'$HOME `x` \ !'");
    }

    #[test]
    fn renders_sets_and_unsets() {
        let text = render(&[("A", Some("x y")), ("B", None)]);
        assert_eq!(text, format!("# {HEADER}\nexport A='x y'\nunset B\n"));
    }

    #[test]
    fn paths_are_home_relative_or_absolute() {
        let loc =
            ConfigLocation::new(Path::new("/h/.config/modroute"), Some(Path::new("/h"))).unwrap();
        assert_eq!(
            path_expr(&loc, "env.sh"),
            "\"$HOME\"'/.config/modroute/env.sh'"
        );
        let loc = ConfigLocation::new(Path::new("/o'k/modroute"), Some(Path::new("/h"))).unwrap();
        assert_eq!(path_expr(&loc, "gen"), r"'/o'\''k/modroute/gen'");
    }

    #[test]
    fn values_block_is_posix() {
        let loc =
            ConfigLocation::new(Path::new("/h/.config/modroute"), Some(Path::new("/h"))).unwrap();
        let b = values_block(&loc);
        assert!(!b.contains("[[") && !b.contains("local ") && !b.contains("source "));
    }
}
