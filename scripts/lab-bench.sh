#!/bin/bash
# Measures the lab: warm `lab up` for 3 nodes and for 2 routers + 20 hosts, memory per node,
# and `lab down`. The image must be cached (run `prov lab up` once). Uses the lab name "bench".
set -euo pipefail
cd "$(dirname "$0")/.."
lab() { node --import tsx src/cli/lab-main.ts lab "$@"; }
now() { date +%s%N; }
ms() { echo $(( ($2 - $1) / 1000000 )); }
trap 'lab down --name bench >/dev/null 2>&1 || true' EXIT

memory_per_node() {
  local total=0 n=0 ns pid kb
  for ns in $(ls /run/netns | grep '^prov-bench_\(r\|host\)'); do
    n=$((n + 1))
    for pid in $(ip netns pids "$ns"); do
      kb=$(awk '/^Pss:/ {print $2}' "/proc/$pid/smaps_rollup" 2>/dev/null || echo 0)
      total=$((total + ${kb:-0}))
    done
  done
  echo "$((total / n / 1024)) MB (PSS, $n nodes)"
}

for shape in "2 1" "2 20"; do
  set -- $shape
  t0=$(now); lab up --name bench --routers "$1" --hosts "$2" 2>&1 | grep ' up:'; t1=$(now)
  echo "lab up $1 routers + $2 hosts: $(ms "$t0" "$t1") ms wall (including CLI start-up)"
  echo "memory per node: $(memory_per_node)"
  t0=$(now); lab down --name bench >/dev/null; t1=$(now)
  echo "lab down: $(ms "$t0" "$t1") ms"
done
