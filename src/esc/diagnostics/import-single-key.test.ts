import { describe, expect, it } from "vitest";
import { expectDiagnostics } from "../testdata/expect-diagnostics.js";

describe("diagnostic: `import must have a single key`", () => {
  it("is reported exactly, with range and path", async () => {
    await expectDiagnostics("imports:\n  - {a: {}, b: {}}\nvalues: {x: 1}\n", {"a": "values: {y: 1}\n"}, {}, [
      "env:2:6: error: import must have a single key [imports[0]]"
    ], "{\"x\":1}");
  });
});
