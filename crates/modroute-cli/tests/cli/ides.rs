//! IDEs as switch targets: `modroute use` writes VS Code's `go.toolsEnvVars` and a JetBrains
//! project's Go Modules environment, and `modroute doctor` then finds both agreeing.

use crate::harness::World;

const SETTINGS: &str = "{\n  // mine\n  \"go.useLanguageServer\": true,\n  \"go.toolsEnvVars\": {\n    \"GOPROXY\": \"https://stale.example,direct\", // old mirror\n    \"CGO_ENABLED\": \"0\",\n  },\n}\n";

const WORKSPACE: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<project version=\"4\">\n  <component name=\"VgoProject\">\n    <environment>\n      <map>\n        <entry key=\"GOPROXY\" value=\"https://stale.example&amp;x,direct\" />\n      </map>\n    </environment>\n  </component>\n</project>\n";

const PROFILES: &str = "[profiles.acme]\nlabel = \"ACME\"\nGOPROXY = \"https://athens.acme.example,direct\"\nGOPRIVATE = \"git.acme.example\"\nHTTPS_PROXY = \"http://alice:hunter2@proxy.acme.example:3128\"\nNO_PROXY = \"localhost,.acme.example\"\n";

fn world() -> World {
    let mut w = World::new();
    w.set("SHELL", "/bin/bash");
    w.write("home/.config/Code/User/settings.json", SETTINGS.as_bytes());
    w.write("proj/.idea/workspace.xml", WORKSPACE.as_bytes());
    w.write("home/.config/modroute/profiles.toml", PROFILES.as_bytes());
    w
}

/// The cells of the VS Code and GoLand contexts, with whether any mismatches.
fn ide_cells(json: &serde_json::Value) -> Vec<(String, String, bool)> {
    let mut out = Vec::new();
    for (setting, row) in json["matrix"].as_object().unwrap() {
        for (context, cell) in row.as_object().unwrap() {
            if context == "vscode-user:Code" || context == "goland-workspace" {
                out.push((
                    setting.clone(),
                    context.clone(),
                    cell["mismatch"].as_bool().unwrap(),
                ));
            }
        }
    }
    out
}

#[test]
fn after_a_switch_the_doctor_finds_vs_code_and_goland_agreeing() {
    let mut w = world();
    let project = w.path("proj");
    let doctor = |w: &World| -> serde_json::Value {
        let out = w.modroute(&["doctor", "--json", "--project", &project]);
        serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)))
    };
    // Before: both IDEs hold a stale GOPROXY.
    let before = doctor(&w);
    let stale: Vec<_> = ide_cells(&before)
        .into_iter()
        .filter(|(s, _, mismatch)| s == "GOPROXY" && *mismatch)
        .map(|(_, c, _)| c)
        .collect();
    assert_eq!(stale.len(), 2, "{stale:?}");

    let dry = w.modroute(&["use", "acme", "--dry-run", "--project", &project]);
    let text = String::from_utf8_lossy(&dry.stdout);
    assert!(
        text.contains(&format!(
            "change     {}",
            w.path("home/.config/Code/User/settings.json")
        )),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "change     {}/.idea/workspace.xml",
            std::fs::canonicalize(&project).unwrap().display()
        )),
        "{text}"
    );
    assert!(text.contains("re-reads go.toolsEnvVars"), "{text}");
    assert!(
        text.contains("reopen the project or restart the IDE"),
        "{text}"
    );
    assert!(!text.contains("hunter2"), "{text}");

    let out = w.modroute(&["use", "acme", "--yes", "--project", &project]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let settings = std::fs::read_to_string(w.path("home/.config/Code/User/settings.json")).unwrap();
    assert!(
        settings.contains("// mine") && settings.contains("\"CGO_ENABLED\": \"0\","),
        "{settings}"
    );

    // What a new terminal has after the switch (the env files export the network settings).
    for (k, v) in [
        (
            "HTTPS_PROXY",
            "http://alice:hunter2@proxy.acme.example:3128",
        ),
        (
            "https_proxy",
            "http://alice:hunter2@proxy.acme.example:3128",
        ),
        ("NO_PROXY", "localhost,.acme.example"),
        ("no_proxy", "localhost,.acme.example"),
    ] {
        w.set(k, v);
    }
    let after = doctor(&w);
    let cells = ide_cells(&after);
    assert!(cells.len() >= 24, "both contexts, every setting: {cells:?}");
    let mismatched: Vec<_> = cells.iter().filter(|(_, _, m)| *m).collect();
    assert!(mismatched.is_empty(), "{mismatched:?}\n{after:#}");
    assert_eq!(
        after["matrix"]["GOPROXY"]["vscode-user:Code"]["value"],
        "https://athens.acme.example,direct"
    );
    assert_eq!(
        after["matrix"]["GOPRIVATE"]["goland-workspace"]["value"],
        "git.acme.example"
    );
    assert_eq!(
        after["matrix"]["HTTPS_PROXY"]["goland-workspace"]["value"],
        "http://alice:xxxxx@proxy.acme.example:3128"
    );
    let ide_findings: Vec<_> = after["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["context"] == "vscode-user:Code" || f["context"] == "goland-workspace")
        .collect();
    assert!(ide_findings.is_empty(), "{ide_findings:?}");

    // The same switch again writes nothing; undo restores both files byte for byte.
    let again = w.modroute(&["use", "acme", "--yes", "--project", &project]);
    assert!(
        String::from_utf8_lossy(&again.stdout).contains("already in effect"),
        "{}",
        String::from_utf8_lossy(&again.stdout)
    );
    let undo = w.modroute(&["undo", "--yes"]);
    assert_eq!(undo.status.code(), Some(0));
    assert_eq!(
        std::fs::read_to_string(w.path("home/.config/Code/User/settings.json")).unwrap(),
        SETTINGS
    );
    assert_eq!(
        std::fs::read_to_string(w.path("proj/.idea/workspace.xml")).unwrap(),
        WORKSPACE
    );
}

#[test]
fn an_unparseable_workspace_is_refused_with_its_position_and_nothing_is_written() {
    let w = world();
    w.write(
        "proj/.idea/workspace.xml",
        b"<project>\n  <component name=\"VgoProject\">\n</project>\n",
    );
    let project = w.path("proj");
    let out = w.modroute(&["use", "acme", "--yes", "--project", &project]);
    assert_eq!(out.status.code(), Some(2));
    let text = String::from_utf8_lossy(&out.stdout);
    let workspace = std::fs::canonicalize(w.path("proj/.idea/workspace.xml")).unwrap();
    assert!(
        text.contains(&format!("{}:3:1: ill-formed document", workspace.display())),
        "{text}"
    );
    assert!(
        text.contains("GOPROXY=https://athens.acme.example,direct"),
        "{text}"
    );
    assert!(!text.contains("hunter2"), "{text}");
    assert_eq!(
        std::fs::read_to_string(w.path("home/.config/Code/User/settings.json")).unwrap(),
        SETTINGS,
        "nothing written"
    );
    let missing = w.modroute(&["use", "acme", "--dry-run", "--project", &w.path("nope")]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&missing.stderr).contains("--project"),
        "{}",
        String::from_utf8_lossy(&missing.stderr)
    );
}
