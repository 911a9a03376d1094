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
export HOME="$tmp/home" GOTELEMETRY=off GOTOOLCHAIN=local SHELL=/bin/bash
unset GOENV GOPROXY GOSUMDB GOPRIVATE GONOPROXY GONOSUMDB GOINSECURE GOFLAGS XDG_CONFIG_HOME XDG_STATE_HOME
cd "$tmp"

hyperfine --style basic --warmup 3 --min-runs 30 --export-json "$tmp/switch.json" \
  --prepare "$bin undo --yes >/dev/null 2>&1 || true" \
  -n "modroute use (every target)" "$bin use official --yes" \
  --prepare "$bin use domestic --yes >/dev/null" \
  -n "modroute use (mirror to mirror)" "$bin use official --yes" \
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
PY
