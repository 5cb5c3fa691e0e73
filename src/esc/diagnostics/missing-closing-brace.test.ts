import { describe, expect, it } from "vitest";
import { expectDiagnostics } from "../testdata/expect-diagnostics.js";

describe("diagnostic: `missing closing brace '}' in interpolation`", () => {
  it("is reported exactly, with range and path", async () => {
    await expectDiagnostics("values:\n  i: x ${ y\n  j: ${a\n  a: 1\n", {}, {}, [
      "env:2:10: error: missing closing brace '}' in interpolation [values.i]",
      "env:3:9: error: missing closing brace '}' in interpolation [values.j]",
      "env:2:10: error: unknown property \"\" [values.i]"
    ], "{\"a\":1,\"i\":\"[unknown]\",\"j\":1}");
  });
});
