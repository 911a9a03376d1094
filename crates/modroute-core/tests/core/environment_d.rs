//! `environment.d` text, read back by systemd's own generator
//! (`30-systemd-environment-d-generator`) and compared byte for byte.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::time::Duration;

use modroute_core::session::environment_d;
use modroute_core::shell::Assignment;

use proptest::prelude::*;

use crate::support::{Sandbox, adversarial_values, any_value, must_refuse, run};

const GENERATOR: &str =
    "/usr/lib/systemd/user-environment-generators/30-systemd-environment-d-generator";

/// Undoes the generator's output quoting: a value is raw, or `"…"` with C-style escapes
/// (`\\`, `\"`, `\$`, `` \` ``, `\t`, `\n`, …, and three-digit octal for other controls).
fn decode(value: &str) -> Vec<u8> {
    let Some(inner) = value.strip_prefix('"').and_then(|v| v.strip_suffix('"')) else {
        return value.as_bytes().to_vec();
    };
    let b = inner.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'\\' {
            out.push(b[i]);
            i += 1;
            continue;
        }
        let c = b[i + 1];
        i += 2;
        out.push(match c {
            b't' => b'\t',
            b'n' => b'\n',
            b'r' => b'\r',
            b'a' => 7,
            b'b' => 8,
            b'f' => 12,
            b'v' => 11,
            b'0'..=b'7' => {
                let n =
                    u8::from_str_radix(std::str::from_utf8(&b[i - 1..i + 2]).unwrap(), 8).unwrap();
                i += 2;
                n
            }
            other => other,
        });
    }
    out
}

fn generate(sb: &Sandbox) -> BTreeMap<String, Vec<u8>> {
    let out = run(&mut sb.command(GENERATOR, &[]), Duration::from_secs(30));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && stderr.is_empty(),
        "{:?}: {stderr}",
        out.status
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| {
            let (k, v) = l.split_once('=').unwrap();
            (k.to_owned(), decode(v))
        })
        .collect()
}

#[test]
fn systemds_generator_reads_back_every_value() {
    if !Path::new(GENERATOR).exists() {
        crate::support::tool("30-systemd-environment-d-generator (package systemd)");
        return;
    }
    let sb = Sandbox::new();
    let canary = sb.home.join("pwned");
    let values: Vec<String> = adversarial_values(&canary, 1500, 0xe5d)
        .into_iter()
        .filter(|v| !v.is_empty())
        .collect();
    let names: Vec<String> = (0..values.len()).map(|i| format!("MR_T_{i:04}")).collect();
    let mut vars: Vec<Assignment<'_>> = names
        .iter()
        .zip(&values)
        .map(|(n, v)| (n.as_str(), Some(v.as_str())))
        .collect();
    vars.push(("MR_EMPTY", Some("")));
    vars.push(("MR_UNSET", None));

    let path = environment_d::path(&sb.env()).unwrap();
    assert!(path.starts_with(sb.home.join(".config/environment.d")));
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(&path, environment_d::render(&vars).unwrap()).unwrap();

    let got = generate(&sb);
    let mut bad = Vec::new();
    for (name, value) in names.iter().zip(&values) {
        if got.get(name).map(Vec::as_slice) != Some(value.as_bytes()) {
            bad.push(format!(
                "  {name}: want {value:?}, got {:?}",
                got.get(name)
                    .map(|g| String::from_utf8_lossy(g).into_owned())
            ));
        }
    }
    assert!(
        bad.is_empty(),
        "{} of {} differ:\n{}",
        bad.len(),
        values.len(),
        bad[..bad.len().min(15)].join("\n")
    );
    // Empty and unset values are absent (systemd refuses empty assignments).
    assert!(!got.contains_key("MR_EMPTY") && !got.contains_key("MR_UNSET"));
    assert!(!canary.exists());
}

#[test]
fn unescaped_dollars_would_be_expanded() {
    // The reason for `$$`: prove the generator expands `$` even inside quotes, so the test above
    // can fail.
    if !Path::new(GENERATOR).exists() {
        return;
    }
    let sb = Sandbox::new();
    let path = environment_d::path(&sb.env()).unwrap();
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(&path, "A=\"p@ss$w0rd\"\nB='${HOME}'\n").unwrap();
    let got = generate(&sb);
    assert_eq!(got["A"], b"p@ss");
    assert_eq!(got["B"], sb.home.to_str().unwrap().as_bytes());
}

proptest! {
    // 4 batches of 1000 values, one generator run per batch.
    #![proptest_config(ProptestConfig {
        cases: 4,
        max_shrink_iters: 16,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    /// Values of any characters either read back through systemd's own generator byte for byte,
    /// or are refused before any text exists, with an error naming the variable and the reason.
    /// (One bad line in an environment.d file is not a local matter: systemd 252's generator
    /// aborts on some, and then the session gets none of the files' variables.)
    #[test]
    fn any_value_reads_back_through_the_generator_or_is_refused_by_name(
        values in proptest::collection::vec(any_value(), 1000),
    ) {
        if !Path::new(GENERATOR).exists() {
            crate::support::tool("30-systemd-environment-d-generator (package systemd)");
            return Ok(());
        }
        let sb = Sandbox::new();
        let names: Vec<String> = (0..values.len()).map(|i| format!("MR_R_{i:04}")).collect();
        let mut vars: Vec<Assignment<'_>> = Vec::new();
        for (name, value) in names.iter().zip(&values) {
            let one = [(name.as_str(), Some(value.as_str()))];
            // On top of what every env file refuses: the Unicode noncharacters, which systemd
            // rejects as invalid UTF-8.
            let noncharacter = |c: char| {
                let c = u32::from(c);
                (0xfdd0..=0xfdef).contains(&c) || c & 0xfffe == 0xfffe
            };
            let refuse = must_refuse(value)
                .or_else(|| value.contains(noncharacter).then_some("noncharacter"));
            match (refuse, environment_d::render(&one)) {
                (None, Ok(_)) => vars.push(one[0]),
                (Some(reason), Err(e)) => {
                    let msg = e.to_string();
                    prop_assert!(
                        msg.contains(name.as_str()) && msg.contains(reason),
                        "{:?} refused without naming {} and {:?}: {}", value, name, reason, msg
                    );
                }
                (None, Err(e)) => prop_assert!(false, "{:?} refused: {}", value, e),
                (Some(reason), Ok(text)) => {
                    prop_assert!(false, "{:?} written although it holds a {}:\n{}", value, reason, text)
                }
            }
        }
        let path = environment_d::path(&sb.env()).unwrap();
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, environment_d::render(&vars).unwrap()).unwrap();
        let got = generate(&sb);
        let mut bad = Vec::new();
        for &(name, value) in &vars {
            let value = value.unwrap();
            // Empty values are written as absent (systemd refuses empty assignments).
            let want = (!value.is_empty()).then_some(value.as_bytes());
            if got.get(name).map(Vec::as_slice) != want {
                bad.push(format!(
                    "  {name}: want {want:?}, got {:?}",
                    got.get(name).map(|g| String::from_utf8_lossy(g).into_owned())
                ));
            }
        }
        prop_assert!(
            bad.is_empty(),
            "{} of {} differ:\n{}",
            bad.len(),
            vars.len(),
            bad[..bad.len().min(15)].join("\n")
        );
    }
}
