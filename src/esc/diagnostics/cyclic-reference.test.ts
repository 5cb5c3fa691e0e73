import { describe, expect, it } from "vitest";
import { expectDiagnostics } from "../testdata/expect-diagnostics.js";

describe("diagnostic: `cyclic reference to PATH`", () => {
  it("is reported exactly, with range and path", async () => {
    await expectDiagnostics("values:\n  a: {p: \"${a.p}\"}\n  my-key: {p: \"${my-key.p}\"}\n", {}, {}, [
      "env:2:10: error: cyclic reference to a.p [values.a.p]",
      "env:3:15: error: cyclic reference to my-key.p [values[\"my-key\"].p]"
    ], "{\"a\":{\"p\":\"[unknown]\"},\"my-key\":{\"p\":\"[unknown]\"}}");
  });
});
