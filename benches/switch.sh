#!/usr/bin/env bash
# `modroute use` (every target, journaled, fsynced) versus one `go env -w GOPROXY=…`.
#
# Target (issue 3): the median of `modroute use` is at most 1.0x the median of a single
# `go env -w GOPROXY=…`, measured side by side in one run. Two cases:
#   - every target: before each timed `use`, an untimed `undo` restores the untouched HOME, so
#     every timed run writes the go env file, every shell's env file, the rc blocks, the
#     generation file and environment.d — each fsynced, plus the journal;
#   - everyday switch between two mirror profiles: an untimed `use domestic` before each timed
#     `use official`, so only the go env file (and the journal) change.
#
# Target (issue 15): the IDE targets add at most 1 ms to a switch. The everyday switch runs in
# two more HOMEs, side by side in the same run: one without IDEs, one whose VS Code user
# settings configure the Go extension (so VS Code follows automatically) and whose
# targets.toml lists a JetBrains project with a realistic .idea/workspace.xml — there the
# switch also rewrites go.toolsEnvVars and the Go Modules environment (both fsynced, journaled).
#
# Usage: benches/switch.sh [path/to/modroute]
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-${MODROUTE_CLI_BIN:-${CARGO_TARGET_DIR:-target}/release/modroute}}
[ -x "$bin" ] || cargo build --quiet --release -p modroute-cli
bin=$(realpath "$bin")
command -v hyperfine >/dev/null || { echo "hyperfine is missing (cargo xtask setup installs it)" >&2; exit 2; }
command -v go >/dev/null || { echo "go is missing (cargo xtask setup installs it)" >&2; exit 2; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/home/.config/go"
printf '# mine\nGOPROXY=https://goproxy.cn,direct\nGOPRIVATE=*.corp.example\n' >"$tmp/home/.config/go/env"
printf '# ~/.bashrc\ncase $- in *i*) ;; *) return;; esac\nalias ll="ls -l"\n' >"$tmp/home/.bashrc"
printf '# ~/.profile\n[ -n "$BASH_VERSION" ] && [ -f "$HOME/.bashrc" ] && . "$HOME/.bashrc"\n' >"$tmp/home/.profile"
# Two more HOMEs like it: without and with the IDE targets.
cp -a "$tmp/home" "$tmp/plain"
cp -a "$tmp/home" "$tmp/ide"
mkdir -p "$tmp/ide/.config/Code/User" "$tmp/ide/.config/modroute" "$tmp/proj/.idea"
{
  printf '{\n    // Editor\n    "editor.fontSize": 14,\n    "editor.formatOnSave": true,\n    "files.exclude": { "**/.git": true, "**/node_modules": true },\n'
  for i in $(seq 1 40); do printf '    "workbench.setting%s": "value %s",\n' "$i" "$i"; done
  printf '    /* Go */\n    "go.useLanguageServer": true,\n    "go.toolsEnvVars": {\n        "CGO_ENABLED": "0",\n    },\n    "gopls": { "ui.semanticTokens": true },\n}\n'
} >"$tmp/ide/.config/Code/User/settings.json"
{
  printf '<?xml version="1.0" encoding="UTF-8"?>\n<project version="4">\n'
  printf '  <component name="ChangeListManager">\n    <list default="true" id="1" name="Changes" comment="" />\n  </component>\n'
  printf '  <component name="RunManager" selected="Go Build.server">\n'
  for i in $(seq 1 30); do
    printf '    <configuration name="run %s" type="GoApplicationRunConfiguration" factoryName="Go Application">\n      <module name="svc" />\n      <envs>\n        <env name="GOFLAGS" value="-count=1" />\n      </envs>\n      <kind value="PACKAGE" />\n      <package value="example.com/svc/cmd/run%s" />\n      <method v="2" />\n    </configuration>\n' "$i" "$i"
  done
  printf '  </component>\n  <component name="VgoProject">\n    <environment>\n      <map>\n        <entry key="CGO_ENABLED" value="0" />\n      </map>\n    </environment>\n    <integration-enabled>true</integration-enabled>\n  </component>\n</project>\n'
} >"$tmp/proj/.idea/workspace.xml"
printf 'jetbrains_projects = ["%s"]\n' "$tmp/proj" >"$tmp/ide/.config/modroute/targets.toml"

export HOME="$tmp/home" GOTELEMETRY=off GOTOOLCHAIN=local SHELL=/bin/bash
unset GOENV GOPROXY GOSUMDB GOPRIVATE GONOPROXY GONOSUMDB GOINSECURE GOFLAGS XDG_CONFIG_HOME XDG_STATE_HOME
cd "$tmp"
# Both IDE-less and IDE HOMEs start switched once, so the timed runs are everyday switches.
HOME="$tmp/plain" "$bin" use domestic --yes >/dev/null
HOME="$tmp/ide" "$bin" use domestic --yes >/dev/null
grep -q '"GOPROXY": "https://goproxy.cn' "$tmp/ide/.config/Code/User/settings.json" || { echo "VS Code did not follow the switch" >&2; exit 1; }
grep -q '<entry key="GOPROXY"' "$tmp/proj/.idea/workspace.xml" || { echo "the JetBrains project did not follow the switch" >&2; exit 1; }

hyperfine --style basic --warmup 3 --min-runs 30 --export-json "$tmp/switch.json" \
  --prepare "$bin undo --yes >/dev/null 2>&1 || true" \
  -n "modroute use (every target)" "$bin use official --yes" \
  --prepare "$bin use domestic --yes >/dev/null" \
  -n "modroute use (mirror to mirror)" "$bin use official --yes" \
  --prepare "HOME=$tmp/plain $bin use domestic --yes >/dev/null" \
  -n "mirror to mirror, no IDE" "HOME=$tmp/plain $bin use official --yes" \
  --prepare "HOME=$tmp/ide $bin use domestic --yes >/dev/null" \
  -n "mirror to mirror, VS Code + JetBrains" "HOME=$tmp/ide $bin use official --yes" \
  --prepare "true" \
  -n "plan only, no IDE" "HOME=$tmp/plain $bin use domestic --dry-run" \
  --prepare "true" \
  -n "plan only, VS Code + JetBrains" "HOME=$tmp/ide $bin use domestic --dry-run" \
  --prepare "true" \
  -n "go env -w GOPROXY (baseline)" "go env -w GOPROXY=https://proxy.golang.org,direct" >&2

python3 - "$tmp/switch.json" <<'PY'
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
base = r["go env -w GOPROXY (baseline)"]["median"]
for name, label in [("modroute use (every target)", "use, first switch (every target written)"),
                    ("modroute use (mirror to mirror)", "use, mirror to mirror (go env file)")]:
    ours = r[name]["median"]
    ratio = ours / base
    print(f"| {label} vs one go env -w | {ours*1e3:.2f} ms | {base*1e3:.2f} ms | {ratio:.2f} | <= 1.0 | {'met' if ratio <= 1.0 else 'NOT met'} |")
plain = r["mirror to mirror, no IDE"]["median"]
ide = r["mirror to mirror, VS Code + JetBrains"]["median"]
extra = (ide - plain) * 1e3
print(f"| use, mirror to mirror + VS Code settings and a JetBrains project vs without IDEs | {ide*1e3:.2f} ms | {plain*1e3:.2f} ms | +{extra:.2f} ms | <= +1 ms | {'met' if extra <= 1.0 else 'NOT met'} |")
plain = r["plan only, no IDE"]["median"]
ide = r["plan only, VS Code + JetBrains"]["median"]
print(f"| use --dry-run (plan and diffs, no writes) + VS Code and a JetBrains project vs without | {ide*1e3:.2f} ms | {plain*1e3:.2f} ms | +{(ide - plain)*1e3:.2f} ms | (CPU part) | - |")
PY
