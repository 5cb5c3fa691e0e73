import { describe, expect, it } from "vitest";
import { createMemorySealer } from "./memory-seal.js";

describe("the memory sealer", () => {
  it("keeps no plaintext and gives it back unchanged", () => {
    const sealer = createMemorySealer();
    const plaintext = Buffer.from("DB_PASSWORD=hunter2-canary");
    const sealed = sealer.seal(plaintext);
    expect(sealed.sealed.includes(plaintext)).toBe(false);
    expect(Buffer.from(sealed.sealed).toString("utf8")).not.toContain("hunter2");
    expect(sealer.open(sealed)).toEqual(plaintext);
  });

  it("refuses an altered entry and another sealer's entry", () => {
    const sealer = createMemorySealer();
    const sealed = sealer.seal(Buffer.from("secret"));
    const flipped = Buffer.from(sealed.sealed);
    flipped[0] = (flipped[0] as number) ^ 1;
    expect(() => sealer.open({ ...sealed, sealed: flipped })).toThrow("Unsupported state or unable to authenticate data");
    expect(() => createMemorySealer().open(sealed)).toThrow("Unsupported state or unable to authenticate data");
  });
});
