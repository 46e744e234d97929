#!/usr/bin/env bash
# The whole test suite: type check, unit tests, SSH integration against a real sshd, and the lab
# end-to-end tests (real Debian nodes with systemd, sshd and FRR). Needs root. Safe to run twice.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
npm test
