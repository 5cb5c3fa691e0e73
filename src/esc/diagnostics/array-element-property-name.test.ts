import { describe, expect, it } from "vitest";
import { expectDiagnostics } from "../testdata/expect-diagnostics.js";

describe("diagnostic: `cannot access an array element using a property name`", () => {
  it("is reported exactly, with range and path", async () => {
    await expectDiagnostics("values:\n  l: [1]\n  a: ${l.foo}\n", {}, {}, [
      "env:3:9: error: cannot access an array element using a property name [values.a]"
    ], "{\"a\":\"[unknown]\",\"l\":[1]}");
  });
});
