#!/usr/bin/env bash
# `npm test`: builds everything (tsc, as `npm run build`), type-checks the whole tree (tests and
# benchmarks included, `npm run typecheck`), then runs the whole vitest suite — unit
# tests, the store suite on SQLite and PostgreSQL (a throwaway cluster when the binaries exist), the
# end-to-end tests against the real server, and the contract checks (buf lint/breaking, regeneration,
# SDK compile checks). Extra arguments go to vitest: `npm test -- test/contract`.
#
# Exits non-zero when the build or any test fails, and ends with one plain line:
#   N passed, N failed, N skipped
set -uo pipefail
cd "$(dirname "$0")/.."

report="$(mktemp -t openesc-vitest-XXXXXX.json)"
trap 'rm -f "$report"' EXIT

echo "== build (npm run build)"
build_status=0
npm run build || build_status=$?
# The whole tree type-checks too: tests and benchmarks are not part of the build.
echo "== typecheck (npm run typecheck)"
npm run typecheck || build_status=$?
if [ "$build_status" -ne 0 ]; then
  echo "test.sh: BUILD OR TYPECHECK FAILED (exit $build_status); running the tests anyway to report them" >&2
fi

echo "== tests (vitest run)"
test_status=0
npx vitest run --reporter=default --reporter=json --outputFile.json="$report" "$@" || test_status=$?

# Counts from vitest's JSON report. A test file that fails before any test runs (an import error,
# a failing hook) counts as one failure, so that the line never hides a broken file.
summary="$(node - "$report" "$build_status" <<'JS'
const fs = require("node:fs");
const [file, buildStatus] = process.argv.slice(2);
let passed = 0, failed = Number(buildStatus) === 0 ? 0 : 1, skipped = 0;
try {
  const r = JSON.parse(fs.readFileSync(file, "utf8"));
  passed = r.numPassedTests ?? 0;
  failed += r.numFailedTests ?? 0;
  skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  for (const suite of r.testResults ?? []) {
    const anyFailed = (suite.assertionResults ?? []).some((a) => a.status === "failed");
    if (suite.status === "failed" && !anyFailed) failed += 1;
  }
} catch {
  failed += 1; // no report at all: vitest itself did not run to the end
}
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
JS
)"

status=0
if [ "$build_status" -ne 0 ] || [ "$test_status" -ne 0 ]; then status=1; fi
case "$summary" in *" 0 failed,"*) ;; *) status=1 ;; esac
echo
if [ "$build_status" -ne 0 ]; then echo "build: FAILED (counted as one failure below)"; fi
echo "$summary"
exit "$status"
