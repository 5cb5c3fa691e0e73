import { describe, expect, it } from "vitest";
import { expectDiagnostics } from "../testdata/expect-diagnostics.js";

describe("diagnostic: `'fn::' is a reserved prefix`", () => {
  it("is reported exactly, with range and path", async () => {
    await expectDiagnostics("values:\n  o: {Fn::foo: 1}\n", {}, {}, [
      "env:2:7: error: 'fn::' is a reserved prefix [values.o[\"Fn::foo\"]]"
    ], "{\"o\":{\"Fn::foo\":1}}");
  });
});
