import { describe, expect, it } from "vitest";
import { expectDiagnostics } from "../testdata/expect-diagnostics.js";

describe("diagnostic: `description must be a string`", () => {
  it("is reported exactly, with range and path", async () => {
    await expectDiagnostics("description: [1]\nvalues: {a: 1}\n", {}, {}, [
      "env:1:15: error: description must be a string [description]"
    ], "{\"a\":1}");
  });
});
