import { describe, expect, it } from "vitest";
import { expectDiagnostics } from "../testdata/expect-diagnostics.js";

describe("diagnostic: `duplicate key` (warning, top-level document keys)", () => {
  it("is reported exactly, with range and path", async () => {
    await expectDiagnostics("values: {a: 1}\nValues: {b: 2}\n", {}, {}, [
      "env:2:1: warning: duplicate key \"Values\" [Values]"
    ], "{\"b\":2}");
  });
});
