import { randomBytes, randomUUID } from "node:crypto";
import { describe, expect, test } from "vitest";
import { openAesGcm, sealAesGcm } from "./aes-gcm.js";
import { createLruCache } from "./lru-cache.js";
import { decodePayload, encodePayload, environmentAad } from "./secret-payload.js";

describe("secret payload", () => {
  test("frames the data key id and the sealed bytes", () => {
    const id = randomUUID();
    const sealed = new Uint8Array(40).fill(7);
    const payload = encodePayload(id, sealed);
    expect(payload[0]).toBe(1);
    expect(decodePayload(payload)).toEqual({ dataKeyId: id, sealed });
  });

  test("refuses other formats and truncation", () => {
    expect(() => decodePayload(new Uint8Array([2, ...new Uint8Array(60)]))).toThrow("unsupported ciphertext payload format 2 (not written by this server?)");
    expect(() => decodePayload(new Uint8Array([1, 2, 3]))).toThrow("ciphertext payload is truncated");
    expect(() => decodePayload(new Uint8Array([]))).toThrow("ciphertext payload is empty");
  });

  test("AAD is the environment identity", () => {
    expect(new TextDecoder().decode(environmentAad({ org: "acme", project: "pay", name: "prod" }))).toBe("openesc:v1:acme/pay/prod");
    expect(new TextDecoder().decode(environmentAad({ org: "a", project: "b", name: "c" }, "session:x"))).toBe("openesc:v1:a/b/c#session:x");
  });
});

describe("AES-256-GCM", () => {
  const key = new Uint8Array(randomBytes(32));
  const aad = new TextEncoder().encode("aad");

  test("round trip; wrong AAD, key or any flipped bit fails", () => {
    const msg = new TextEncoder().encode("hunter2");
    const sealed = sealAesGcm(key, msg, aad);
    expect(openAesGcm(key, sealed, aad)).toEqual(msg);
    expect(openAesGcm(key, sealed, new TextEncoder().encode("other"))).toBeUndefined();
    expect(openAesGcm(new Uint8Array(randomBytes(32)), sealed, aad)).toBeUndefined();
    for (let i = 0; i < sealed.length; i++) {
      const t = sealed.slice();
      t[i] = (t[i] as number) ^ 0x01;
      expect(openAesGcm(key, t, aad)).toBeUndefined();
    }
    expect(openAesGcm(key, sealed.subarray(0, sealed.length - 1), aad)).toBeUndefined();
  });

  test("nonces are unique across 10 000 seals", () => {
    const nonces = new Set<string>();
    for (let i = 0; i < 10_000; i++) nonces.add(Buffer.from(sealAesGcm(key, aad, aad).subarray(0, 12)).toString("hex"));
    expect(nonces.size).toBe(10_000);
  });
});

describe("createLruCache()", () => {
  test("evicts the least recently used entry", () => {
    const c = createLruCache<string, number>(2);
    c.set("a", 1);
    c.set("b", 2);
    expect(c.get("a")).toBe(1);
    c.set("c", 3);
    expect([c.get("a"), c.get("b"), c.get("c"), c.size]).toEqual([1, undefined, 3, 2]);
  });
});
