import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, test } from "vitest";
import { createLocalKeyProvider, createSecretCrypto, createSessionCipher, SecretDecryptionError, type SecretCrypto } from "../../src/crypto/index.js";
import { evaluateEnvironment, openEnvelope, sealEnvelope } from "../../src/esc/index.js";
import { sqlitePath } from "../../src/store/index.js";
import { findPostgresBinDir } from "../support/postgres.js";
import { DIALECTS, dialectAvailable } from "../store/dialects.js";
import { dumpTables, useCryptoStore } from "./crypto-store.js";

const A = { org: "acme", project: "pay", name: "prod" };
const B = { org: "acme", project: "pay", name: "dev" };
const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);

function ciphertexts(definition: string): string[] {
  return [...definition.matchAll(/ciphertext: ([A-Za-z0-9+/=]+)/g)].map((m) => m[1] as string);
}

for (const dialect of DIALECTS) {
  describe.skipIf(!dialectAvailable(dialect))(`${dialect}: envelope encryption`, () => {
    const t = useCryptoStore(dialect);
    function crypto(dataDir = t.dataDir()): SecretCrypto {
      return createSecretCrypto({ keys: t.store.keys, provider: createLocalKeyProvider({ dataDir }) });
    }

    test("round trip; one data key per environment, created lazily and wrapped", async () => {
      const dir = t.dataDir();
      const c = crypto(dir);
      expect(await t.store.keys.findActiveDataKey(A)).toBeUndefined();
      const payload = await c.encrypt(A, enc("hunter2"));
      expect(dec(await c.decrypt(A, payload))).toBe("hunter2");
      const record = await t.store.keys.findActiveDataKey(A);
      expect(record).toMatchObject({ provider: "local", keyVersion: 1, active: true });
      // a second server (no cache) on the same database and key file decrypts it too
      expect(dec(await crypto(dir).decrypt(A, payload))).toBe("hunter2");
      // concurrent first encryptions agree on one data key
      await Promise.all([1, 2, 3, 4].map(() => c.encrypt(B, enc("x"))));
      expect((await t.store.keys.listDataKeys({ afterId: "", limit: 10 })).length).toBe(2);
    });

    test("ciphertext moved to another environment fails with a clear error and diagnostic", async () => {
      const c = crypto();
      await c.encrypt(B, enc("make B's key"));
      const payload = await c.encrypt(A, enc("hunter2"));
      const err = await c.decrypt(B, payload).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SecretDecryptionError);
      expect(err).toMatchObject({ reason: "wrong-environment", message: 'ciphertext belongs to another environment, not "acme/pay/dev"' });

      const definition = await c.encryptDefinition("values:\n  password:\n    fn::secret: hunter2\n", A);
      const moved = await evaluateEnvironment(definition, { name: "dev", decrypter: c.decrypterFor(B) });
      expect(moved.diagnostics.map((d) => d.summary)).toEqual([
        'decrypting: ciphertext belongs to another environment, not "acme/pay/dev"',
      ]);
      const here = await evaluateEnvironment(definition, { name: "prod", decrypter: c.decrypterFor(A) });
      expect(here.diagnostics).toEqual([]);
    });

    test("a payload relabelled with another environment's data key fails authentication", async () => {
      const c = crypto();
      const payload = await c.encrypt(A, enc("hunter2"));
      const other = await c.encrypt(B, enc("x"));
      // keep A's sealed bytes but name B's data key: the AAD and key no longer match
      const forged = new Uint8Array(payload);
      forged.set(other.subarray(1, 17), 1);
      await expect(c.decrypt(B, forged)).rejects.toMatchObject({ reason: "tampered" });
    });

    test("tampered ciphertext fails; unknown data keys and foreign formats are named", async () => {
      const c = crypto();
      const payload = await c.encrypt(A, enc("hunter2"));
      for (const i of [17, 20, 29, payload.length - 1]) {
        const t2 = new Uint8Array(payload);
        t2[i] = (t2[i] as number) ^ 0x80;
        await expect(c.decrypt(A, t2)).rejects.toThrow("ciphertext failed authentication (it was altered or sealed for another context)");
      }
      const unknown = new Uint8Array(payload);
      unknown[5] = (unknown[5] as number) ^ 0xff;
      await expect(c.decrypt(A, unknown)).rejects.toThrow("ciphertext names a data key this server does not have");
      // upstream's rot128 test ciphertext is not ours
      const rot = openEnvelope("ZXNjeAAAAAHo9e705fKyKo30VQ==");
      if ("error" in rot) throw new Error(rot.error);
      await expect(c.decrypt(A, rot.payload)).rejects.toThrow("unsupported ciphertext payload format 232 (not written by this server?)");
      // a tampered envelope is caught by the evaluator before the decrypter
      const definition = await c.encryptDefinition("values:\n  p: {fn::secret: hunter2}\n", A);
      const [ct] = ciphertexts(definition);
      const bytes = Buffer.from(ct as string, "base64");
      bytes[40] = (bytes[40] as number) ^ 1;
      const result = await evaluateEnvironment(definition.replace(ct as string, bytes.toString("base64")), { decrypter: c.decrypterFor(A) });
      expect(result.diagnostics.map((d) => d.summary)).toEqual(["invalid ciphertext: invalid checksum"]);
      // a re-checksummed forgery reaches the decrypter and fails authentication there
      const forged = sealEnvelope(bytes.subarray(8, bytes.length - 4));
      const forgedResult = await evaluateEnvironment(definition.replace(ct as string, forged), { decrypter: c.decrypterFor(A) });
      expect(forgedResult.diagnostics.map((d) => d.summary)).toEqual([
        "decrypting: ciphertext failed authentication (it was altered or sealed for another context)",
      ]);
    });

    test("a cold cache reads and unwraps each data key once, however many opens wait for it", async () => {
      const dir = t.dataDir();
      const payload = await crypto(dir).encrypt(A, enc("hunter2"));
      const inner = createLocalKeyProvider({ dataDir: dir });
      let unwraps = 0;
      const counting = { ...inner, unwrap: (v: number, w: string) => (unwraps++, inner.unwrap(v, w)) };
      const cold = createSecretCrypto({ keys: t.store.keys, provider: counting, cacheSize: 2 });
      const opened = await Promise.all(Array.from({ length: 20 }, () => cold.decrypt(A, payload)));
      expect(opened.map(dec)).toEqual(Array(20).fill("hunter2"));
      expect(unwraps).toBe(1);
    });

    test("nonces are unique and equal plaintexts seal differently", async () => {
      const c = crypto();
      const seen = new Set<string>();
      for (let i = 0; i < 500; i++) seen.add(Buffer.from((await c.encrypt(A, enc("same"))).subarray(17, 29)).toString("hex"));
      expect(seen.size).toBe(500);
    });

    test("session context binds too", async () => {
      const c = crypto();
      const sealed = await c.encrypt(A, enc("session"), "session:s1");
      expect(dec(await c.decrypt(A, sealed, "session:s1"))).toBe("session");
      await expect(c.decrypt(A, sealed, "session:s2")).rejects.toMatchObject({ reason: "tampered" });
      await expect(c.decrypt(A, sealed)).rejects.toMatchObject({ reason: "tampered" });

      const sessions = createSessionCipher(c);
      const blob = await sessions.seal(A, "s1", enc("{\"v\":1}"));
      expect(dec(await sessions.open(A, "s1", blob))).toBe('{"v":1}');
      await expect(sessions.open(A, "s2", blob)).rejects.toMatchObject({ reason: "tampered" });
      await expect(sessions.open(B, "s1", blob)).rejects.toMatchObject({ reason: "wrong-environment" });
    });

    test("data keys are stored wrapped: the raw key never appears in the database", async () => {
      const dir = t.dataDir();
      const c = crypto(dir);
      await c.encrypt(A, enc("hunter2"));
      const record = await t.store.keys.findActiveDataKey(A);
      const raw = Buffer.from(await createLocalKeyProvider({ dataDir: dir }).unwrap(1, record?.wrapped as string));
      expect(raw.length).toBe(32);
      const dump = await dumpTables(t.store, ["data_keys", "key_checks"]);
      for (const form of [raw.toString("base64"), raw.toString("hex"), raw.toString("base64url"), raw.toString("latin1")]) {
        expect(dump.includes(form)).toBe(false);
      }
      if (dialect === "sqlite") expect(sqliteBytes(t.url).includes(raw)).toBe(false);
    });

    test("no plaintext canary in the database after storing a definition with it", async () => {
      const canary = `canary-${Math.random().toString(36).slice(2)}-${Date.now()}`;
      const c = crypto();
      const definition = await c.encryptDefinition(`values:\n  # a comment\n  token:\n    fn::secret: ${canary}\n  list: [{fn::secret: "${canary}-2"}]\n`, A);
      expect(definition).not.toContain(canary);
      await t.createEnvironment(A, definition);
      const revealed = await c.revealDefinition((await t.store.environments.getRevision(A, 1)).definition, A);
      expect(revealed).toBe(`values:\n  # a comment\n  token:\n    fn::secret: ${canary}\n  list: [{fn::secret: ${canary}-2}]\n`);
      const result = await evaluateEnvironment(definition, { decrypter: c.decrypterFor(A), showSecrets: true });
      expect(result.diagnostics).toEqual([]);
      expect(JSON.stringify(result.environment?.properties)).toContain(canary);
      // clone: re-encrypted for the destination, still no canary
      const cloned = await c.reencryptDefinition(definition, A, B);
      expect(cloned).not.toContain(canary);
      await t.createEnvironment(B, cloned);
      expect(await c.revealDefinition(cloned, B)).toBe(revealed);
      await expect(c.revealDefinition(definition, B)).rejects.toThrow(
        'cannot reveal the secret at values.token of "acme/pay/dev": ciphertext belongs to another environment, not "acme/pay/dev"',
      );

      if (dialect === "sqlite") {
        expect(sqliteBytes(t.url).includes(Buffer.from(canary))).toBe(false);
      } else {
        expect(await dumpTables(t.store, ["revisions", "data_keys", "key_checks", "environments"])).not.toContain(canary);
        const dump = pgDump(t.url);
        if (dump !== undefined) {
          expect(dump).toContain("ciphertext: ZXNjeAAAAAE");
          expect(dump).not.toContain(canary);
        }
      }
    });
  });
}

/** The SQLite file and its WAL/SHM side files, as one buffer. */
function sqliteBytes(url: string): Buffer {
  const path = sqlitePath(url);
  const dir = dirname(path);
  const files = readdirSync(dir).filter((f) => f.startsWith(path.slice(dir.length + 1)));
  return Buffer.concat(files.map((f) => readFileSync(join(dir, f))));
}

/** pg_dump of the database, when the binary exists (undefined otherwise). */
function pgDump(url: string): string | undefined {
  const bin = findPostgresBinDir();
  const pgDumpPath = bin === undefined ? undefined : join(bin, "pg_dump");
  if (pgDumpPath === undefined || !existsSync(pgDumpPath)) return undefined;
  return execFileSync(pgDumpPath, ["--data-only", url], { encoding: "utf8", maxBuffer: 64 << 20 });
}
