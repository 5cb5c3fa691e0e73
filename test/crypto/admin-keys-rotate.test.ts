import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { afterEach, describe, expect, test } from "vitest";
import { adminKeysRotateCommand } from "../../src/cli/commands/admin-keys-rotate.js";
import { CliError } from "../../src/cli/context.js";
import { createLocalKeyProvider, createSecretCrypto, initKeyring } from "../../src/crypto/index.js";
import { openStore } from "../../src/store/index.js";

const A = { org: "acme", project: "pay", name: "prod" };
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function run(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ stdout: string; error?: CliError }> {
  const stdout = new PassThrough();
  let out = "";
  stdout.on("data", (b: Buffer) => (out += b.toString()));
  const cmd = adminKeysRotateCommand({ stdout, stderr: new PassThrough(), stdin: new PassThrough(), env, isTTY: false });
  cmd.exitOverride();
  try {
    await cmd.parseAsync(args, { from: "user" });
    return { stdout: out };
  } catch (err) {
    if (err instanceof CliError) return { stdout: out, error: err };
    throw err;
  }
}

async function seed(dataDir: string): Promise<void> {
  const store = await openStore({ url: `sqlite:${join(dataDir, "openesc.db")}` });
  try {
    await store.migrate();
    const provider = createLocalKeyProvider({ dataDir });
    await initKeyring({ keys: store.keys, provider });
    const crypto = createSecretCrypto({ keys: store.keys, provider });
    await store.organizations.create({ name: "acme", description: "" });
    await store.environments.create({ key: A, definition: await crypto.encryptDefinition("values:\n  pw: {fn::secret: hunter2}\n", A), author: "t" });
  } finally {
    await store.close();
  }
}

describe("openesc admin keys rotate", () => {
  test("rotates the local key file, rewraps, and with --reencrypt writes new revisions", async () => {
    const dir = mkdtempSync(join(tmpdir(), "openesc-rotate-"));
    dirs.push(dir);
    const data = join(dir, "data");
    await seed(data);
    const db = `sqlite:${join(data, "openesc.db")}`;

    expect(await run(["--data-dir", data])).toEqual({
      stdout: `Rotated to local key version 2 on ${db}: 1 data key(s) rewrapped, 0 already current.\n`,
    });
    expect(await run(["--data-dir", data, "--reencrypt"])).toEqual({
      stdout:
        `Rotated to local key version 3 on ${db}: 1 data key(s) rewrapped, 0 already current.\n` +
        "Re-encrypted 1 environment(s) under new data keys: 1 new revision(s) by system:key-rotation.\n",
    });

    const store = await openStore({ url: db });
    try {
      const rev = await store.environments.getRevision(A, 2);
      expect(rev.author).toBe("system:key-rotation");
      const crypto = createSecretCrypto({ keys: store.keys, provider: createLocalKeyProvider({ dataDir: data }) });
      expect(await crypto.revealDefinition(rev.definition, A)).toBe("values:\n  pw: {fn::secret: hunter2}\n");
      expect(await crypto.revealDefinition((await store.environments.getRevision(A, 1)).definition, A)).toBe("values:\n  pw: {fn::secret: hunter2}\n");
    } finally {
      await store.close();
    }
  });

  test("refuses a foreign master key, and OPENESC_MASTER_KEY rotation in place", async () => {
    const dir = mkdtempSync(join(tmpdir(), "openesc-rotate-"));
    dirs.push(dir);
    const data = join(dir, "data");
    await seed(data);
    const key = Buffer.alloc(32, 9).toString("base64");
    const wrong = await run(["--data-dir", data], { OPENESC_MASTER_KEY: key });
    expect(wrong.error?.message).toMatch(/^refusing to start: OPENESC_MASTER_KEY does not match the one this database was written with/);

    const other = join(dir, "other");
    const fresh = await run(["--data-dir", other, "--rewrap-only"], { OPENESC_MASTER_KEY: key });
    expect(fresh.stdout).toBe(`Rewrapped under local key version 1 on sqlite:${join(other, "openesc.db")}: 0 data key(s) rewrapped, 0 already current.\n`);
    const inPlace = await run(["--data-dir", other], { OPENESC_MASTER_KEY: key });
    expect(inPlace.error?.message).toMatch(/^OPENESC_MASTER_KEY cannot be rotated in place/);
    const usage = await run(["--data-dir", other, "--key-provider", "vault-transit"]);
    expect([usage.error?.exitCode, usage.error?.message]).toEqual([2, "vault-transit needs --vault-address or OPENESC_VAULT_ADDR"]);
  });
});
