import { describe, expect, it } from "vitest";
import { expectDiagnostics } from "../testdata/expect-diagnostics.js";

describe("diagnostic: `yaml: \u2026` (YAML library text), no range", () => {
  it("is reported exactly, with range and path", async () => {
    await expectDiagnostics("a: [1, 2\n", {}, {}, [
      "env: error: yaml: line 1: did not find expected ',' or ']'"
    ], "null");
  });
});
