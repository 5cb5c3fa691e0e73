import { describe, expect, it } from "vitest";
import { expectDiagnostics } from "../testdata/expect-diagnostics.js";

describe("diagnostic: `duplicate key \"K\"` (values and nested objects; first kept)", () => {
  it("is reported exactly, with range and path", async () => {
    await expectDiagnostics("values:\n  a: 1\n  a: 2\n  o: {k: 1, k: 2}\n", {}, {}, [
      "env:3:3: error: duplicate key \"a\" [values.a]",
      "env:4:13: error: duplicate key \"k\" [values.o.k]"
    ], "{\"a\":1,\"o\":{\"k\":1}}");
  });
});
