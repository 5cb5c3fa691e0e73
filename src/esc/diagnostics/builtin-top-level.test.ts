import { describe, expect, it } from "vitest";
import { expectDiagnostics } from "../testdata/expect-diagnostics.js";

describe("diagnostic: `builtin function call \"fn::x\" not allowed at the top level`", () => {
  it("is reported exactly, with range and path", async () => {
    await expectDiagnostics("values:\n  fn::secret: x\n", {}, {}, [
      "env:2:3: error: builtin function call \"fn::secret\" not allowed at the top level [values[\"fn::secret\"]]"
    ], "{\"fn::secret\":\"x\"}");
  });
});
