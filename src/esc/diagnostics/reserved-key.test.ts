import { describe, expect, it } from "vitest";
import { expectDiagnostics } from "../testdata/expect-diagnostics.js";

describe("diagnostic: `\"imports\" is a reserved key` (also context, environments)", () => {
  it("is reported exactly, with range and path", async () => {
    await expectDiagnostics("values:\n  imports: 1\n  context: 2\n  environments: 3\n  ok: 4\n", {}, {}, [
      "env:2:3: error: \"imports\" is a reserved key [values.imports]",
      "env:3:3: error: \"context\" is a reserved key [values.context]",
      "env:4:3: error: \"environments\" is a reserved key [values.environments]"
    ], "{\"ok\":4}");
  });
});
