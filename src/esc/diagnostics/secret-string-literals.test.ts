import { describe, expect, it } from "vitest";
import { expectDiagnostics } from "../testdata/expect-diagnostics.js";

describe("diagnostic: `secret values must be string literals`", () => {
  it("is reported exactly, with range and path", async () => {
    await expectDiagnostics("values:\n  d: {fn::secret: \"${x}\"}\n  x: 1\n", {}, {}, [
      "env:2:19: error: secret values must be string literals [values.d[\"fn::secret\"]]"
    ], "{\"d\":\"[secret]\",\"x\":1}");
  });
});
