import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { KeyProviderError } from "./crypto-errors.js";
import { createLocalKeyProvider } from "./local-key-provider.js";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function dataDir(): string {
  const d = mkdtempSync(join(tmpdir(), "openesc-kek-"));
  dirs.push(d);
  return join(d, "data");
}
const dek = new Uint8Array(32).map((_, i) => i);

describe("createLocalKeyProvider() with a key file", () => {
  test("creates DATA_DIR/master.key with mode 0600 at first wrap; unwraps; rotates keeping old versions", async () => {
    const dir = dataDir();
    const provider = createLocalKeyProvider({ dataDir: dir });
    expect(provider.name).toBe("local");
    const w1 = await provider.wrap(dek);
    const file = join(dir, "master.key");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(w1.keyVersion).toBe(1);
    expect(Buffer.from(w1.wrapped, "base64").includes(Buffer.from(dek))).toBe(false);
    expect(await provider.unwrap(1, w1.wrapped)).toEqual(dek);

    expect(await provider.rotate()).toBe(2);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const w2 = await provider.wrap(dek);
    expect(w2.keyVersion).toBe(2);
    expect(await provider.unwrap(1, w1.wrapped)).toEqual(dek);
    expect(await provider.unwrap(2, w2.wrapped)).toEqual(dek);
    const json = JSON.parse(readFileSync(file, "utf8")) as { format: string; keys: { version: number }[] };
    expect(json.format).toBe("openesc-master-key/1");
    expect(json.keys.map((k) => k.version)).toEqual([1, 2]);

    // another process (a second provider on the same file) sees the rotation
    expect(await createLocalKeyProvider({ dataDir: dir }).unwrap(2, w2.wrapped)).toEqual(dek);
  });

  test("a wrapped key relabelled with another version, or altered, does not unwrap", async () => {
    const dir = dataDir();
    const provider = createLocalKeyProvider({ dataDir: dir });
    const w = await provider.wrap(dek);
    await provider.rotate();
    await expect(provider.unwrap(2, w.wrapped)).rejects.toThrow("a key wrapped by master key version 2 does not unwrap with the configured master key");
    const bytes = Buffer.from(w.wrapped, "base64");
    bytes[20] = (bytes[20] as number) ^ 1;
    await expect(provider.unwrap(1, bytes.toString("base64"))).rejects.toBeInstanceOf(KeyProviderError);
    await expect(provider.unwrap(7, w.wrapped)).rejects.toThrow(`master key version 7 is not in master key file ${join(dir, "master.key")}`);
  });

  test("unwrap never creates the file; a file readable by others is refused", async () => {
    const dir = dataDir();
    const provider = createLocalKeyProvider({ dataDir: dir });
    await expect(provider.unwrap(1, "AAAA")).rejects.toThrow(`master key file ${join(dir, "master.key")} does not exist (restore it, or set OPENESC_MASTER_KEY)`);
    await provider.wrap(dek);
    chmodSync(join(dir, "master.key"), 0o644);
    await expect(createLocalKeyProvider({ dataDir: dir }).wrap(dek)).rejects.toThrow(
      `master key file ${join(dir, "master.key")} is accessible by group or others (mode 0644): run chmod 600 ${join(dir, "master.key")}`,
    );
  });

  test("a corrupt file is refused, not replaced", async () => {
    const dir = dataDir();
    await createLocalKeyProvider({ dataDir: dir }).wrap(dek);
    writeFileSync(join(dir, "master.key"), "garbage", { mode: 0o600 });
    await expect(createLocalKeyProvider({ dataDir: dir }).wrap(dek)).rejects.toThrow(`master key file ${join(dir, "master.key")} is not valid JSON`);
    expect(readFileSync(join(dir, "master.key"), "utf8")).toBe("garbage");
  });
});

describe("createLocalKeyProvider() with OPENESC_MASTER_KEY", () => {
  const k1 = Buffer.alloc(32, 1).toString("base64");
  const k2 = Buffer.alloc(32, 2).toString("base64");

  test("one key is version 1; no file is written", async () => {
    const dir = dataDir();
    const provider = createLocalKeyProvider({ dataDir: dir, masterKey: k1 });
    const w = await provider.wrap(dek);
    expect(w.keyVersion).toBe(1);
    expect(await provider.unwrap(1, w.wrapped)).toEqual(dek);
    expect(() => statSync(join(dir, "master.key"))).toThrow();
  });

  test("a versioned list wraps with the highest; rotation in place is refused with instructions", async () => {
    const old = createLocalKeyProvider({ dataDir: dataDir(), masterKey: k1 });
    const w1 = await old.wrap(dek);
    const both = createLocalKeyProvider({ dataDir: dataDir(), masterKey: `2:${k2},1:${k1}` });
    expect((await both.wrap(dek)).keyVersion).toBe(2);
    expect(await both.unwrap(1, w1.wrapped)).toEqual(dek);
    await expect(both.rotate()).rejects.toThrow(
      'OPENESC_MASTER_KEY cannot be rotated in place: add a new version to it (OPENESC_MASTER_KEY=2:NEW_KEY,1:OLD_KEY), restart, then run "openesc admin keys rotate --rewrap-only"',
    );
  });

  test("malformed values are refused without echoing them", () => {
    for (const bad of ["short", Buffer.alloc(16).toString("base64"), `1:${k1},1:${k2}`, `0:${k1}`, `${k1},${k2}`]) {
      let message = "";
      try {
        createLocalKeyProvider({ dataDir: "/nonexistent", masterKey: bad });
      } catch (err) {
        message = (err as Error).message;
      }
      expect(message).toMatch(/^OPENESC_MASTER_KEY /);
      expect(message).not.toContain(k1);
    }
  });
});
