import { describe, expect, it } from "vitest";
import { expectDiagnostics } from "../testdata/expect-diagnostics.js";

describe("diagnostic: `cyclic import of NAME`", () => {
  it("is reported exactly, with range and path", async () => {
    await expectDiagnostics("imports: [a]\nvalues: {x: 1}\n", {"a": "imports: [env]\nvalues: {y: 1}\n"}, {}, [
      "a:1:11: error: cyclic import of env [imports[0]]"
    ], "{\"x\":1,\"y\":1}");
  });
});
