//! Managed blocks on real-world rc files: placement, idempotence, exact removal, line endings,
//! non-UTF-8 bytes, refused marker damage, and `remove(splice(x)) == x` on arbitrary bytes.

use std::fs;
use std::path::Path;

use modroute_core::rcblock::{self, BlockError, MANAGED_LINE, Markers, Placement};
use modroute_core::shell::ShellKind;
use proptest::prelude::*;

use crate::support::Sandbox;

const V: Markers = Markers::VALUES;

fn fixture(name: &str) -> Vec<u8> {
    fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/core/fixtures")
            .join(name),
    )
    .unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn debian_bashrc_gets_the_block_above_the_interactive_guard() {
    let x = fixture("debian.bashrc");
    let y = rcblock::splice(&x, &V, ". env.sh", Placement::Top).unwrap();
    let t = text(&y);
    let block = t.find("# >>> modroute >>>").unwrap();
    // Below the file's header paragraph, above the documented `case $- in … return`.
    assert!(t[..block].ends_with("# for examples\n"), "{t}");
    assert!(block < t.find("# If not running interactively").unwrap());
    assert!(t.contains(&format!(
        "# >>> modroute >>>\n{MANAGED_LINE}\n. env.sh\n# <<< modroute <<<\n\n# If not"
    )));
    assert_eq!(
        rcblock::splice(&y, &V, ". env.sh", Placement::Top).unwrap(),
        y
    );
    assert_eq!(rcblock::remove(&y, &V).unwrap(), x);

    let h = rcblock::splice(&y, &Markers::HOOK, "hook", Placement::Bottom).unwrap();
    assert!(text(&h).ends_with("hook\n# <<< modroute hook <<<\n"));
    assert_eq!(
        rcblock::remove(&rcblock::remove(&h, &V).unwrap(), &Markers::HOOK).unwrap(),
        x
    );
}

#[test]
fn shebang_and_guard_files() {
    let x =
        b"#!/usr/bin/env bash\n[[ -n \"$INTELLIJ_ENVIRONMENT_READER\" ]] && return\nexport A=1\n";
    let y = rcblock::splice(x, &V, "v", Placement::Top).unwrap();
    assert!(text(&y).starts_with("#!/usr/bin/env bash\n# >>> modroute >>>\n"));
    assert_eq!(rcblock::remove(&y, &V).unwrap(), x);
}

#[test]
fn no_final_newline() {
    let x = b"export A=1\nalias ll='ls -l'";
    let bottom = rcblock::splice(x, &V, "v", Placement::Bottom).unwrap();
    assert_eq!(
        text(&bottom),
        format!(
            "export A=1\nalias ll='ls -l'\n# >>> modroute >>>\n{MANAGED_LINE}\nv\n# <<< modroute <<<"
        )
    );
    assert_eq!(rcblock::remove(&bottom, &V).unwrap(), x);
    let top = rcblock::splice(x, &V, "v", Placement::Top).unwrap();
    assert!(text(&top).ends_with("alias ll='ls -l'"));
    assert_eq!(rcblock::remove(&top, &V).unwrap(), x);
    // Replacing a block that ends the file keeps the file unterminated.
    let replaced = rcblock::splice(&bottom, &V, "w", Placement::Top).unwrap();
    assert!(text(&replaced).ends_with("w\n# <<< modroute <<<"));
    assert_eq!(rcblock::remove(&replaced, &V).unwrap(), x);
}

#[test]
fn crlf_files_get_a_crlf_block() {
    let x = b"\xef\xbb\xbf# profile.ps1\r\n\r\nSet-Alias ll Get-ChildItem\r\n";
    let y = rcblock::splice(x, &Markers::POWERSHELL, "a\nb", Placement::Top).unwrap();
    let t = text(&y);
    assert!(t.contains(&format!(
        "#region modroute\r\n{MANAGED_LINE}\r\na\r\nb\r\n#endregion modroute\r\n"
    )));
    assert_eq!(
        t.matches('\n').count(),
        t.matches("\r\n").count(),
        "a bare LF slipped in"
    );
    assert_eq!(
        rcblock::splice(&y, &Markers::POWERSHELL, "a\nb", Placement::Top).unwrap(),
        y
    );
    assert_eq!(rcblock::remove(&y, &Markers::POWERSHELL).unwrap(), x);
}

#[test]
fn non_utf8_bytes_survive() {
    let x = b"# caf\xe9 (latin-1)\n\nexport NAME='\xff\xfe'\n\x80\x81 stray\n";
    for p in [Placement::Top, Placement::Bottom] {
        let y = rcblock::splice(x, &V, "v", p).unwrap();
        assert!(y.windows(4).any(|w| w == b"\xff\xfe'\n"));
        assert_eq!(rcblock::remove(&y, &V).unwrap(), x);
    }
}

#[test]
fn an_existing_block_is_replaced_in_place() {
    let x = b"a\n# >>> modroute >>>\n# old managed line\nold body\n# <<< modroute <<<\nb\n";
    let y = rcblock::splice(x, &V, "new body", Placement::Bottom).unwrap();
    assert_eq!(
        text(&y),
        format!("a\n# >>> modroute >>>\n{MANAGED_LINE}\nnew body\n# <<< modroute <<<\nb\n")
    );
    assert_eq!(rcblock::remove(&y, &V).unwrap(), b"a\nb\n");
    // Indented or trailing-blank markers are still found (and replaced by clean ones).
    let z = b"  # >>> modroute >>>  \nx\n\t# <<< modroute <<<\r\n";
    assert_eq!(text(&rcblock::remove(z, &V).unwrap()), "");
}

#[test]
fn damaged_markers_are_refused_with_their_line() {
    let cases: &[(&[u8], BlockError)] = &[
        (
            b"x\n# >>> modroute >>>\ny\n# <<< modroute <<<\n\n# >>> modroute >>>\n# <<< modroute <<<\n",
            BlockError::Duplicate { line: 6, first: 2, marker: V.open },
        ),
        (
            b"x\ny\n# >>> modroute >>>\nz\n",
            BlockError::Unclosed { line: 3, open: V.open, close: V.close },
        ),
        (
            b"x\n# <<< modroute <<<\n",
            BlockError::UnexpectedClose { line: 2, open: V.open, close: V.close },
        ),
        (
            b"# >>> modroute >>>\nx\n# >>> modroute hook >>>\n# <<< modroute <<<\n",
            BlockError::Nested { line: 3, opened: 1, found: "# >>> modroute hook >>>".into() },
        ),
    ];
    for (input, want) in cases {
        assert_eq!(
            rcblock::splice(input, &V, "v", Placement::Top).unwrap_err(),
            *want
        );
        assert_eq!(rcblock::remove(input, &V).unwrap_err(), *want);
        let msg = want.to_string();
        assert!(msg.starts_with("line "), "{msg}");
    }
}

#[test]
fn uninstalling_every_block_restores_every_rc_file() {
    let sb = Sandbox::new();
    sb.write(".bashrc", &text(&fixture("debian.bashrc")));
    sb.write(".profile", &text(&fixture("debian.profile")));
    sb.write(".bash_profile", "export X=1"); // no final newline
    sb.write(".tcshrc", "alias precmd 'echo hi'\r\nset prompt='> '\r\n");
    let before: Vec<(std::path::PathBuf, Vec<u8>)> = crate::shells::walk(&sb.home)
        .into_iter()
        .map(|p| (p.clone(), fs::read(&p).unwrap()))
        .collect();
    sb.install(&ShellKind::ALL);
    for (path, bytes) in &before {
        let now = fs::read(path).unwrap();
        assert_ne!(&now, bytes, "{} was not wired", path.display());
        let mut restored = now;
        for m in [Markers::VALUES, Markers::HOOK, Markers::POWERSHELL] {
            restored = rcblock::remove(&restored, &m).unwrap();
        }
        assert_eq!(&restored, bytes, "{}", path.display());
    }
}

/// Lines made of the byte patterns rc files contain, never a modroute marker.
fn rc_bytes() -> impl Strategy<Value = Vec<u8>> {
    let line = prop_oneof![
        Just(b"".to_vec()),
        Just(b"#!/bin/sh".to_vec()),
        Just(b"# comment".to_vec()),
        Just(b"  # indented comment".to_vec()),
        Just(b"case $- in *i*) ;; *) return;; esac".to_vec()),
        Just(b"# >>> conda initialize >>>".to_vec()),
        Just(b"#region other".to_vec()),
        Just(b"\r".to_vec()),
        proptest::collection::vec(any::<u8>(), 0..12),
    ];
    (
        proptest::collection::vec(line, 0..12),
        prop_oneof![Just(""), Just("\n"), Just("\r\n")],
        any::<bool>(),
    )
        .prop_map(|(lines, eol, terminated)| {
            let mut out = Vec::new();
            for (i, l) in lines.iter().enumerate() {
                out.extend_from_slice(l);
                if i + 1 < lines.len() || terminated {
                    out.extend_from_slice(if eol.is_empty() {
                        b"\n"
                    } else {
                        eol.as_bytes()
                    });
                }
            }
            out
        })
        .prop_filter("no modroute marker lines", |b| {
            !String::from_utf8_lossy(b).contains("modroute")
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn splice_then_remove_is_the_identity(
        x in rc_bytes(),
        top in any::<bool>(),
        body1 in "[a-z =$'\"]{0,20}(\n[a-z ]{0,10}){0,3}",
        body2 in "[a-z ]{0,20}",
    ) {
        let p = if top { Placement::Top } else { Placement::Bottom };
        let once = rcblock::splice(&x, &V, &body1, p).unwrap();
        prop_assert_eq!(&rcblock::splice(&once, &V, &body1, p).unwrap(), &once);
        prop_assert_eq!(&rcblock::remove(&once, &V).unwrap(), &x);
        let other = rcblock::splice(&once, &V, &body2, p).unwrap();
        prop_assert_eq!(&rcblock::remove(&other, &V).unwrap(), &x);
        // Removing the block leaves only x's bytes; the block itself is whole lines.
        let found = rcblock::find(&once, &V).unwrap().unwrap();
        prop_assert!(once[found.start..].starts_with(V.open.as_bytes()));
    }
}
