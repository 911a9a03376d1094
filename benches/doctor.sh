#!/usr/bin/env bash
# `modroute doctor --json` versus the slowest single shell start it runs, side by side in one run.
#
# Target (issue 5): the doctor runs every probe at once (8 shells, `go env -json` of each go on
# PATH, environment.d, VS Code / GoLand / direnv files), so its median wall time is at most 1.3×
# the median of the slowest shell start among `bash -i -l -c true`, `zsh -i -l -c true` and
# `fish -l -i -c true`. Everything runs in the same temporary HOME holding the doctor's test
# fixtures (Debian's .bashrc and .profile with Go exports, an oh-my-zsh-style .zshrc, VS Code
# settings, a GoLand workspace.xml, an .envrc, an environment.d file), so every shell reads the
# same start-up files the doctor's shells read.
#
# Usage: benches/doctor.sh [path/to/modroute]
#   default: $MODROUTE_CLI_BIN (set by `cargo xtask bench`), else <target dir>/release/modroute
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-${MODROUTE_CLI_BIN:-${CARGO_TARGET_DIR:-target}/release/modroute}}
[ -x "$bin" ] || cargo build --quiet --release -p modroute-cli
bin=$(realpath "$bin")
command -v hyperfine >/dev/null || { echo "hyperfine is missing (cargo xtask setup installs it)" >&2; exit 2; }
command -v go >/dev/null || { echo "go is missing (cargo xtask setup installs it)" >&2; exit 2; }
fixtures=$(realpath crates/modroute-core/tests/core/fixtures/doctor)

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
home="$tmp/home"
mkdir -p "$home/.config/go" "$home/.config/Code/User" "$home/.config/environment.d" \
  "$tmp/proj/.idea" "$tmp/proj/.vscode"
cp "$fixtures/debian.bashrc" "$home/.bashrc"
cp "$fixtures/debian.profile" "$home/.profile"
cp "$fixtures/ohmyzsh.zshrc" "$home/.zshrc"
cp "$fixtures/settings.json" "$home/.config/Code/User/settings.json"
cp "$fixtures/50-corp.conf" "$home/.config/environment.d/"
cp "$fixtures/workspace.xml" "$tmp/proj/.idea/workspace.xml"
cp "$fixtures/envrc" "$tmp/proj/.envrc"
printf 'GOPROXY=https://goproxy.cn,direct\nGOPRIVATE=*.corp.example\n' >"$home/.config/go/env"

# The environment the doctor gives its shells: HOME, USER, PATH, SHELL, TERM=dumb, LANG.
go_dir=$(dirname "$(command -v go)")
clean=(env -i "HOME=$home" "USER=${USER:-bench}" "PATH=$go_dir:/usr/local/bin:/usr/bin:/bin"
  "SHELL=$(command -v bash)" TERM=dumb LANG=C.UTF-8)
cd "$tmp"

shells=()
for s in "bash -i -l" "zsh -i -l" "fish -l -i"; do
  command -v "${s%% *}" >/dev/null || continue
  shells+=(-n "$s -c true" "${clean[*]} $s -c true")
done

# doctor exits 1 (the fixtures have findings): -i keeps hyperfine going.
hyperfine --style basic --warmup 3 --min-runs 30 -N -i --export-json "$tmp/doctor.json" \
  -n "modroute doctor --json" "${clean[*]} $bin doctor --json --project $tmp/proj" \
  "${shells[@]}" >&2

python3 - "$tmp/doctor.json" <<'PY'
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
ours = r.pop("modroute doctor --json")["median"]
name, slowest = max(((k, v["median"]) for k, v in r.items()), key=lambda kv: kv[1])
ratio = ours / slowest
print(f"| doctor vs slowest shell start ({name}) | {ours*1e3:.2f} ms | {slowest*1e3:.2f} ms | {ratio:.3f} | <= 1.3 | {'met' if ratio <= 1.3 else 'NOT met'} |")
PY
