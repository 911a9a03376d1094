#!/usr/bin/env bash
# The Docker switch target's cost: a switch between two profiles that differ in their proxies,
# with Docker's config.json written (`docker = true`) versus the same switch without it.
#
# Targets (issue 12): the Docker target's own work — reading, editing and diffing config.json —
# adds at most 1 ms of CPU time (user + system) to a switch; its wall time, which also waits for
# one more fsynced file and its journal copy, stays within 1.3x the switch without it (a switch
# already writes half a dozen fsynced files). Two HOMEs, side by side in
# one run, with the same profiles and files; in one the profiles say `docker = true`, so every
# timed `use` also plans, diffs, journals and fsyncs a realistic ~/.docker/config.json (30
# registries in `auths`, a credential helper per registry, plugins, aliases, proxies for another
# daemon). An untimed `use a` before each timed `use b` makes every run a real change.
#
# Usage: benches/docker.sh [path/to/modroute]
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-${MODROUTE_CLI_BIN:-${CARGO_TARGET_DIR:-target}/release/modroute}}
[ -x "$bin" ] || cargo build --quiet --release -p modroute-cli
bin=$(realpath "$bin")
command -v hyperfine >/dev/null || { echo "hyperfine is missing (cargo xtask setup installs it)" >&2; exit 2; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for home in plain docker; do
  mkdir -p "$tmp/$home/.config/go" "$tmp/$home/.config/modroute" "$tmp/$home/.docker"
  printf 'GOPROXY=https://goproxy.cn,direct\n' >"$tmp/$home/.config/go/env"
  printf '# ~/.bashrc\nalias ll="ls -l"\n' >"$tmp/$home/.bashrc"
  {
    printf '{\n\t"auths": {\n'
    for i in $(seq 1 30); do printf '\t\t"registry%s.corp.example": {\n\t\t\t"auth": "dXNlcjpzZWNyZXQt%s"\n\t\t},\n' "$i" "$i"; done
    printf '\t\t"https://index.docker.io/v1/": {}\n\t},\n\t"credHelpers": {\n'
    for i in $(seq 1 30); do printf '\t\t"registry%s.corp.example": "pass",\n' "$i"; done
    printf '\t\t"gcr.io": "gcloud"\n\t},\n\t"plugins": { "buildx": { "default": "true" } },\n'
    printf '\t"aliases": { "builder": "buildx" },\n\t"psFormat": "table {{.ID}}\\t{{.Names}}",\n'
    printf '\t"proxies": {\n\t\t"tcp://build.corp.example:2376": { "httpsProxy": "http://other.corp.example:3128" }\n\t},\n'
    printf '\t"currentContext": "default"\n}\n'
  } >"$tmp/$home/.docker/config.json"
  chmod 600 "$tmp/$home/.docker/config.json"
done
profiles() {
  printf '[profiles.a]\nGOPROXY = "https://goproxy.cn,direct"\nHTTPS_PROXY = "http://a.corp.example:3128"\nNO_PROXY = "localhost,.corp.example"\ndocker = %s\n\n' "$1"
  printf '[profiles.b]\nGOPROXY = "https://proxy.golang.org,direct"\nHTTPS_PROXY = "http://b.corp.example:3128"\nHTTP_PROXY = "http://b.corp.example:3128"\ndocker = %s\n' "$1"
}
profiles false >"$tmp/plain/.config/modroute/profiles.toml"
profiles true >"$tmp/docker/.config/modroute/profiles.toml"

export GOTELEMETRY=off GOTOOLCHAIN=local SHELL=/bin/bash
unset GOENV GOPROXY GOSUMDB GOPRIVATE GONOPROXY GONOSUMDB GOINSECURE GOFLAGS HTTP_PROXY HTTPS_PROXY NO_PROXY http_proxy https_proxy no_proxy XDG_CONFIG_HOME XDG_STATE_HOME DOCKER_CONFIG DOCKER_HOST
cd "$tmp"
HOME="$tmp/docker" "$bin" use b --yes >/dev/null
grep -q '"httpsProxy": "http://b.corp.example:3128"' "$tmp/docker/.docker/config.json" || { echo "config.json did not follow the switch" >&2; exit 1; }
grep -q 'b.corp.example' "$tmp/plain/.docker/config.json" && { echo "docker = false must leave config.json alone" >&2; exit 1; }

hyperfine --style basic --warmup 3 --min-runs 40 --export-json "$tmp/docker.json" \
  --prepare "HOME=$tmp/plain $bin use a --yes >/dev/null" \
  -n "switch, Docker target off" "HOME=$tmp/plain $bin use b --yes" \
  --prepare "HOME=$tmp/docker $bin use a --yes >/dev/null" \
  -n "switch, Docker target on" "HOME=$tmp/docker $bin use b --yes" >&2

python3 - "$tmp/docker.json" <<'PY'
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
off = r["switch, Docker target off"]["median"]
on = r["switch, Docker target on"]["median"]
ratio = on / off
print(f"| use, proxies change + Docker config.json (30 registries) vs without the Docker target (wall) | {on*1e3:.2f} ms | {off*1e3:.2f} ms | {ratio:.2f} | <= 1.3 | {'met' if ratio <= 1.3 else 'NOT met'} |")
cpu = lambda x: (x["user"] + x["system"]) * 1e3
extra = cpu(r["switch, Docker target on"]) - cpu(r["switch, Docker target off"])
print(f"| use + Docker config.json vs without (CPU, user + system, mean) | {cpu(r['switch, Docker target on']):.2f} ms | {cpu(r['switch, Docker target off']):.2f} ms | +{extra:.2f} ms | <= +1 ms | {'met' if extra <= 1.0 else 'NOT met'} |")
PY
