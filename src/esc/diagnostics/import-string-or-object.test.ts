import { describe, expect, it } from "vitest";
import { expectDiagnostics } from "../testdata/expect-diagnostics.js";

describe("diagnostic: `import must be a string or an object`", () => {
  it("is reported exactly, with range and path", async () => {
    await expectDiagnostics("imports:\n  - [x]\n  -\nvalues: {x: 1}\n", {}, {}, [
      "env:2:6: error: import must be a string or an object [imports[0]]",
      "env:3:4: error: import must be a string or an object [imports[1]]"
    ], "{\"x\":1}");
  });
});
