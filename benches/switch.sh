#!/usr/bin/env bash
# `modroute use` (every target, journaled, fsynced) versus one `go env -w GOPROXY=…`.
#
# Target (issue 3): the median of `modroute use official --yes` is at most 1.0x the median of a
# single `go env -w GOPROXY=…`, measured side by side in one run. Before each timed `use`, an
# untimed `undo` puts the previous state back, so every timed run really writes every target.
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
  --prepare "true" \
  -n "go env -w GOPROXY (baseline)" "go env -w GOPROXY=https://proxy.golang.org,direct" >&2

python3 - "$tmp/switch.json" <<'PY'
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
ours, base = r["modroute use (every target)"]["median"], r["go env -w GOPROXY (baseline)"]["median"]
ratio = ours / base
print(f"| use (every target) vs one go env -w | {ours*1e3:.2f} ms | {base*1e3:.2f} ms | {ratio:.2f} | <= 1.0 | {'met' if ratio <= 1.0 else 'NOT met'} |")
PY
