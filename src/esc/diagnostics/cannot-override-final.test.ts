import { describe, expect, it } from "vitest";
import { expectDiagnostics } from "../testdata/expect-diagnostics.js";

describe("diagnostic: `cannot override final value` (warning)", () => {
  it("is reported exactly, with range and path", async () => {
    await expectDiagnostics("imports: [a]\nvalues:\n  f: over\n", {"a": "values:\n  f: {fn::final: frozen}\n"}, {}, [
      "env:3:6: warning: cannot override final value [values.f]"
    ], "{\"f\":\"frozen\"}");
  });
});
