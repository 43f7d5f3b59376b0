#!/usr/bin/env bash
# `npm run test:slow`: the whole suite (npm test: type-check, vitest, Playwright) on ONE CPU
# core with a CPU-burning process beside it on the same core, so every process of the run
# (vitest workers, child simulators, npm start, Chromium) gets about half a core. A test
# whose outcome depends on the machine's speed (a tight timeout, a wall-clock wait, a race
# with a timer) fails here; fix its cause (the injectable clock, waiting for an event or a
# progress condition), not the timeout. Set TEST_SLOW_CORE to pick the core (default 0),
# and E2E_SIM_PORT / E2E_GAME_PORT as for npm test.
set -uo pipefail
cd "$(dirname "$0")/.."

core="${TEST_SLOW_CORE:-0}"
if ! command -v taskset >/dev/null; then
  echo "[test:slow] taskset not found: install util-linux (apt-get install util-linux)" >&2
  exit 2
fi

taskset -c "$core" node -e 'for (;;) {}' &
burner=$!
# The burner is ours alone: stop it by its id however the run ends.
trap 'kill "$burner" 2>/dev/null' EXIT
trap 'exit 130' INT TERM

echo "[test:slow] core $core, CPU burner pid $burner beside the suite"
started=$(date +%s)
taskset -c "$core" npm test
status=$?
echo "[test:slow] exit $status after $(( $(date +%s) - started )) s on one core shared with a burner"
exit "$status"
