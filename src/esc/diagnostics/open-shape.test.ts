import { describe, expect, it } from "vitest";
import { expectDiagnostics } from "../testdata/expect-diagnostics.js";

describe("diagnostic: builtin shape messages of fn::open", () => {
  it("is reported exactly, with range and path", async () => {
    await expectDiagnostics("values:\n  a: {fn::open: 1}\n  b: {fn::open: {inputs: {}}}\n  c: {fn::open: {provider: \"${x}\", inputs: {}}}\n  d: {fn::open: {provider: test}}\n  x: 1\n", {}, {}, [
      "env:2:17: error: the argument to fn::open must be an object containing 'provider' and 'inputs' [values.a[\"fn::open\"]]",
      "env:3:18: error: missing provider name ('provider') [values.b[\"fn::open\"]]",
      "env:4:28: error: provider name must be a string literal [values.c[\"fn::open\"].provider]",
      "env:5:18: error: missing provider inputs ('inputs') [values.d[\"fn::open\"]]"
    ], "{\"a\":\"[unknown]\",\"b\":\"[unknown]\",\"c\":\"[unknown]\",\"d\":\"[unknown]\",\"x\":1}");
  });
});
