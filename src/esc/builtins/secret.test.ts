import { describe, expect, it } from "vitest";
import { quick } from "../testdata/harness.js";
import { sealEnvelope } from "../ciphertext.js";

const CT = "ZXNjeAAAAAHo9e705fKyKo30VQ==";

describe("fn::secret", () => {
  it("marks a plaintext literal secret in every mode, $$ unescaped (quirk 15)", async () => {
    for (const mode of ["open", "check"] as const) {
      const r = await quick("values:\n  p: {fn::secret: hunter2}\n  q: {fn::secret: pa$$word}\n", { mode });
      expect(r.json).toBe('{"p":"[secret]","q":"[secret]"}');
      expect(r.revealed).toBe('{"p":"hunter2","q":"pa$word"}');
      expect(r.diags).toEqual([]);
    }
  });

  it("uses the plaintext literal as trace definition", async () => {
    const r = await quick("values:\n  p: {fn::secret: hunter2}\n");
    const p = r.r.environment?.properties["p"];
    expect(p?.trace?.def?.begin).toEqual({ line: 2, column: 19, byte: 26 });
    expect(p?.secret).toBe(true);
  });

  it("decrypts ciphertext with the decrypter in open mode (rot128: hunter2)", async () => {
    const r = await quick(`values:\n  t: {fn::secret: {ciphertext: ${CT}}}\n`);
    expect(r.revealed).toBe('{"t":"hunter2"}');
    expect(r.json).toBe('{"t":"[secret]"}');
  });

  it("leaves ciphertext unknown and secret in check mode unless secrets are shown", async () => {
    const y = `values:\n  t: {fn::secret: {ciphertext: ${CT}}}\n  u: "\${t}"\n`;
    const hidden = await quick(y, { mode: "check" });
    expect(hidden.json).toBe('{"t":"[secret]","u":"[secret]"}');
    expect(hidden.revealed).toBe('{"t":"[unknown]","u":"[unknown]"}');
    const shown = await quick(y, { mode: "check", showSecrets: true });
    expect(shown.revealed).toBe('{"t":"hunter2","u":"hunter2"}');
  });

  it("round-trips an envelope built with sealEnvelope", async () => {
    const payload = new TextEncoder().encode("s3cr3t").map((b) => (b + 128) & 255);
    const r = await quick(`values:\n  t: {fn::secret: {ciphertext: ${sealEnvelope(payload)}}}\n`);
    expect(r.revealed).toBe('{"t":"s3cr3t"}');
  });

  it("reports a missing decrypter instead of crashing", async () => {
    const r = await quick(`values:\n  t: {fn::secret: {ciphertext: ${CT}}}\n`, { decrypter: undefined as never });
    expect(r.diags).toEqual(["env:2:7: error: decrypting: no decrypter is available for this environment [values.t]"]);
    expect(r.json).toBe('{"t":"[secret]"}');
  });
});
