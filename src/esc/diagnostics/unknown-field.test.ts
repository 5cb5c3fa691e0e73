import { describe, expect, it } from "vitest";
import { expectDiagnostics } from "../testdata/expect-diagnostics.js";

describe("diagnostic: `Field 'K' does not exist on Object 'environment'\u2026` (warning)", () => {
  it("is reported exactly, with range and path", async () => {
    await expectDiagnostics("value: {a: 1}\n", {}, {}, [
      "env:1:1: warning: Field 'value' does not exist on Object 'environment'. Existing fields are: 'values', 'imports', 'description' [value]"
    ], "null");
  });
});
