import { describe, expect, it } from "vitest";
import { expectDiagnostics } from "../testdata/expect-diagnostics.js";

describe("diagnostic: `environment must be an object` without a range for a rootless document", () => {
  it("is reported exactly, with range and path", async () => {
    await expectDiagnostics("# only a comment\n", {}, {}, [
      "env: error: environment must be an object"
    ], "null");
  });
});
