#!/usr/bin/env bash
# `modroute check` of a private route — a module proxy over TLS that wants Basic auth (the
# credentials in ~/.netrc), then `direct` to a git repository that wants them too (the real
# `git ls-remote` through the forward proxy) — against the same route without auth, side by side
# in one run.
#
# Target (issue 10): with auth and the git probe, at most 1.2x the wall time of the same route
# without auth (the git probe runs concurrently with the others).
# Every endpoint is a loopback server of modroute-testkit (`modroute-testserver`); the git
# repository is served by the real `git http-backend`.
#
# Usage: benches/private-route.sh [path/to/modroute]
set -euo pipefail
cd "$(dirname "$0")/.."
target=${CARGO_TARGET_DIR:-target}
bin=${1:-${MODROUTE_CLI_BIN:-$target/release/modroute}}
server=${MODROUTE_TESTSERVER_BIN:-$target/release/modroute-testserver}
[ -x "$bin" ] || cargo build --quiet --release -p modroute-cli
[ -x "$server" ] || cargo build --quiet --release -p modroute-testkit --bins
bin=$(realpath "$bin")
command -v hyperfine >/dev/null || { echo "hyperfine is missing (cargo xtask setup installs it)" >&2; exit 2; }
command -v git >/dev/null || { echo "git is missing" >&2; exit 2; }

tmp=$(mktemp -d)
mkfifo "$tmp/stdin"
"$server" <"$tmp/stdin" >"$tmp/ports.json" &
server_pid=$!
exec 3>"$tmp/stdin"
trap 'exec 3>&-; wait "$server_pid" 2>/dev/null; rm -rf "$tmp"' EXIT
for _ in $(seq 100); do [ -s "$tmp/ports.json" ] && break; sleep 0.05; done
field() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$tmp/ports.json" "$1"; }
tls=$(field tls)
proxy=$(field proxy)
ca=$(field ca_file)
hostport=${tls#https://}

mkdir -p "$tmp/home"
# go sends the proxy's credentials (machine with its port); git reads ~/.netrc for the
# repository's host.
printf 'machine %s login gopher password s3cret-token\nmachine athens.corp.test login gopher password s3cret-token\n' \
  "$hostport" >"$tmp/home/.netrc"
chmod 600 "$tmp/home/.netrc"
export HOME="$tmp/home" GOSUMDB=off GOTELEMETRY=off GOENV=off GIT_CONFIG_NOSYSTEM=1
export HTTPS_PROXY="$proxy" SSL_CERT_FILE="$ca" GIT_SSL_CAINFO="$ca"
unset GONOPROXY GOPRIVATE HTTP_PROXY https_proxy http_proxy NO_PROXY no_proxy GOAUTH NETRC

run() { # fault (of the proxy) and git fault → a check command line
  echo "env GOPROXY=$tls/$1,direct $bin check --timeout-ms 10000 --samples 1 --module athens.corp.test/$2/repo"
}
# Both must be healthy, or the comparison means nothing.
for pair in "auth git-auth" "ok git"; do
  set -- $pair
  $(run "$1" "$2") >/dev/null || { echo "the $1/$2 route is not healthy:" >&2; $(run "$1" "$2") >&2; exit 1; }
done

hyperfine --style basic --warmup 1 --min-runs 8 --max-runs 15 -N --export-json "$tmp/r.json" \
  -n "private route with auth (netrc) and direct git" "$(run auth git-auth)" \
  -n "the same route without auth" "$(run ok git)" >&2

python3 - "$tmp/r.json" <<'PY'
import json, sys
r = {x["command"]: x["median"] for x in json.load(open(sys.argv[1]))["results"]}
auth = r["private route with auth (netrc) and direct git"]
plain = r["the same route without auth"]
ratio = auth / plain
print(f"| `check` of a private route: proxy with Basic auth from ~/.netrc, then `direct` through git (auth too), vs the same route without auth | {auth*1e3:.1f} ms | {plain*1e3:.1f} ms | {ratio:.2f} | <= 1.2 | {'met' if ratio <= 1.2 else 'NOT met'} |")
PY
