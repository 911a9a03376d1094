//! The human-readable `status` table, the JSON contract and the exit codes.

use crate::harness::World;

fn stdout(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn the_table_names_winner_source_and_losers() {
    let mut w = World::new();
    w.write(
        "home/.config/go/env",
        b"GOPROXY=https://file.example\nHTTPS_PROXY=http://in-the-wrong-file:1\n",
    );
    w.set("GOPROXY", "https://goproxy.cn,direct");
    let out = w.modroute(&["status"]);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    let row = text
        .lines()
        .find(|l| l.starts_with("GOPROXY"))
        .expect("a GOPROXY row");
    assert!(
        row.contains("https://goproxy.cn,direct") && row.contains("OS environment ($GOPROXY)"),
        "{row}"
    );
    assert!(
        text.contains("overridden  go env file: https://file.example"),
        "{text}"
    );
    assert!(
        text.contains("overridden  GOROOT/go.env: https://proxy.golang.org,direct"),
        "{text}"
    );
    assert!(
        text.contains("no effect   go env file: http://in-the-wrong-file:1"),
        "{text}"
    );
    assert!(
        !text.contains('\x1b'),
        "no colour when stdout is not a terminal"
    );
}

#[test]
fn hand_editing_mistakes_are_pointed_out_with_file_and_line() {
    let w = World::new();
    let path = w.write(
        "home/.config/go/env",
        b"export GOPROXY=https://x.example\nGOSUMDB = off\nGOTOOLCHAIN=auto\r\n",
    );
    let text = stdout(&w.modroute(&["status"]));
    let p = path.display();
    assert!(
        text.contains(&format!("{p}:1: go ignores this line")),
        "{text}"
    );
    assert!(
        text.contains(&format!("{p}:2: the space before `=`")),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "{p}:3: GOTOOLCHAIN's value ends in a carriage return"
        )),
        "{text}"
    );
    let json = w.status_json();
    let codes: Vec<_> = json["goenv_file"]["notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["code"].clone())
        .collect();
    assert_eq!(codes, ["ignored", "key_space", "carriage_return"]);
    assert_eq!(json["vars"]["GOTOOLCHAIN"]["value"], "auto\r");
}

#[test]
fn json_has_the_contract_shape() {
    let w = World::new();
    let json = w.status_json();
    assert!(
        json["goenv"]
            .as_str()
            .unwrap()
            .ends_with("/home/.config/go/env")
    );
    let vars = json["vars"].as_object().unwrap();
    let names: Vec<_> = vars.keys().cloned().collect();
    assert_eq!(
        names,
        [
            "GOPROXY",
            "GOSUMDB",
            "GOPRIVATE",
            "GONOPROXY",
            "GONOSUMDB",
            "GOINSECURE",
            "GOFLAGS",
            "GOTOOLCHAIN",
            "GOAUTH",
            "GOVCS",
            "HTTP_PROXY",
            "HTTPS_PROXY",
            "NO_PROXY",
            "SSL_CERT_FILE",
            "SSL_CERT_DIR",
            "NETRC"
        ]
    );
    for (name, var) in vars {
        for key in [
            "value",
            "source",
            "layers",
            "kind",
            "location",
            "env_name",
            "derived_from",
        ] {
            assert!(var.get(key).is_some(), "{name} lacks {key}");
        }
        for layer in ["env", "goenv", "goroot", "default"] {
            assert!(
                var["layers"].get(layer).is_some(),
                "{name} lacks layer {layer}"
            );
        }
        assert!(["env", "goenv", "goroot", "default"].contains(&var["source"].as_str().unwrap()));
    }
    assert_eq!(
        vars["GOPROXY"]["location"]["line"], 7,
        "Go 1.21+ go.env has GOPROXY on line 7"
    );
}

#[test]
fn unreadable_layer_is_an_input_error_but_still_reports() {
    let w = World::new();
    std::fs::create_dir_all(w.dir.path().join("home/.config/go/env")).unwrap();
    let out = w.modroute(&["status"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("cannot read") && err.contains(".config/go/env"),
        "{err}"
    );
    assert!(
        stdout(&out).contains("GOPROXY"),
        "the table is still printed"
    );
}

#[test]
fn usage_errors_exit_2() {
    let w = World::new();
    assert_eq!(w.modroute(&["status", "--bogus"]).status.code(), Some(2));
    assert_eq!(w.modroute(&["frobnicate"]).status.code(), Some(2));
    assert_eq!(w.modroute(&["--version"]).status.code(), Some(0));
}

#[test]
fn no_go_on_path_still_reports() {
    let mut w = World::new();
    w.set("PATH", "/nonexistent");
    let out = w.modroute(&["status", "--json"]);
    assert_eq!(out.status.code(), Some(0));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["goroot"]["path"], serde_json::Value::Null);
    assert_eq!(json["goroot"]["go_env_file"]["state"], "unknown");
    assert_eq!(json["vars"]["GOPROXY"]["value"], "");
}
