import { describe, expect, it } from "vitest";
import { expectDiagnostics } from "../testdata/expect-diagnostics.js";

describe("diagnostic: type/validation messages of \u00a712, at the offending node's definition", () => {
  it("is reported exactly, with range and path", async () => {
    await expectDiagnostics("values:\n  nums: [a, 2]\n  j: {fn::join: [\",\", \"${nums}\"]}\n", {}, {}, [
      "env:2:13: error: expected string, got number [values.nums[1]]"
    ], "{\"j\":\"[unknown]\",\"nums\":[\"a\",2]}");
  });
});
