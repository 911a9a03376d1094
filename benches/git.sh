#!/usr/bin/env bash
# `modroute status --git` (the Overview's payload: the status report plus git's view, one
# `git config --list` run) versus `go env -json` for the same variables, side by side in one run.
#
# Targets (issue 12, git context): with git asked as well, `status` stays faster than one
# `go env -json` (ratio <= 1), so the app's Overview stays instant; and git's view costs at most
# 1.5x one bare `git config --list --show-origin --show-scope -z` run (the time `status --git`
# adds to `status`, against that run).
#
# Usage: benches/git.sh [path/to/modroute]
#   default: $MODROUTE_CLI_BIN (set by `cargo xtask bench`), else <target dir>/release/modroute
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-${MODROUTE_CLI_BIN:-${CARGO_TARGET_DIR:-target}/release/modroute}}
[ -x "$bin" ] || cargo build --quiet --release -p modroute-cli
bin=$(realpath "$bin")
command -v hyperfine >/dev/null || { echo "hyperfine is missing (cargo xtask setup installs it)" >&2; exit 2; }
command -v go >/dev/null || { echo "go is missing (cargo xtask setup installs it)" >&2; exit 2; }
command -v git >/dev/null || { echo "git is missing" >&2; exit 2; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/home/.config/go"
printf 'GOPROXY=https://goproxy.cn,direct\nGOPRIVATE=*.corp.example\nGOSUMDB=sum.golang.org\n' >"$tmp/home/.config/go/env"
# A realistic global git config: a proxy, TLS settings, rewrites, helpers, an include.
cat >"$tmp/home/.gitconfig" <<'GIT'
[user]
	name = Dev
	email = dev@corp.example
[include]
	path = ~/.gitconfig.local
[http]
	proxy = http://proxy.corp.example:3128
	sslCAInfo = /etc/ssl/certs/ca-certificates.crt
[http "https://git.corp.example"]
	proxy =
[url "git@git.corp.example:"]
	insteadOf = https://git.corp.example/
[credential]
	helper = cache
[alias]
	st = status
	co = checkout
GIT
printf '[core]\n\teditor = vi\n' >"$tmp/home/.gitconfig.local"
vars="GOPROXY GOSUMDB GOPRIVATE GONOPROXY GONOSUMDB GOINSECURE GOFLAGS GOTOOLCHAIN"
export HOME="$tmp/home" GOTELEMETRY=off GOTOOLCHAIN=local GIT_CONFIG_NOSYSTEM=1
unset GOENV GOPROXY GOSUMDB GOPRIVATE GONOPROXY GONOSUMDB GOINSECURE GOFLAGS XDG_CONFIG_HOME GIT_CONFIG_GLOBAL
cd "$tmp"

hyperfine --style basic --warmup 5 --min-runs 40 -N --export-json "$tmp/git.json" \
  -n "modroute status --json --git" "$bin status --json --git" \
  -n "modroute status --json" "$bin status --json" \
  -n "git config --list (baseline)" "git config --list --show-origin --show-scope -z" \
  -n "go env -json (baseline)" "go env -json $vars" >&2

python3 - "$tmp/git.json" <<'PY'
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
git = r["modroute status --json --git"]["median"]
plain = r["modroute status --json"]["median"]
base = r["go env -json (baseline)"]["median"]
bare = r["git config --list (baseline)"]["median"]
ratio = git / base
print(f"| status --git vs go env -json | {git*1e3:.2f} ms | {base*1e3:.2f} ms | {ratio:.3f} | <= 1.0 | {'met' if ratio <= 1.0 else 'NOT met'} |")
added = git - plain
print(f"| git's view (status --git minus status) vs one git config --list | {added*1e3:.2f} ms | {bare*1e3:.2f} ms | {added/bare:.3f} | <= 1.5 | {'met' if added <= 1.5 * bare else 'NOT met'} |")
PY
