import { describe, expect, it } from "vitest";
import { expectDiagnostics } from "../testdata/expect-diagnostics.js";

describe("diagnostic: `decrypting: \u2026` (open only, decrypter failure)", () => {
  it("is reported exactly, with range and path", async () => {
    await expectDiagnostics("values:\n  a: {fn::secret: {ciphertext: ZXNjeAAAAAHo9e705fKyKo30VQ==}}\n", {}, {"decrypter": "failing"}, [
      "env:2:7: error: decrypting: key unavailable [values.a]"
    ], "{\"a\":\"[secret]\"}");
  });
});
