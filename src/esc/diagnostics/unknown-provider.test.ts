import { describe, expect, it } from "vitest";
import { expectDiagnostics } from "../testdata/expect-diagnostics.js";

describe("diagnostic: provider/rotator loader error (`unknown provider \"x\"`)", () => {
  it("is reported exactly, with range and path", async () => {
    await expectDiagnostics("values:\n  a: {fn::open::nope: {}}\n  b: {fn::rotate::nope: {inputs: {}}}\n", {}, {}, [
      "env:2:7: error: unknown provider \"nope\" [values.a]",
      "env:3:7: error: unknown rotator \"nope\" [values.b]"
    ], "{\"a\":\"[unknown]\",\"b\":\"[unknown]\"}");
  });
});
