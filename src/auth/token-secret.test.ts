import { describe, expect, it } from "vitest";
import { hashTokenSecret, mintToken, parseTokenId, secretMatchesHash } from "./token-secret.js";

describe("mintToken()", () => {
  it("mints oesc_<16 hex>_<43 base64url> with a matching SHA-256 hash", () => {
    const t = mintToken();
    expect(t.secret).toMatch(/^oesc_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    expect(t.secret.slice(5, 21)).toBe(t.id);
    expect(t.secretHash).toBe(hashTokenSecret(t.secret));
    expect(t.secretHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("never mints the same token twice", () => {
    const seen = new Set(Array.from({ length: 200 }, () => mintToken().secret));
    expect(seen.size).toBe(200);
  });
});

describe("parseTokenId()", () => {
  const good = `oesc_0123456789abcdef_${"a".repeat(43)}`;
  it.each([
    [good, "0123456789abcdef"],
    ["", undefined],
    ["Bearer x", undefined],
    [`oesc_0123456789ABCDEF_${"a".repeat(43)}`, undefined],
    [`oesc_0123456789abcdef_${"a".repeat(42)}`, undefined],
    [`oesc_0123456789abcdef_${"a".repeat(42)}!`, undefined],
    [`xesc_0123456789abcdef_${"a".repeat(43)}`, undefined],
    ["oesc_0123456789abcdef", undefined],
  ])("%j → %j", (secret, id) => {
    expect(parseTokenId(secret)).toBe(id);
  });
});

describe("secretMatchesHash()", () => {
  it("accepts the secret and refuses any other", () => {
    const t = mintToken();
    expect(secretMatchesHash(t.secret, t.secretHash)).toBe(true);
    expect(secretMatchesHash(`${t.secret.slice(0, -1)}x`, t.secretHash)).toBe(false);
    expect(secretMatchesHash(t.secret, "00")).toBe(false);
  });
});
