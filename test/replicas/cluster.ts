/**
 * Several real `openesc serve` processes on one PostgreSQL database, the way production runs them:
 * each replica has its own data directory, and they share the database and the master key
 * (OPENESC_MASTER_KEY). The first replica bootstraps the admin; the others join.
 */
import { randomBytes } from "node:crypto";
import { ConnectError, type Code } from "@connectrpc/connect";
import { startTestServer, type TestServer } from "../support/server.js";

export interface Cluster {
  readonly replicas: readonly TestServer[];
  /** The bootstrap admin token (from the first replica). */
  readonly token: string;
  /** The env every replica runs with (the shared master key). */
  readonly env: Readonly<Record<string, string>>;
  stop(): Promise<(number | null)[]>;
}

/** Starts `count` replicas on `database`: the first alone (it bootstraps), then the rest at once. */
export async function startCluster(count: number, database: string, extraEnv: Readonly<Record<string, string>> = {}): Promise<Cluster> {
  const env = { OPENESC_MASTER_KEY: randomBytes(32).toString("base64"), ...extraEnv };
  const first = await startTestServer({ database, env });
  const rest = await Promise.all(Array.from({ length: count - 1 }, () => startTestServer({ database, env })));
  const replicas = [first, ...rest];
  return {
    replicas,
    token: first.token,
    env,
    stop: () => Promise.all(replicas.map((r) => r.stop())),
  };
}

/** "ok", or the code a call failed with. */
export async function codeOf(p: Promise<unknown>): Promise<Code | "ok"> {
  try {
    await p;
    return "ok";
  } catch (e) {
    return ConnectError.from(e).code;
  }
}
