#!/usr/bin/env bash
# Times fateshare against RePyability's compiled (numba) engine on the same
# system (tiered.py), one core each, in CPU seconds (process time, so that
# other load on the machine matters less). Needs python3 with venv and
# network access to PyPI the first time.
#
#   benches/peer/run.sh [YEARS]      # default 200000
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
years=${1:-200000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
venv=${PEER_VENV:-$root/target/peer-venv}
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet "repyability[fast]==0.15"
fi
cargo build --release --quiet --manifest-path "$root/Cargo.toml"
bin=$root/target/release/fateshare
python3 "$here/tiered.py" toml > "$work/tiered.toml"

# CPU seconds of one fateshare run, net of a 1,000-year run (start-up, output).
cpu() {
    /usr/bin/time -f "%U %S" -o "$work/t" "$bin" run "$work/tiered.toml" --threads 1 \
        --out "$work/out" "$@" > /dev/null
    awk '{print $1 + $2}' "$work/t"
}
for mode in default summary-only; do
    flags=()
    [ "$mode" = summary-only ] && flags=(--summary-only)
    small=$(cpu --trials 1000 "${flags[@]}")
    big=$(cpu --trials "$years" "${flags[@]}")
    awk -v m="$mode" -v y="$years" -v a="$small" -v b="$big" \
        'BEGIN { printf "fateshare %s %d %.3f s CPU (%.1f us a year)\n", m, y, b - a, (b - a) / (y - 1000) * 1e6 }'
done
"$venv/bin/python" "$here/tiered.py" repyability "$years"
