import { describe, expect, it } from "vitest";
import { expectDiagnostics } from "../testdata/expect-diagnostics.js";

describe("diagnostic: builtin shape messages of fn::rotate", () => {
  it("is reported exactly, with range and path", async () => {
    await expectDiagnostics("values:\n  a: {fn::rotate: 1}\n  b: {fn::rotate::swap: 1}\n  c: {fn::rotate::swap: {inputs: {}, state: [1]}}\n", {}, {}, [
      "env:2:19: error: the argument to fn::rotate must be an object containing 'provider', 'inputs' and 'state' [values.a[\"fn::rotate\"]]",
      "env:3:25: error: the argument to fn::rotate must be an object containing 'inputs' and 'state' [values.b[\"fn::rotate::swap\"]]",
      "env:4:46: error: rotation state must be an object literal [values.c[\"fn::rotate::swap\"].state]"
    ], "{\"a\":\"[unknown]\",\"b\":\"[unknown]\",\"c\":\"[unknown]\"}");
  });
});
