import { describe, expect, it } from "vitest";
import { expectDiagnostics } from "../testdata/expect-diagnostics.js";

describe("diagnostic: `key subscript is missing closing quote '\"'` (piles up, quirk 25)", () => {
  it("is reported exactly, with range and path", async () => {
    await expectDiagnostics("values:\n  a: ${open[\"foo]}\n", {}, {}, [
      "env:2:13: error: key subscript is missing closing quote '\"' [values.a]",
      "env:2:12: error: subscript is missing closing bracket ']' [values.a]",
      "env:2:19: error: missing closing brace '}' in interpolation [values.a]",
      "env:2:8: error: unknown property \"open\" [values.a]"
    ], "{\"a\":\"[unknown]\"}");
  });
});
