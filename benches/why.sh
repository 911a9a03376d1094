#!/usr/bin/env bash
# `modroute why <module> --json` (no probe) versus `go env -json` for the same variables, side by
# side in one run.
#
# Target (issue 5): the median of `modroute why golang.org/x/text --json` (pure: read the
# settings, explain, no network, no `go` spawned) is at most 1/3 of the median of `go env -json
# <the variables why reads>`. Both run in the same temporary HOME with a realistic go env file
# (GOPRIVATE, mixed separators, an HTTPS proxy with NO_PROXY), so neither benefits from a warm
# cache the other lacks.
#
# Usage: benches/why.sh [path/to/modroute]
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
printf 'GOPROXY=https://goproxy.cn|https://mirrors.aliyun.com/goproxy/,direct\nGOPRIVATE=*.corp.example\nGOSUMDB=sum.golang.org\n' >"$tmp/home/.config/go/env"
vars="GOPROXY GOSUMDB GOPRIVATE GONOPROXY GONOSUMDB GOINSECURE GOFLAGS GOTOOLCHAIN"
export HOME="$tmp/home" GOTELEMETRY=off GOTOOLCHAIN=local
export HTTPS_PROXY=http://proxy.corp.example:3128 NO_PROXY=.corp.example,goproxy.cn
unset GOENV GOPROXY GOSUMDB GOPRIVATE GONOPROXY GONOSUMDB GOINSECURE GOFLAGS XDG_CONFIG_HOME
unset HTTP_PROXY http_proxy https_proxy no_proxy REQUEST_METHOD
cd "$tmp"

# The explanation must be the real one, not an error.
"$bin" why golang.org/x/text --json | python3 -c '
import json, sys
r = json.load(sys.stdin)
assert r["error"] is None and len(r["attempts"]) == 3, r' >&2

hyperfine --style basic --warmup 5 --min-runs 40 -N --export-json "$tmp/why.json" \
  -n "modroute why --json" "$bin why golang.org/x/text --json" \
  -n "go env -json (baseline)" "go env -json $vars" >&2

python3 - "$tmp/why.json" <<'PY'
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
ours, base = r["modroute why --json"]["median"], r["go env -json (baseline)"]["median"]
ratio = ours / base
print(f"| why vs go env -json | {ours*1e3:.2f} ms | {base*1e3:.2f} ms | {ratio:.3f} | <= 0.333 | {'met' if ratio <= 1/3 else 'NOT met'} |")
PY
