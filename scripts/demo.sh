#!/usr/bin/env bash
# The main job on the built-in lab: boot the seed's topology (2 routers, 1 host), apply the
# gateway roles, verify, and show the host's ECMP default route. Needs root. Safe to run twice.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
npx prov lab up
npx prov apply inventory/lab.yml
npx prov verify inventory/lab.yml
echo
echo "host's routing table:"
npx prov lab exec host -- ip route
