//! PowerShell (Windows PowerShell 5.1 and pwsh 7): `env.ps1`, the profile block and the prompt
//! hook. Text only: no PowerShell runs in this project's tests, so everything here is checked by
//! unit tests of the text.
//!
//! Quoting: values are verbatim strings (`'…'`), where nothing expands and the only special
//! character is the single quote, doubled. PowerShell's tokenizer also accepts U+2018–U+201B as
//! single quotes, so those are doubled too. Unset is `Remove-Item -LiteralPath 'env:/NAME'`
//! (literal: no wildcard matching). The file starts with a UTF-8 byte-order mark because Windows
//! PowerShell 5.1 reads BOM-less scripts in the ANSI code page.
//!
//! On Windows environment names are case-insensitive, so `HTTP_PROXY` and `http_proxy` are one
//! variable; both lines carry the same value, so writing both is harmless.

use super::{Assignment, ConfigLocation, GEN_FILE, HEADER, Syntax};

/// `v` as a PowerShell verbatim string literal.
pub fn quote(v: &str) -> String {
    let mut s = String::with_capacity(v.len() + 2);
    s.push('\'');
    for c in v.chars() {
        if matches!(c, '\'' | '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}') {
            s.push(c);
        }
        s.push(c);
    }
    s.push('\'');
    s
}

pub(crate) fn path_expr(loc: &ConfigLocation, name: &str) -> String {
    match loc.home_relative(name) {
        Some(rel) => format!("(Join-Path $HOME {})", quote(&rel)),
        None => quote(&loc.absolute(name)),
    }
}

pub(crate) fn render(vars: &[Assignment<'_>]) -> String {
    let mut out = format!("\u{feff}# {HEADER}\n");
    for &(name, value) in vars {
        match value {
            Some(v) => out.push_str(&format!("$env:{name} = {}\n", quote(v))),
            None => out.push_str(&format!(
                "Remove-Item -LiteralPath 'env:/{name}' -ErrorAction Ignore\n"
            )),
        }
    }
    out
}

/// Wraps the current `prompt` function once: read `gen` with .NET (no process), dot-source
/// `env.ps1` when it changed, keep `$LASTEXITCODE`, then run the previous prompt.
pub(crate) fn hook(loc: &ConfigLocation) -> String {
    let env = path_expr(loc, Syntax::Pwsh.file_name());
    let gen_file = path_expr(loc, GEN_FILE);
    format!(
        "if (-not $global:__modroute_hooked) {{\n\
         \x20 $global:__modroute_hooked = $true\n\
         \x20 $global:__modroute_prev_prompt = $function:prompt\n\
         \x20 function global:prompt {{\n\
         \x20   $s = $global:LASTEXITCODE\n\
         \x20   $g = $null\n\
         \x20   try {{ $g = [System.IO.File]::ReadAllText({gen_file}) }} catch {{ }}\n\
         \x20   if ($g -ne $global:__modroute_gen) {{\n\
         \x20     $global:__modroute_gen = $g\n\
         \x20     $e = {env}\n\
         \x20     if (Test-Path -LiteralPath $e) {{ . $e }}\n\
         \x20   }}\n\
         \x20   $global:LASTEXITCODE = $s\n\
         \x20   if ($global:__modroute_prev_prompt) {{ & $global:__modroute_prev_prompt }} \
         else {{ \"PS $($executionContext.SessionState.Path.CurrentLocation)> \" }}\n\
         \x20 }}\n\
         }}\n"
    )
}

/// The block for the CurrentUserAllHosts profile: values now, then the hook.
pub(crate) fn profile_block(loc: &ConfigLocation) -> String {
    let env = path_expr(loc, Syntax::Pwsh.file_name());
    let gen_file = path_expr(loc, GEN_FILE);
    format!(
        "$__modroute_env = {env}\n\
         if (Test-Path -LiteralPath $__modroute_env) {{\n\
         \x20 $global:__modroute_gen = $null\n\
         \x20 try {{ $global:__modroute_gen = [System.IO.File]::ReadAllText({gen_file}) }} catch {{ }}\n\
         \x20 . $__modroute_env\n\
         }}\n\
         Remove-Variable __modroute_env\n\
         {}",
        hook(loc)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn verbatim_strings_double_every_single_quote() {
        assert_eq!(quote("it's"), "'it''s'");
        assert_eq!(quote("a\u{2019}b"), "'a\u{2019}\u{2019}b'");
        assert_eq!(quote("$env:X `n \"q\""), "'$env:X `n \"q\"'");
    }

    #[test]
    fn env_file_has_bom_sets_and_literal_removes() {
        let text = render(&[("HTTPS_PROXY", Some("http://u:p@h")), ("NO_PROXY", None)]);
        assert!(text.starts_with('\u{feff}'));
        assert!(text.contains("$env:HTTPS_PROXY = 'http://u:p@h'\n"));
        assert!(text.contains("Remove-Item -LiteralPath 'env:/NO_PROXY' -ErrorAction Ignore\n"));
    }

    #[test]
    fn hook_wraps_prompt_once_and_keeps_exit_code() {
        let loc =
            ConfigLocation::new(Path::new("/h/.config/modroute"), Some(Path::new("/h"))).unwrap();
        let h = hook(&loc);
        assert!(h.starts_with("if (-not $global:__modroute_hooked)"));
        assert!(h.contains("(Join-Path $HOME '.config/modroute/gen')"));
        assert!(h.contains("$global:LASTEXITCODE = $s"));
        let b = profile_block(&loc);
        assert!(b.contains(". $__modroute_env"));
        // Balanced braces: a cheap syntax sanity check in the absence of a PowerShell parser.
        let depth = b.chars().fold(0i32, |d, c| match c {
            '{' => d + 1,
            '}' => d - 1,
            _ => d,
        });
        assert_eq!(depth, 0);
    }
}
