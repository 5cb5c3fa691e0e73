import { describe, expect, it } from "vitest";
import { expectDiagnostics } from "../testdata/expect-diagnostics.js";

describe("diagnostic: loader error text, verbatim", () => {
  it("is reported exactly, with range and path", async () => {
    await expectDiagnostics("imports: [nope]\nvalues:\n  x: ${environments.p.q.r}\n", {}, {}, [
      "env:1:11: error: environment \"nope\" not found [imports[0]]",
      "env:3:6: error: environment \"p/q\" not found [values.x]"
    ], "{\"x\":\"[unknown]\"}");
  });
});
