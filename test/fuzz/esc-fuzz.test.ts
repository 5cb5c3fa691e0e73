import fc from "fast-check";
import { describe, it } from "vitest";
import { neverThrows, secretsStayOutOfDiagnostics } from "./esc-properties.js";

// Bounded for CI (a few hundred runs, seconds); `npm run fuzz -- SECONDS` runs the same properties longer.
const RUNS = Number(process.env.OPENESC_FUZZ_RUNS ?? 300);

describe("esc under fuzzing", () => {
  it("check and evaluate return diagnostics for any input, never throw", async () => {
    await fc.assert(neverThrows, { numRuns: RUNS });
  }, 60_000);

  it("never put a secret's plaintext in a diagnostic", async () => {
    await fc.assert(secretsStayOutOfDiagnostics, { numRuns: RUNS });
  }, 60_000);
});
