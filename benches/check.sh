#!/usr/bin/env bash
# `modroute check` of 12 endpoints, 3 of which hang, against the same check run sequentially
# (`--jobs 1`), side by side in one run; then peak memory with huge and endless bodies against
# the same number of normal answers.
#
# Targets (issue 4): with a 1.5 s deadline per endpoint the whole check takes at most 1.7× the
# deadline (a sequential checker needs at least 3×); memory stays flat whatever the bodies.
# Every endpoint is a loopback server of modroute-testkit (`modroute-testserver`).
#
# Usage: benches/check.sh [path/to/modroute]
#   default: $MODROUTE_CLI_BIN, else <target dir>/release/modroute; the test server comes from
#   $MODROUTE_TESTSERVER_BIN, else <target dir>/release/modroute-testserver.
set -euo pipefail
cd "$(dirname "$0")/.."
target=${CARGO_TARGET_DIR:-target}
bin=${1:-${MODROUTE_CLI_BIN:-$target/release/modroute}}
server=${MODROUTE_TESTSERVER_BIN:-$target/release/modroute-testserver}
[ -x "$bin" ] || cargo build --quiet --release -p modroute-cli
[ -x "$server" ] || cargo build --quiet --release -p modroute-testkit --bins
bin=$(realpath "$bin")
command -v hyperfine >/dev/null || { echo "hyperfine is missing (cargo xtask setup installs it)" >&2; exit 2; }

tmp=$(mktemp -d)
# The server runs until its stdin closes: feed it from a FIFO held open by this script.
mkfifo "$tmp/stdin"
"$server" <"$tmp/stdin" >"$tmp/ports.json" &
server_pid=$!
exec 3>"$tmp/stdin"
trap 'exec 3>&-; wait "$server_pid" 2>/dev/null; rm -rf "$tmp"' EXIT
for _ in $(seq 100); do [ -s "$tmp/ports.json" ] && break; sleep 0.05; done
http=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["http"])' "$tmp/ports.json")

mkdir -p "$tmp/home"
export HOME="$tmp/home" GOSUMDB=off GOTELEMETRY=off
unset GOENV GONOPROXY GOPRIVATE HTTPS_PROXY HTTP_PROXY https_proxy http_proxy NO_PROXY no_proxy
entries=()
for i in $(seq 9); do entries+=("$http/slow-$((20 + i * 5))"); done
for i in 1 2 3; do entries+=("$http/hang"); done
GOPROXY=$(IFS='|'; echo "${entries[*]}")
export GOPROXY
check="$bin check --timeout-ms 1500 --module example.com/m"

hyperfine --style basic --warmup 1 --min-runs 5 --max-runs 8 -N --export-json "$tmp/check.json" \
  -n "check, 12 endpoints (3 hang)" "$check --samples 3" \
  -n "check --jobs 1 (sequential baseline)" "$check --samples 3 --jobs 1" >&2

# Peak memory: 6 huge (64 MiB) and 6 endless bodies versus 12 normal answers.
peak() { # GOPROXY... → max RSS of one check, in KiB
  GOPROXY="$1" python3 -c '
import resource, subprocess, sys
done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL)
assert done.returncode in (0, 1), f"check failed to run: exit {done.returncode}"
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)' $check --samples 1
}
big=(); normal=()
for i in $(seq 6); do big+=("$http/huge" "$http/endless"); normal+=("$http/ok" "$http/ok"); done
big_kib=$(peak "$(IFS='|'; echo "${big[*]}")")
normal_kib=$(peak "$(IFS='|'; echo "${normal[*]}")")

python3 - "$tmp/check.json" "$big_kib" "$normal_kib" <<'PY'
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
conc = r["check, 12 endpoints (3 hang)"]["median"]
seq = r["check --jobs 1 (sequential baseline)"]["median"]
deadline = 1.5
ratio = conc / deadline
print(f"| check, 12 endpoints with 3 hanging (deadline 1.5 s) | {conc*1e3:.0f} ms = {ratio:.2f}x deadline | sequential {seq*1e3:.0f} ms = {seq/deadline:.2f}x deadline | {conc/seq:.3f} | <= 1.7x deadline | {'met' if ratio <= 1.7 else 'NOT met'} |")
big, normal = int(sys.argv[2]) / 1024, int(sys.argv[3]) / 1024
flat = big <= normal + 4
print(f"| check peak RSS, 6 huge + 6 endless bodies | {big:.1f} MB | 12 normal answers {normal:.1f} MB | {big/normal:.2f} | flat (<= +4 MB) | {'met' if flat else 'NOT met'} |")
PY
