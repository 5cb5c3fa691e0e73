import { describe, expect, it } from "vitest";
import { expectDiagnostics } from "../testdata/expect-diagnostics.js";

describe("diagnostic: `invalid ciphertext: \u2026`", () => {
  it("is reported exactly, with range and path", async () => {
    await expectDiagnostics("values:\n  a: {fn::secret: {ciphertext: '!!'}}\n  b: {fn::secret: {ciphertext: YQ==}}\n  c: {fn::secret: {ciphertext: YWFhYWFhYWFhYWFhYWFhYQ==}}\n  d: {fn::secret: {ciphertext: ZXNjeAAAAAHo9e705fKyKo30VA==}}\n  e: {fn::secret: {ciphertext: ZXNjeAAAAAIBAgMEMPdAig==}}\n", {}, {}, [
      "env:2:7: error: invalid ciphertext: illegal base64 data at input byte 0 [values.a]",
      "env:3:7: error: invalid ciphertext: EOF [values.b]",
      "env:4:7: error: invalid ciphertext: invalid header [values.c]",
      "env:5:7: error: invalid ciphertext: invalid checksum [values.d]",
      "env:6:7: error: invalid ciphertext: unsupported version [values.e]"
    ], "{\"a\":\"[secret]\",\"b\":\"[secret]\",\"c\":\"[secret]\",\"d\":\"[secret]\",\"e\":\"[secret]\"}");
  });
});
