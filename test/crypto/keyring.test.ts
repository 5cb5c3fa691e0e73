import { existsSync, renameSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import {
  createLocalKeyProvider,
  createSecretCrypto,
  initKeyring,
  KeyringMismatchError,
  openKeyring,
  resolveKeyProvider,
  type KeyProvider,
} from "../../src/crypto/index.js";
import { DIALECTS, dialectAvailable } from "../store/dialects.js";
import { useCryptoStore } from "./crypto-store.js";

const A = { org: "acme", project: "pay", name: "prod" };
const K1 = Buffer.alloc(32, 0x11).toString("base64");
const K2 = Buffer.alloc(32, 0x22).toString("base64");

for (const dialect of DIALECTS) {
  describe.skipIf(!dialectAvailable(dialect))(`${dialect}: initKeyring()`, () => {
    const t = useCryptoStore(dialect);
    const init = (provider: KeyProvider, keySource?: string) =>
      initKeyring({ keys: t.store.keys, provider, ...(keySource === undefined ? {} : { keySource }) });

    test("first start creates the key file and records its check; restarts verify it", async () => {
      const dir = t.dataDir();
      expect(existsSync(join(dir, "master.key"))).toBe(false);
      expect(await init(createLocalKeyProvider({ dataDir: dir }))).toEqual({ provider: "local", activeVersion: 1, verifiedVersions: [], recorded: true });
      expect(existsSync(join(dir, "master.key"))).toBe(true);
      expect(await init(createLocalKeyProvider({ dataDir: dir }))).toEqual({ provider: "local", activeVersion: 1, verifiedVersions: [1], recorded: false });
    });

    test("another master key file → refuses to start, never re-keys", async () => {
      const dir = t.dataDir();
      await init(createLocalKeyProvider({ dataDir: dir }));
      const other = createLocalKeyProvider({ dataDir: t.dataDir() });
      await other.wrap(new Uint8Array(32)); // another server's key file
      const err = await init(other, "the master key file X").catch((e: unknown) => e);
      expect(err).toBeInstanceOf(KeyringMismatchError);
      expect((err as Error).message).toMatch(
        /^refusing to start: the master key file X does not match the one this database was written with \(key version 1 of local, recorded 2026-01-01T00:00:00\.000Z\): a key wrapped by master key version 1 does not unwrap with the configured master key\. Restore the original key; the server never re-keys a database by itself$/,
      );
      expect((await t.store.keys.listKeyChecks()).length).toBe(1);
    });

    test("two first starts at once with different key files: the loser refuses", async () => {
      const one = createLocalKeyProvider({ dataDir: t.dataDir() });
      const two = createLocalKeyProvider({ dataDir: t.dataDir() });
      // both saw an empty key_checks table; `two` records first
      const racing = () => {
        let calls = 0;
        return { ...t.store.keys, listKeyChecks: async () => (calls++ === 0 ? [] : t.store.keys.listKeyChecks()) };
      };
      await init(two);
      await expect(initKeyring({ keys: racing(), provider: one, keySource: "the master key file Y" })).rejects.toThrow(
        "refusing to start: the master key file Y does not match the one another server recorded for key version 1 of local at the same time",
      );
      expect(await initKeyring({ keys: racing(), provider: two })).toMatchObject({ verifiedVersions: [1], recorded: false });
    });

    test("a missing key file is not recreated over a database written with one", async () => {
      const dir = t.dataDir();
      await init(createLocalKeyProvider({ dataDir: dir }));
      renameSync(join(dir, "master.key"), join(dir, "lost.key"));
      await expect(init(createLocalKeyProvider({ dataDir: dir }))).rejects.toThrow(
        `refusing to start: the master key does not match the one this database was written with (key version 1 of local, recorded 2026-01-01T00:00:00.000Z): master key file ${join(dir, "master.key")} does not exist (restore it, or set OPENESC_MASTER_KEY)`,
      );
      expect(existsSync(join(dir, "master.key"))).toBe(false);
    });

    test("OPENESC_MASTER_KEY: accepted, a different one refused, versions added keep working", async () => {
      const env1 = resolveKeyProvider({}, { OPENESC_MASTER_KEY: K1 }, t.dataDir());
      expect(env1.source).toBe("OPENESC_MASTER_KEY");
      await init(env1.provider);
      const crypto = createSecretCrypto({ keys: t.store.keys, provider: env1.provider });
      const payload = await crypto.encrypt(A, new TextEncoder().encode("hunter2"));

      const wrong = resolveKeyProvider({}, { OPENESC_MASTER_KEY: K2 }, t.dataDir());
      await expect(init(wrong.provider, wrong.source)).rejects.toThrow(/^refusing to start: OPENESC_MASTER_KEY does not match/);

      const both = resolveKeyProvider({}, { OPENESC_MASTER_KEY: `2:${K2},1:${K1}` }, t.dataDir());
      expect(await init(both.provider)).toMatchObject({ activeVersion: 2, verifiedVersions: [1], recorded: true });
      const fresh = createSecretCrypto({ keys: t.store.keys, provider: both.provider });
      expect(new TextDecoder().decode(await fresh.decrypt(A, payload))).toBe("hunter2");
    });

    test("openKeyring: one call at start", async () => {
      const dir = t.dataDir();
      const opened = await openKeyring({ keys: t.store.keys, dataDir: dir, env: {} });
      expect(opened.source).toBe(`the master key file ${join(dir, "master.key")}`);
      expect(opened.status).toMatchObject({ provider: "local", activeVersion: 1, recorded: true });
      const payload = await opened.crypto.encrypt(A, new Uint8Array([1, 2]));
      const again = await openKeyring({ keys: t.store.keys, dataDir: dir, env: {} });
      expect(await again.crypto.decrypt(A, payload)).toEqual(new Uint8Array([1, 2]));
      await expect(openKeyring({ keys: t.store.keys, dataDir: dir, env: { OPENESC_MASTER_KEY: K1 } })).rejects.toBeInstanceOf(KeyringMismatchError);
    });

    test("data keys wrapped by another provider → refuses", async () => {
      await t.store.keys.insertActiveDataKey({
        id: "00000000-0000-4000-8000-000000000001", environment: A, provider: "vault-transit:transit/openesc", keyVersion: 1, wrapped: "vault:v1:x",
      });
      await expect(init(createLocalKeyProvider({ dataDir: t.dataDir() }))).rejects.toThrow(
        "refusing to start: this database's data keys are wrapped by key provider vault-transit:transit/openesc, but the server is configured with local",
      );
    });
  });
}

describe("resolveKeyProvider()", () => {
  test("defaults and refusals", () => {
    expect(resolveKeyProvider({}, {}, "/d").source).toBe("the master key file /d/master.key");
    expect(resolveKeyProvider({ keyProvider: "vault-transit", vaultAddress: "http://v:8200" }, { VAULT_TOKEN: "t" }, "/d")).toMatchObject({
      provider: { name: "vault-transit:transit/openesc" },
      source: "the Vault transit key transit/openesc at http://v:8200",
    });
    expect(() => resolveKeyProvider({ keyProvider: "vault-transit" }, {}, "/d")).toThrow("vault-transit needs --vault-address or OPENESC_VAULT_ADDR");
    expect(() => resolveKeyProvider({}, { OPENESC_KEY_PROVIDER: "vault-transit", VAULT_ADDR: "http://v" }, "/d")).toThrow(
      "vault-transit needs a token in OPENESC_VAULT_TOKEN or VAULT_TOKEN",
    );
    expect(() => resolveKeyProvider({ keyProvider: "kms" }, {}, "/d")).toThrow('unknown key provider "kms" (use local or vault-transit)');
  });
});
