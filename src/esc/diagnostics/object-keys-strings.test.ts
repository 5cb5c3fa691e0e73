import { describe, expect, it } from "vitest";
import { expectDiagnostics } from "../testdata/expect-diagnostics.js";

describe("diagnostic: `object keys must be strings`", () => {
  it("is reported exactly, with range and path", async () => {
    await expectDiagnostics("values:\n  o: {\"${x}\": 1, \"a$$b\": 2}\n", {}, {}, [
      "env:2:7: error: object keys must be strings [values.o[\"${x}\"]]"
    ], "{\"o\":{\"a$b\":2}}");
  });
});
