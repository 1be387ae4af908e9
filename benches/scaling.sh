#!/usr/bin/env bash
# Multi-core scaling of the default run (streamed, per-trial table encoded as
# Parquet into a sink), for a machine with many cores: wall seconds per shape
# and thread count, the best of REPS runs, and the speed-up over the first
# thread count given (one thread by default).
# Outputs do not depend on the thread count, so only time is compared.
#
#   benches/scaling.sh [TRIALS] [THREADS...]    # default 1000000, 1 2 4 8 16
#   REPS=3 SHAPES="engine many_architectures" benches/scaling.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
trials=${1:-1000000}
shift || true
threads=("$@")
[ ${#threads[@]} -gt 0 ] || threads=(1 2 4 8 16)
reps=${REPS:-3}
shapes=${SHAPES:-engine many_architectures long_outages peer_tiered}
cargo build --release --quiet --example engine_profile --manifest-path "$root/Cargo.toml"
bin=$root/target/release/examples/engine_profile
t=$(mktemp)
trap 'rm -f "$t"' EXIT
printf '%-20s %8s %10s %9s\n' shape threads seconds speed-up
for shape in $shapes; do
    one=
    for n in "${threads[@]}"; do
        best=
        for _ in $(seq "$reps"); do
            /usr/bin/time -f "%e" -o "$t" "$bin" "$shape" parquet "$trials" "$n" > /dev/null
            s=$(cat "$t")
            best=$(awk -v a="$s" -v b="${best:-$s}" 'BEGIN { print (a < b) ? a : b }')
        done
        one=${one:-$best}
        printf '%-20s %8s %10s %9s\n' "$shape" "$n" "$best" \
            "$(awk -v a="$one" -v b="$best" 'BEGIN { printf "%.2fx", a / b }')"
    done
done
