import { describe, expect, it } from "vitest";
import { expectDiagnostics } from "../testdata/expect-diagnostics.js";

describe("diagnostic: `key subscript must not be empty`", () => {
  it("is reported exactly, with range and path", async () => {
    await expectDiagnostics("values:\n  g: ${a[\"\"]}\n  a: {\"\": 1}\n", {}, {}, [
      "env:2:10: error: key subscript must not be empty [values.g]"
    ], "{\"a\":{\"\":1},\"g\":1}");
  });
});
