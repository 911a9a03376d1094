#!/usr/bin/env bash
# `modroute exec` and `modroute env --format …` (issue 12), side by side in one run.
#
# Targets: `modroute exec <profile> -- true` takes at most 1.5× the wall time of
# `env VAR=… -u VAR … true` making the same environment changes (no go spawned, no network);
# `modroute env <profile> --format <f>` takes at most 2 ms (median) for every format. Both run in
# the same temporary HOME with a profiles file and a go env file (exec reads it to name the
# settings it cannot override).
#
# Usage: benches/everywhere.sh [path/to/modroute]
#   default: $MODROUTE_CLI_BIN (set by `cargo xtask bench`), else <target dir>/release/modroute
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-${MODROUTE_CLI_BIN:-${CARGO_TARGET_DIR:-target}/release/modroute}}
[ -x "$bin" ] || cargo build --quiet --release -p modroute-cli
bin=$(realpath "$bin")
command -v hyperfine >/dev/null || { echo "hyperfine is missing (cargo xtask setup installs it)" >&2; exit 2; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/home/.config/go" "$tmp/home/.config/modroute"
printf 'GOPROXY=https://goproxy.cn,direct\nGOPRIVATE=*.corp.example\nGOSUMDB=sum.golang.org\n' >"$tmp/home/.config/go/env"
cat >"$tmp/home/.config/modroute/profiles.toml" <<'TOML'
[profiles.acme]
label = "ACME corp"
GOPROXY = "https://athens.acme.example,https://goproxy.cn,direct"
GOSUMDB = "sum.golang.org"
GOPRIVATE = "git.acme.example/*,*.corp.example"
GONOSUMDB = "git.acme.example"
GOINSECURE = "legacy.acme.example"
GOFLAGS = "-mod=mod"
GOTOOLCHAIN = "local"
HTTPS_PROXY = "http://build:s3cret@proxy.acme.example:3128"
NO_PROXY = "localhost,.acme.example"
TOML
export HOME="$tmp/home"
unset GOENV XDG_CONFIG_HOME
cd "$tmp"

# The same changes as env(1) arguments: what exec sets, and -u for what it removes.
set_args="GOPROXY=https://athens.acme.example,https://goproxy.cn,direct GOSUMDB=sum.golang.org"
set_args+=" GOPRIVATE=git.acme.example/*,*.corp.example GONOSUMDB=git.acme.example"
set_args+=" GOINSECURE=legacy.acme.example GOFLAGS=-mod=mod GOTOOLCHAIN=local"
set_args+=" HTTPS_PROXY=http://build:s3cret@proxy.acme.example:3128 https_proxy=http://build:s3cret@proxy.acme.example:3128"
set_args+=" NO_PROXY=localhost,.acme.example no_proxy=localhost,.acme.example"
unset_args="-u GONOPROXY -u HTTP_PROXY -u http_proxy -u SSL_CERT_FILE"

hyperfine --style basic --warmup 10 --min-runs 100 -N --export-json "$tmp/exec.json" \
  -n "modroute exec acme -- true" "$bin exec acme -- true" \
  -n "env VAR=… true (baseline)" "env $unset_args $set_args true" >&2

formats=sh,fish,powershell,cmd,dotenv,docker-build-args,github-actions,gitlab-ci,json
hyperfine --style basic --warmup 5 --min-runs 40 -N --export-json "$tmp/env.json" \
  -L fmt "$formats" -n "env --format {fmt}" "$bin env acme --format {fmt}" >&2
# dockerfile refuses this profile (a password); it is measured with the official profile.
hyperfine --style basic --warmup 5 --min-runs 40 -N --export-json "$tmp/dockerfile.json" \
  -n "env --format dockerfile" "$bin env official --format dockerfile" >&2

python3 - "$tmp/exec.json" "$tmp/env.json" "$tmp/dockerfile.json" <<'PY'
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
ours, base = r["modroute exec acme -- true"]["median"], r["env VAR=… true (baseline)"]["median"]
ratio = ours / base
print(f"| exec acme -- true vs env VAR=… true | {ours*1e3:.2f} ms | {base*1e3:.2f} ms | {ratio:.2f} | <= 1.5 | {'met' if ratio <= 1.5 else 'NOT met'} |")
# CPU time (user + system, means) does not stretch when other processes share the cores.
cpu = lambda x: x["user"] + x["system"]
ours_cpu, base_cpu = cpu(r["modroute exec acme -- true"]), cpu(r["env VAR=… true (baseline)"])
print(f"| the same, CPU (user + system) | {ours_cpu*1e3:.2f} ms | {base_cpu*1e3:.2f} ms | {ours_cpu/base_cpu:.2f} | <= 1.5 | {'met' if ours_cpu/base_cpu <= 1.5 else 'NOT met'} |")
for x in json.load(open(sys.argv[2]))["results"] + json.load(open(sys.argv[3]))["results"]:
    m = x["median"] * 1e3
    print(f"| {x['command']} | {m:.2f} ms | — | — | <= 2 ms | {'met' if m <= 2 else 'NOT met'} |")
PY
