import { describe, expect, it } from "vitest";
import { expectDiagnostics } from "../testdata/expect-diagnostics.js";

describe("diagnostic: `import must be an object` (the import still happens)", () => {
  it("is reported exactly, with range and path", async () => {
    await expectDiagnostics("imports:\n  - a:\nvalues: {x: 1}\n", {"a": "values: {y: 1}\n"}, {}, [
      "env:2:5: error: import must be an object [imports[0]]"
    ], "{\"x\":1,\"y\":1}");
  });
});
