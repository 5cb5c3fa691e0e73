import { describe, expect, it } from "vitest";
import { expectDiagnostics } from "../testdata/expect-diagnostics.js";

describe("diagnostic: provider open error text, verbatim (open only)", () => {
  it("is reported exactly, with range and path", async () => {
    await expectDiagnostics("values:\n  f: {fn::open::error: {}}\n", {}, {}, [
      "env:2:7: error: testing [values.f]"
    ], "{\"f\":\"[unknown]\"}");
  });
});
