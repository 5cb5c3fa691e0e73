import { describe, expect, it } from "vitest";
import { expectDiagnostics } from "../testdata/expect-diagnostics.js";

describe("diagnostic: `property name must not be empty`", () => {
  it("is reported exactly, with range and path", async () => {
    await expectDiagnostics("values:\n  d: ${foo.}\n  foo: {\"\": 1}\n", {}, {}, [
      "env:2:11: error: property name must not be empty [values.d]"
    ], "{\"d\":1,\"foo\":{\"\":1}}");
  });
});
