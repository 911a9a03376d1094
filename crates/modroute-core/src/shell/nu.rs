//! nushell: `env.json`, the `config.nu` block that loads it, and the `pre_prompt` hook.
//!
//! nushell's `source` takes a parse-time constant and is evaluated when `config.nu` is parsed,
//! so a hook cannot re-`source` a changed file, and a missing sourced file is a hard error. So
//! the values travel as data: `env.json` is `{"managed_by": …, "set": {NAME: value},
//! "unset": [NAME]}`, produced by `serde_json` (no nushell quoting at all), and the block defines
//! `__modroute_apply`, which `open`s it at run time, `load-env`s the set part and `hide-env`s
//! the rest. The generation it applied is kept in `$env.__MODROUTE_GEN` (nushell has no
//! unexported variables that survive a hook).
//!
//! nushell's environment is case-insensitive (case-preserving): `HTTPS_PROXY` and `https_proxy`
//! are one variable there, so nushell and the processes it starts see the first spelling only
//! (the upper case, with the same value). Go reads either; curl's lower-case-only `http_proxy` is
//! the one consumer that misses out.
//!
//! Paths in the block are nushell raw strings (`r#'…'#`, with enough `#`s that the value cannot
//! close them).

use super::{Assignment, ConfigLocation, GEN_FILE, HEADER, Syntax};

/// `v` as a nushell raw string literal.
pub fn quote(v: &str) -> String {
    let mut hashes = 1;
    while v.contains(&format!("'{}", "#".repeat(hashes))) {
        hashes += 1;
    }
    let h = "#".repeat(hashes);
    format!("r{h}'{v}'{h}")
}

pub(crate) fn path_expr(loc: &ConfigLocation, name: &str) -> String {
    match loc.home_relative(name) {
        // `home-path` was renamed `home-dir` in nushell 0.105; accept either.
        Some(rel) => format!(
            "($nu.home-dir? | default $nu.home-path? | path join {})",
            quote(&rel)
        ),
        None => quote(&loc.absolute(name)),
    }
}

pub(crate) fn render(vars: &[Assignment<'_>]) -> String {
    let json = |s: &str| serde_json::Value::from(s).to_string();
    let set: Vec<String> = vars
        .iter()
        .filter_map(|&(n, v)| Some(format!("    {}: {}", json(n), json(v?))))
        .collect();
    let unset: Vec<String> = vars
        .iter()
        .filter(|(_, v)| v.is_none())
        .map(|&(n, _)| format!("    {}", json(n)))
        .collect();
    let list = |items: Vec<String>| {
        if items.is_empty() {
            String::new()
        } else {
            format!("\n{}\n  ", items.join(",\n"))
        }
    };
    format!(
        "{{\n  \"managed_by\": {},\n  \"set\": {{{}}},\n  \"unset\": [{}]\n}}\n",
        json(HEADER),
        list(set),
        list(unset)
    )
}

/// `__modroute_apply`: load `env.json` when the generation changed (or on first use).
fn apply_command(loc: &ConfigLocation) -> String {
    let env = path_expr(loc, Syntax::Nu.file_name());
    let gen_file = path_expr(loc, GEN_FILE);
    format!(
        "def --env __modroute_apply [] {{\n\
         \x20 let gen_file = {gen_file}\n\
         \x20 let env_file = {env}\n\
         \x20 let g = if ($gen_file | path exists) {{ open --raw $gen_file | str trim }} else {{ '' }}\n\
         \x20 if $g != ($env.__MODROUTE_GEN? | default '-') and ($env_file | path exists) {{\n\
         \x20   let s = (open --raw $env_file | from json)\n\
         \x20   load-env $s.set\n\
         \x20   hide-env -i ...$s.unset\n\
         \x20   $env.__MODROUTE_GEN = $g\n\
         \x20 }}\n\
         }}\n"
    )
}

/// The `pre_prompt` hook registration (deduplicated by its `__modroute` key, as zoxide does).
pub(crate) fn hook(loc: &ConfigLocation) -> String {
    let mut s = apply_command(loc);
    s.push_str(
        "if not ($env.config.hooks.pre_prompt? | default [] | any {|h| \
         ($h | describe) =~ '^record' and ('__modroute' in $h) }) {\n\
         \x20 $env.config.hooks.pre_prompt = ($env.config.hooks.pre_prompt? | default [] \
         | append {__modroute: true, code: {|| __modroute_apply }})\n\
         }\n",
    );
    s
}

/// The block for the end of `config.nu`: apply now, and at every prompt.
pub(crate) fn config_block(loc: &ConfigLocation) -> String {
    let mut s = hook(loc);
    s.push_str("__modroute_apply\n");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_strings_outlast_their_contents() {
        assert_eq!(quote("a'b"), "r#'a'b'#");
        assert_eq!(quote("x'#y'##"), "r###'x'#y'##'###");
    }

    #[test]
    fn json_holds_sets_and_unsets() {
        let text = render(&[("A", Some("\"q\" \\")), ("B", None)]);
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(v["set"]["A"], "\"q\" \\");
        assert_eq!(v["unset"][0], "B");
        assert_eq!(v["managed_by"], HEADER);
        let empty: serde_json::Value = serde_json::from_str(&render(&[])).unwrap();
        assert_eq!(empty["unset"], serde_json::json!([]));
    }
}
