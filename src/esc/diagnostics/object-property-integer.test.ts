import { describe, expect, it } from "vitest";
import { expectDiagnostics } from "../testdata/expect-diagnostics.js";

describe("diagnostic: `cannot access an object property using an integer index`", () => {
  it("is reported exactly, with range and path", async () => {
    await expectDiagnostics("values:\n  o: {a: 1}\n  a: ${o[0]}\n", {}, {}, [
      "env:3:9: error: cannot access an object property using an integer index [values.a]"
    ], "{\"a\":\"[unknown]\",\"o\":{\"a\":1}}");
  });
});
