import { describe, expect, test } from "vitest";
import {
  createLocalKeyProvider,
  createSecretCrypto,
  initKeyring,
  KEY_ROTATION_AUTHOR,
  rotateKeys,
} from "../../src/crypto/index.js";
import { openEnvelope } from "../../src/esc/index.js";
import { DIALECTS, dialectAvailable } from "../store/dialects.js";
import { useCryptoStore } from "./crypto-store.js";

const A = { org: "acme", project: "pay", name: "prod" };
const B = { org: "acme", project: "pay", name: "dev" };
const DEFINITION = "values:\n  # kept\n  pw: {fn::secret: hunter2}\n  n: 1\n";

function dataKeyIdOf(definition: string): string {
  const ct = /ciphertext: ([A-Za-z0-9+/=]+)/.exec(definition)?.[1] as string;
  const opened = openEnvelope(ct);
  if ("error" in opened) throw new Error(opened.error);
  return Buffer.from(opened.payload.subarray(1, 17)).toString("hex");
}

for (const dialect of DIALECTS) {
  describe.skipIf(!dialectAvailable(dialect))(`${dialect}: rotateKeys()`, () => {
    const t = useCryptoStore(dialect);

    test("new key version, every data key rewrapped, old ciphertext still decrypts", async () => {
      const dir = t.dataDir();
      const provider = createLocalKeyProvider({ dataDir: dir });
      await initKeyring({ keys: t.store.keys, provider });
      const running = createSecretCrypto({ keys: t.store.keys, provider });
      const defA = await running.encryptDefinition(DEFINITION, A);
      const defB = await running.encryptDefinition(DEFINITION, B);

      // the CLI's own provider on the same key file
      const result = await rotateKeys({ keys: t.store.keys, provider: createLocalKeyProvider({ dataDir: dir }) });
      expect(result).toEqual({ provider: "local", activeVersion: 2, rewrapped: 2, unchanged: 0, foreign: 0, newDataKeys: 0, revisionsWritten: 0 });
      expect(await t.store.keys.countDataKeysByVersion()).toEqual([{ provider: "local", keyVersion: 2, count: 2 }]);
      expect((await t.store.keys.listKeyChecks()).map((c) => c.keyVersion)).toEqual([2]);

      // the running server (cached keys) and a restarted one (no cache, key check passes) both decrypt
      expect(await running.revealDefinition(defA, A)).toBe(DEFINITION);
      const restarted = createLocalKeyProvider({ dataDir: dir });
      expect(await initKeyring({ keys: t.store.keys, provider: restarted })).toMatchObject({ activeVersion: 2, verifiedVersions: [2] });
      expect(await createSecretCrypto({ keys: t.store.keys, provider: restarted }).revealDefinition(defB, B)).toBe(DEFINITION);
      // new environments get keys wrapped by version 2
      await running.encrypt({ ...A, name: "new" }, new Uint8Array([1]));
      expect((await t.store.keys.findActiveDataKey({ ...A, name: "new" }))?.keyVersion).toBe(2);

      // rotating again with nothing new to do rewraps all under version 3
      expect((await rotateKeys({ keys: t.store.keys, provider: restarted })).rewrapped).toBe(3);
    });

    test("--reencrypt: a new data key per environment and a new revision sealed under it", async () => {
      const dir = t.dataDir();
      const provider = createLocalKeyProvider({ dataDir: dir });
      await initKeyring({ keys: t.store.keys, provider });
      const crypto = createSecretCrypto({ keys: t.store.keys, provider });
      await t.createEnvironment(A, await crypto.encryptDefinition(DEFINITION, A));
      await t.createEnvironment(B, "values:\n  plain: 1\n");
      await crypto.encrypt(B, new Uint8Array([1])); // B has a key but no ciphertext in its definition
      const C = { ...A, name: "legacy" }; // stored before encryption was wired: plaintext at rest
      await t.createEnvironment(C, DEFINITION);
      const oldKey = (await t.store.keys.findActiveDataKey(A))?.id as string;

      const result = await rotateKeys({
        keys: t.store.keys,
        provider,
        reencrypt: { crypto, environments: t.store.environments },
      });
      expect(result).toMatchObject({ activeVersion: 2, rewrapped: 2, newDataKeys: 2, revisionsWritten: 2 });
      const env = await t.store.environments.get(A);
      expect(env.latestRevision).toBe(2);
      const rev2 = await t.store.environments.getRevision(A, 2);
      expect(rev2.author).toBe(KEY_ROTATION_AUTHOR);
      const newKey = (await t.store.keys.findActiveDataKey(A))?.id as string;
      expect(newKey).not.toBe(oldKey);
      expect(dataKeyIdOf(rev2.definition)).toBe(newKey.replace(/-/g, ""));
      // old revisions keep their old key, which still decrypts
      const rev1 = await t.store.environments.getRevision(A, 1);
      expect(dataKeyIdOf(rev1.definition)).toBe(oldKey.replace(/-/g, ""));
      const fresh = createSecretCrypto({ keys: t.store.keys, provider: createLocalKeyProvider({ dataDir: dir }) });
      expect(await fresh.revealDefinition(rev1.definition, A)).toBe(DEFINITION);
      expect(await fresh.revealDefinition(rev2.definition, A)).toBe(DEFINITION);
      expect((await t.store.environments.get(B)).latestRevision).toBe(1);
      const legacy = await t.store.environments.getRevision(C, 2);
      expect(legacy.definition).not.toContain("hunter2");
      expect(await fresh.revealDefinition(legacy.definition, C)).toBe(DEFINITION);
    });

    test("OPENESC_MASTER_KEY: rotation in place is refused; --rewrap-only moves keys to the newest version", async () => {
      const k1 = Buffer.alloc(32, 1).toString("base64");
      const k2 = Buffer.alloc(32, 2).toString("base64");
      const v1 = createLocalKeyProvider({ dataDir: "/unused", masterKey: k1 });
      await initKeyring({ keys: t.store.keys, provider: v1 });
      const payload = await createSecretCrypto({ keys: t.store.keys, provider: v1 }).encrypt(A, new Uint8Array([7]));
      await expect(rotateKeys({ keys: t.store.keys, provider: v1 })).rejects.toThrow(/^OPENESC_MASTER_KEY cannot be rotated in place/);

      const v2 = createLocalKeyProvider({ dataDir: "/unused", masterKey: `1:${k1},2:${k2}` });
      await initKeyring({ keys: t.store.keys, provider: v2 });
      expect(await rotateKeys({ keys: t.store.keys, provider: v2, rotateKek: false })).toMatchObject({ activeVersion: 2, rewrapped: 1 });
      expect((await t.store.keys.listKeyChecks()).map((c) => c.keyVersion)).toEqual([2]);
      // version 1 can now be dropped from the variable
      const only2 = createLocalKeyProvider({ dataDir: "/unused", masterKey: `2:${k2}` });
      await initKeyring({ keys: t.store.keys, provider: only2 });
      expect(await createSecretCrypto({ keys: t.store.keys, provider: only2 }).decrypt(A, payload)).toEqual(new Uint8Array([7]));
    });
  });
}
