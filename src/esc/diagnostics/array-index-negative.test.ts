import { describe, expect, it } from "vitest";
import { expectDiagnostics } from "../testdata/expect-diagnostics.js";

describe("diagnostic: `array indices must not be negative`", () => {
  it("is reported exactly, with range and path", async () => {
    await expectDiagnostics("values:\n  l: [1]\n  a: ${l[-1]}\n", {}, {}, [
      "env:3:9: error: array indices must not be negative [values.a]"
    ], "{\"a\":\"[unknown]\",\"l\":[1]}");
  });
});
