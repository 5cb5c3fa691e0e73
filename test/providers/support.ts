/** Helpers of the provider tests: the real CLI binary, environments, an endpoint that never answers. */
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { createServer, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EnvironmentService } from "../../src/gen/openesc/v1/environment_pb.js";
import { clientFor } from "../support/clients.js";
import { OPENESC_BIN, type TestServer } from "../support/server.js";

export interface CliOutcome {
  readonly stdout: string;
  readonly stderr: string;
  readonly exit: number | null;
}

/** Runs `openesc ARGS` against the server with its admin token. */
export function runCli(server: TestServer, args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<CliOutcome> {
  const home = mkdtempSync(join(tmpdir(), "openesc-providers-cli-"));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [OPENESC_BIN, ...args], {
      env: { PATH: process.env.PATH, HOME: home, OPENESC_HOME: join(home, ".openesc"), OPENESC_URL: server.url, OPENESC_TOKEN: server.token, LANG: "C.UTF-8", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (s: string) => (stdout += s));
    child.stderr.setEncoding("utf8").on("data", (s: string) => (stderr += s));
    child.once("error", reject);
    child.once("exit", (exit) => resolve({ stdout, stderr, exit }));
  });
}

/** Creates `default/PROJECT/NAME` with the definition. */
export async function createEnvironment(server: TestServer, project: string, name: string, definition: string): Promise<void> {
  const environments = clientFor(EnvironmentService, "connect", server.url, server.token);
  await environments.createEnvironment({ org: "default", project, environment: name, definition });
}

/** A TCP endpoint that accepts connections and never answers; counts how many are open at once. */
export interface Blackhole {
  readonly url: string;
  /** The most connections that were open at the same time. */
  maxOpen(): number;
  /** Connections accepted so far. */
  accepted(): number;
  /** Waits until no connection is open (callers' time-outs closed them), then restarts maxOpen from 0. */
  drain(): Promise<void>;
  close(): Promise<void>;
}

export async function startBlackhole(): Promise<Blackhole> {
  const sockets = new Set<Socket>();
  let max = 0;
  let total = 0;
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    total++;
    max = Math.max(max, sockets.size);
    socket.on("error", () => undefined);
    // Read and drop the request, so the peer closing the connection is seen.
    socket.resume();
    socket.once("close", () => sockets.delete(socket));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    maxOpen: () => max,
    accepted: () => total,
    async drain() {
      while (sockets.size > 0) await new Promise((r) => setTimeout(r, 50));
      max = 0;
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
