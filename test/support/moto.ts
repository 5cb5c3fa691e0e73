/**
 * moto's server mode (`moto_server`, from PyPI's moto[server], installed into .tools/venv by
 * scripts/setup-tools.sh) on a free loopback port: a real HTTP implementation of STS, Secrets
 * Manager and SSM for the AWS providers' tests. In CI a missing binary fails; elsewhere callers skip loudly.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { REPO_ROOT } from "./server.js";

export interface Moto {
  /** `http://127.0.0.1:PORT`. */
  readonly url: string;
  stop(): Promise<void>;
}

/** A binary from .tools/venv/bin or PATH; undefined when missing (throws in CI). */
export function requireVenvTool(name: string): string | undefined {
  const local = join(REPO_ROOT, ".tools/venv/bin", name);
  let found: string | undefined = existsSync(local) ? local : undefined;
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (found === undefined && dir !== "" && existsSync(join(dir, name))) found = join(dir, name);
  }
  if (found !== undefined) return found;
  if (process.env.CI !== undefined) throw new Error(`${name} is required in CI: run scripts/setup-tools.sh`);
  const line = "*".repeat(72);
  console.warn(`\n${line}\n*** ${name} not found: its tests are SKIPPED (run bash scripts/setup-tools.sh) ***\n${line}\n`);
  return undefined;
}

/** A port nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once("error", rej);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => res(port));
    });
  });
}

/** Waits until `probe` resolves true (at most `attempts` × 100 ms), failing early when `dead()` says so. */
export async function waitUntil(what: string, probe: () => Promise<boolean>, dead: () => string | undefined, attempts = 300): Promise<void> {
  for (let i = 0; i < attempts; i++) {
    if (await probe().catch(() => false)) return;
    const reason = dead();
    if (reason !== undefined) throw new Error(`${what} exited before it was ready:\n${reason}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} was not ready in ${attempts / 10} s`);
}

/** Starts moto_server on loopback and waits until it answers. */
export async function startMoto(binary: string): Promise<Moto> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const home = mkdtempSync(join(tmpdir(), "openesc-moto-"));
  const child: ChildProcess = spawn(binary, ["-H", "127.0.0.1", "-p", String(port)], {
    env: { PATH: process.env.PATH, HOME: home, LANG: "C.UTF-8" },
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
  try {
    await waitUntil("moto_server", async () => (await fetch(`${url}/moto-api/`)).status < 500, () => (child.exitCode !== null ? stderr : undefined));
  } catch (e) {
    await stop();
    throw e;
  }
  return { url, stop };
}
