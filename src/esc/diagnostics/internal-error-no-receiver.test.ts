import { describe, expect, it } from "vitest";
import { expectDiagnostics } from "../testdata/expect-diagnostics.js";

describe("diagnostic: `internal error: no receiver` (accessor into a ciphertext secret)", () => {
  it("is reported exactly, with range and path", async () => {
    await expectDiagnostics("values:\n  c: {fn::secret: {ciphertext: ZXNjeAAAAAHo9e705fKyKo30VQ==}}\n  d: ${c.x}\n", {}, {}, [
      "env:3:6: error: internal error: no receiver [values.d]"
    ], "{\"c\":\"[secret]\",\"d\":\"[unknown]\"}");
  });
});
