//! The go env file codec on arbitrary bytes: parsing and writing back reproduces every file byte
//! for byte, and `set`/`unset` of one key leave every other line's bytes alone — checked against
//! an independent model of cmd/go's reader (`cfg.readEnvFile`: split on `\n`; a line counts when
//! its first byte is `A`–`Z` and it holds `=`; the key is everything before the first `=`).

use modroute_core::goenv::{GoEnvFile, NoteCode, WriteError};
use proptest::prelude::*;

/// The file's lines without their `\n`, and whether the last one had one.
fn lines(bytes: &[u8]) -> (Vec<&[u8]>, bool) {
    let terminated = bytes.is_empty() || bytes.ends_with(b"\n");
    let mut out: Vec<&[u8]> = bytes.split(|&b| b == b'\n').collect();
    if terminated {
        out.pop(); // the empty piece after the final `\n` (or of an empty file)
    }
    (out, terminated)
}

/// The key cmd/go reads from a line, if it reads one.
fn key_of(line: &[u8]) -> Option<&[u8]> {
    if !line.first()?.is_ascii_uppercase() {
        return None;
    }
    let eq = line.iter().position(|&b| b == b'=')?;
    Some(&line[..eq])
}

/// The lines that are not settings of `key`.
fn others<'a>(lines: &[&'a [u8]], key: &str) -> Vec<&'a [u8]> {
    lines
        .iter()
        .copied()
        .filter(|l| key_of(l) != Some(key.as_bytes()))
        .collect()
}

/// Every other key's effective value (the last line of each wins), as cmd/go reads the file.
fn values_except(lines: &[&[u8]], key: &str) -> Vec<(Vec<u8>, Vec<u8>)> {
    let mut out: Vec<(Vec<u8>, Vec<u8>)> = Vec::new();
    for line in lines {
        if let Some(k) = key_of(line).filter(|k| *k != key.as_bytes()) {
            let value = line[k.len() + 1..].to_vec();
            match out.iter_mut().find(|(have, _)| have == k) {
                Some(entry) => entry.1 = value,
                None => out.push((k.to_vec(), value)),
            }
        }
    }
    out.sort();
    out
}

/// Lines of the shapes go env files hold, and of shapes they should not: cmd/go's own
/// `KEY=VALUE`, CRLF, quotes, keys with blanks, lines cmd/go skips, NUL and non-UTF-8 bytes,
/// anything at all.
fn line() -> impl Strategy<Value = Vec<u8>> {
    let key = prop_oneof![
        Just("GOPROXY".to_string()),
        Just("GOSUMDB".to_string()),
        Just("GOFLAGS".to_string()),
        Just("GOPRIVATE".to_string()),
        "[A-Z][A-Z0-9_]{0,6}",
    ];
    let value = proptest::collection::vec(any::<u8>(), 0..16)
        .prop_map(|v| v.into_iter().filter(|&b| b != b'\n').collect::<Vec<u8>>());
    prop_oneof![
        3 => (key.clone(), value.clone()).prop_map(|(k, v)| [k.as_bytes(), b"=", &v].concat()),
        1 => (key.clone(), value.clone()).prop_map(|(k, v)| [k.as_bytes(), b"=", &v, b"\r"].concat()),
        1 => (key.clone(), value.clone()).prop_map(|(k, v)| [k.as_bytes(), b"=\"", &v, b"\""].concat()),
        1 => key.clone().prop_map(|k| format!("{k} = x").into_bytes()),
        1 => key.clone().prop_map(|k| format!("export {k}=x").into_bytes()),
        1 => key.clone().prop_map(|k| format!("  {k}=x").into_bytes()),
        1 => key.prop_map(|k| k.into_bytes()),
        1 => Just(b"# comment \xff\xfe".to_vec()),
        1 => Just(b"\x00\x00=\x00".to_vec()),
        1 => Just(Vec::new()),
        2 => value,
    ]
}

/// A whole file: any lines, with or without a final newline; or any bytes at all.
fn file() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        3 => (proptest::collection::vec(line(), 0..12), any::<bool>()).prop_map(|(lines, end)| {
            let mut out = lines.join(&b'\n');
            if end && !lines.is_empty() {
                out.push(b'\n');
            }
            out
        }),
        1 => proptest::collection::vec(any::<u8>(), 0..200),
    ]
}

/// A key to write: one of the file's usual keys or any valid name.
fn write_key() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("GOPROXY".to_string()),
        Just("GOSUMDB".to_string()),
        Just("GOFLAGS".to_string()),
        "[A-Z][A-Z0-9_]{0,6}",
    ]
}

/// A value to write: mostly writable, sometimes holding what `go env -w` refuses.
fn write_value() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "[ -~]{0,24}",
        2 => any::<String>(),
        1 => "[a-z]{0,4}[\n\r\u{b}\0][a-z]{0,4}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, failure_persistence: None, ..ProptestConfig::default() })]

    /// Parsing then writing back is the identity on every byte sequence, and what the codec
    /// reads (entries, dead duplicates) is what cmd/go reads.
    #[test]
    fn parse_then_serialize_is_the_identity(bytes in file()) {
        let f = GoEnvFile::parse(&bytes);
        prop_assert_eq!(f.to_bytes(), bytes.clone());
        let (lines, _) = lines(&bytes);
        let mut read: Vec<(Vec<u8>, Vec<u8>)> = Vec::new();
        for (key, entry) in f.entries() {
            // Lossy UTF-8 is what `entries` hands out; compare with cmd/go's bytes decoded the
            // same way.
            let line = lines[entry.line - 1];
            let k = key_of(line).expect("entries only lists lines cmd/go reads");
            prop_assert_eq!(key, String::from_utf8_lossy(k).into_owned());
            prop_assert_eq!(
                entry.value,
                String::from_utf8_lossy(&line[k.len() + 1..]).into_owned()
            );
            read.push((k.to_vec(), line[k.len() + 1..].to_vec()));
        }
        prop_assert_eq!(
            read.len(),
            lines.iter().filter(|l| key_of(l).is_some()).count(),
            "every line cmd/go reads is an entry"
        );
        // A line is a dead duplicate when a later line sets the same key (byte for byte, as
        // cmd/go compares); keys with blanks get their own note instead.
        let dead: Vec<usize> = (0..lines.len())
            .filter(|&i| {
                key_of(lines[i]).is_some_and(|k| {
                    !String::from_utf8_lossy(k).contains(char::is_whitespace)
                        && lines[i + 1..].iter().any(|l| key_of(l) == Some(k))
                })
            })
            .map(|i| i + 1)
            .collect();
        let noted: Vec<usize> = f
            .notes()
            .into_iter()
            .filter(|n| n.code == NoteCode::Duplicate)
            .map(|n| n.line)
            .collect();
        prop_assert_eq!(noted, dead);
    }

    /// `set` then `unset` of a key changes only that key's lines: every other line keeps its
    /// bytes and its order, every other key keeps its value, and on a file that ends with a
    /// newline and never set the key, the pair is the identity. A value `go env -w` refuses
    /// leaves the file untouched.
    #[test]
    fn set_then_unset_leaves_other_lines_intact(
        bytes in file(),
        key in write_key(),
        value in write_value(),
    ) {
        let mut f = GoEnvFile::parse(&bytes);
        let (before, terminated) = lines(&bytes);
        let refused = value.contains(['\n', '\r', '\u{b}', '\0']);
        match f.set(&key, &value) {
            Err(e) => {
                prop_assert!(refused, "{:?} refused: {}", value, e);
                let kind_ok = matches!(e, WriteError::Newline { .. } | WriteError::Nul { .. });
                prop_assert!(kind_ok, "{:?}", e);
                prop_assert!(e.to_string().contains(&key), "{}", e);
                prop_assert_eq!(f.to_bytes(), bytes.clone(), "a refused set writes nothing");
                return Ok(());
            }
            Ok(()) => prop_assert!(!refused, "{:?} written", value),
        }
        let set = f.to_bytes();
        let (after_set, set_terminated) = lines(&set);
        // The key's line ends with a newline, as go env -w writes it; an unterminated last line
        // that is not the key's stays unterminated.
        let key_last = after_set.last().is_some_and(|l| key_of(l) == Some(key.as_bytes()));
        prop_assert_eq!(set_terminated, terminated || key_last);
        prop_assert_eq!(others(&after_set, &key), others(&before, &key));
        let written = format!("{key}={value}");
        prop_assert_eq!(
            after_set.iter().copied().filter(|l| key_of(l) == Some(key.as_bytes())).collect::<Vec<_>>(),
            vec![written.as_bytes()],
            "exactly one line for the key, in go env -w's format"
        );
        let reread = GoEnvFile::parse(&set).get(&key).map(|e| e.value);
        prop_assert_eq!(reread.as_deref(), Some(value.as_str()), "reads back as set");
        prop_assert_eq!(values_except(&after_set, &key), values_except(&before, &key));
        // Where the key was, its line stays (the last occurrence is replaced in place).
        if let Some(last) = before.iter().rposition(|l| key_of(l) == Some(key.as_bytes())) {
            let kept_before = before[..last].iter().filter(|l| key_of(l) != Some(key.as_bytes())).count();
            prop_assert_eq!(after_set[kept_before], written.as_bytes());
        } else {
            prop_assert_eq!(*after_set.last().unwrap(), written.as_bytes(), "a new key is appended");
        }

        prop_assert!(f.unset(&key));
        prop_assert!(!f.unset(&key), "unset twice finds nothing");
        let unset = f.to_bytes();
        let (after_unset, _) = lines(&unset);
        prop_assert_eq!(f.get(&key), None);
        prop_assert_eq!(others(&after_unset, &key), others(&before, &key));
        prop_assert_eq!(values_except(&after_unset, &key), values_except(&before, &key));
        let had_key = before.iter().any(|l| key_of(l) == Some(key.as_bytes()));
        if !had_key && terminated {
            prop_assert_eq!(unset, bytes, "set then unset of a new key is the identity");
        }
    }
}
