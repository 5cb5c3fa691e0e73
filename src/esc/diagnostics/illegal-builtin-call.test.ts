import { describe, expect, it } from "vitest";
import { expectDiagnostics } from "../testdata/expect-diagnostics.js";

describe("diagnostic: `illegal call to builtin function: \u2026 must be the only key\u2026`", () => {
  it("is reported exactly, with range and path", async () => {
    await expectDiagnostics("values:\n  p: {fn::join: [\",\", [a]], fn::toJSON: 1, b: 1}\n", {}, {}, [
      "env:2:7: error: illegal call to builtin function: \"fn::join\" must be the only key within its containing object [values.p]",
      "env:2:7: error: illegal call to builtin function: \"fn::toJSON\" must be the only key within its containing object [values.p]"
    ], undefined);
  });
});
