import { describe, expect, it } from "vitest";
import { expectDiagnostics } from "../testdata/expect-diagnostics.js";

describe("diagnostic: `environment must be an object`", () => {
  it("is reported exactly, with range and path", async () => {
    await expectDiagnostics("- a\n", {}, {}, [
      "env:1:3: error: environment must be an object []"
    ], "null");
  });
});
