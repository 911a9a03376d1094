#!/usr/bin/env bash
# The prompt hook's cost when nothing changed, per prompt, against an empty function and against
# direnv's hook (Debian's direnv, in a directory without .envrc), in bash, zsh and fish.
#
# Target (issue 3): ≤ 50 µs per prompt, and ≥ 20× cheaper than direnv's hook (ratio ≤ 0.05).
#
# Each shell runs its hook N times in a loop; the per-prompt cost is (t(N) − t(0)) / N, so shell
# start-up is subtracted. The hook text comes from modroute-core itself (the `bench_fixture`
# test writes it, wired to a generated config dir, into a temporary directory).
#
# Usage: benches/prompt-hook.sh        (needs hyperfine; direnv optional; prints markdown rows)
set -euo pipefail
cd "$(dirname "$0")/.."
command -v hyperfine >/dev/null || { echo "hyperfine is missing (cargo xtask setup installs it)" >&2; exit 2; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
MODROUTE_BENCH_DIR="$tmp" cargo test --quiet -p modroute-core --test core -- --exact hooks::bench_fixture >/dev/null 2>&1 \
  || { echo "cannot generate the hook fixture (cargo test … hooks::bench_fixture)" >&2; exit 2; }
mkdir -p "$tmp/work"
cd "$tmp/work"
export HOME="$tmp" XDG_CONFIG_HOME="$tmp/xdg"
unset DIRENV_DIR DIRENV_FILE DIRENV_DIFF DIRENV_WATCHES

N=5000  # hook iterations
M=100   # direnv iterations (each spawns a process)
have_direnv=$(command -v direnv >/dev/null && echo 1 || echo 0)

rows=()
for sh in bash zsh fish; do
  command -v "$sh" >/dev/null || { echo "skipping $sh: not installed" >&2; continue; }
  hook="$tmp/hook.$sh"
  case $sh in
    bash) run="bash --noprofile --norc -c"; loop() { echo "for ((i=0;i<$2;i++)); do $1; done"; }
          noop='__noop() { :; }'; dhook='eval "$(direnv hook bash)"'; dfn=_direnv_hook ;;
    zsh)  run="zsh -f -c"; loop() { echo "for ((i=0;i<$2;i++)); do $1; done"; }
          noop='__noop() { :; }'; dhook='eval "$(direnv hook zsh)"'; dfn=_direnv_hook ;;
    fish) run="fish --no-config -c"; loop() { echo "for i in (seq $2); $1; end"; }
          noop='function __noop; end'; dhook='direnv hook fish | source'; dfn=__direnv_export_eval ;;
  esac
  pre="source '$hook'; __modroute_hook; $noop"
  cmds=(-n "$sh hook x0" "$run \"$pre; $(loop __modroute_hook 0)\""
        -n "$sh hook x$N" "$run \"$pre; $(loop __modroute_hook $N)\""
        -n "$sh noop x$N" "$run \"$pre; $(loop __noop $N)\"")
  if [ "$have_direnv" = 1 ]; then
    cmds+=(-n "$sh direnv x0" "$run '$dhook; $(loop $dfn 0)'"
           -n "$sh direnv x$M" "$run '$dhook; $(loop $dfn $M)'")
  fi
  hyperfine --style none --warmup 2 --runs 10 -N --export-json "$tmp/$sh.json" "${cmds[@]}" >/dev/null
  rows+=("$(python3 - "$tmp/$sh.json" "$sh" "$N" "$M" <<'PY'
import json, sys
path, sh, n, m = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
r = {x["command"]: x["median"] for x in json.load(open(path))["results"]}
hook = (r[f"{sh} hook x{n}"] - r[f"{sh} hook x0"]) / n
noop = (r[f"{sh} noop x{n}"] - r[f"{sh} hook x0"]) / n
if f"{sh} direnv x{m}" in r:
    direnv = (r[f"{sh} direnv x{m}"] - r[f"{sh} direnv x0"]) / m
    ratio = hook / direnv
    ok = hook <= 50e-6 and ratio <= 0.05
    print(f"| prompt hook ({sh}, no change) | {hook*1e6:.0f} µs (empty function {noop*1e6:.1f} µs) "
          f"| direnv hook {direnv*1e3:.2f} ms | ratio {ratio:.4f} | target ≤ 50 µs and ≤ 0.05 "
          f"| {'met' if ok else 'NOT met'} |")
else:
    ok = hook <= 50e-6
    print(f"| prompt hook ({sh}, no change) | {hook*1e6:.0f} µs (empty function {noop*1e6:.1f} µs) "
          f"| direnv not installed | – | target ≤ 50 µs and ≤ 0.05 | {'met (µs part)' if ok else 'NOT met'} |")
PY
)")
done
printf '%s\n' "${rows[@]}"
