import { describe, expect, it } from "vitest";
import { expectDiagnostics } from "../testdata/expect-diagnostics.js";

describe("diagnostic: `receiver must be an array or an object`", () => {
  it("is reported exactly, with range and path", async () => {
    await expectDiagnostics("values:\n  s: esc\n  a: ${s.foo}\n", {}, {}, [
      "env:3:9: error: receiver must be an array or an object [values.a]"
    ], "{\"a\":\"[unknown]\",\"s\":\"esc\"}");
  });
});
