#!/usr/bin/env bash
# `modroute status` versus `go env -json` for the same variables, side by side in one run.
#
# Target (issue 2): the median of `modroute status --json` (no network, no `go` spawned) is at
# most 1/3 of the median of `go env -json <the same variables>`. Both run in the same temporary
# HOME with a realistic go env file, so neither benefits from a warm cache the other lacks.
#
# Usage: benches/status.sh [path/to/modroute]
#   default: $MODROUTE_CLI_BIN (set by `cargo xtask bench`), else <target dir>/release/modroute
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
printf 'GOPROXY=https://goproxy.cn,direct\nGOPRIVATE=*.corp.example\nGOSUMDB=sum.golang.org\n' >"$tmp/home/.config/go/env"
vars="GOPROXY GOSUMDB GOPRIVATE GONOPROXY GONOSUMDB GOINSECURE GOFLAGS GOTOOLCHAIN"
export HOME="$tmp/home" GOTELEMETRY=off GOTOOLCHAIN=local
unset GOENV GOPROXY GOSUMDB GOPRIVATE GONOPROXY GONOSUMDB GOINSECURE GOFLAGS XDG_CONFIG_HOME
cd "$tmp"

hyperfine --style basic --warmup 5 --min-runs 40 -N --export-json "$tmp/status.json" \
  -n "modroute status --json" "$bin status --json" \
  -n "go env -json (baseline)" "go env -json $vars" >&2

python3 - "$tmp/status.json" <<'PY'
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
ours, base = r["modroute status --json"]["median"], r["go env -json (baseline)"]["median"]
ratio = ours / base
print(f"| status vs go env -json | {ours*1e3:.2f} ms | {base*1e3:.2f} ms | {ratio:.3f} | <= 0.333 | {'met' if ratio <= 1/3 else 'NOT met'} |")
PY
