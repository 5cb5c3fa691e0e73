import { describe, expect, it } from "vitest";
import { expectDiagnostics } from "../testdata/expect-diagnostics.js";

describe("diagnostic: `merge must be a boolean value`", () => {
  it("is reported exactly, with range and path", async () => {
    await expectDiagnostics("imports:\n  - a: {merge: 3}\nvalues: {x: 1}\n", {"a": "values: {y: 1}\n"}, {}, [
      "env:2:5: error: merge must be a boolean value [imports[0]]"
    ], "{\"x\":1,\"y\":1}");
  });
});
