import { describe, expect, it } from "vitest";
import { expectDiagnostics } from "../testdata/expect-diagnostics.js";

describe("diagnostic: `array index I out-of-bounds for array of length N`", () => {
  it("is reported exactly, with range and path", async () => {
    await expectDiagnostics("values:\n  l: [1, 2, 3]\n  a: ${l[3]}\n", {}, {}, [
      "env:3:9: error: array index 3 out-of-bounds for array of length 3 [values.a]"
    ], "{\"a\":\"[unknown]\",\"l\":[1,2,3]}");
  });
});
