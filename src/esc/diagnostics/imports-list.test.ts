import { describe, expect, it } from "vitest";
import { expectDiagnostics } from "../testdata/expect-diagnostics.js";

describe("diagnostic: `imports must be a list`", () => {
  it("is reported exactly, with range and path", async () => {
    await expectDiagnostics("imports: a\nvalues: {x: 1}\n", {}, {}, [
      "env:1:10: error: imports must be a list [imports]"
    ], "{\"x\":1}");
  });
});
