/**
 * The primary of `openesc serve --workers N`: it serves nothing itself. It starts worker 1 alone —
 * which migrates, bootstraps and creates the signing key exactly as a single server would — and the
 * others once worker 1 listens (they find all of that done, so nothing races). node:cluster hands
 * each new connection to a worker in turn, all on one port. A worker that dies is started again; on
 * shutdown every worker drains its calls and the primary exits once they all have.
 * It also adds up the workers' metrics for whichever worker a /metrics scrape reaches, and owns the
 * replica's rate-limit buckets, which the workers lease tokens from (cluster-leases.ts).
 */
import cluster, { type Worker } from "node:cluster";
import { AggregatorRegistry } from "prom-client";
import { pino } from "pino";
import { createLeaseBank } from "./cluster-leases.js";
import { isClusterMessage, type ListeningMessage, type MetricsReply, type SnapshotRequest } from "./cluster-messages.js";
import type { ServerLimits } from "../limits/index.js";
import type { MetricSnapshot } from "../metrics/index.js";

export interface ClusterPrimary {
  /** What worker 1 reported once listening (the URL; the admin token when it bootstrapped). */
  readonly first: ListeningMessage;
  /** Stops every worker (SIGTERM: they drain) and resolves once all have exited. */
  close(): Promise<void>;
}

export interface ClusterPrimaryOptions {
  readonly workers: number;
  readonly logLevel: string;
  /** How long a worker may take to drain before it is killed. */
  readonly graceMs: number;
  /** The rate limits, held here for the whole replica; absent: each worker limits on its own. */
  readonly limits?: Pick<ServerLimits, "identityRate" | "peerRate">;
}

const RESTART_DELAY_MS = 1000;
const SNAPSHOT_TIMEOUT_MS = 2000;

export async function startClusterPrimary(options: ClusterPrimaryOptions): Promise<ClusterPrimary> {
  const logger = pino({ level: options.logLevel, base: { service: "openesc", role: "primary" } });
  const live = new Map<number, Worker>();
  let closing = false;
  let nextRequest = 0;
  const leases = options.limits === undefined ? undefined : createLeaseBank(options.limits);
  const snapshots = new Map<number, { readonly got: MetricSnapshot[]; readonly wanted: number; readonly done: () => void }>();

  function fork(id: number): Promise<ListeningMessage> {
    const worker = cluster.fork({ OPENESC_WORKER_ID: String(id) });
    live.set(id, worker);
    worker.on("message", (message: unknown) => {
      if (leases?.handle(worker, message) === true) return;
      if (!isClusterMessage(message)) return;
      if (message.openesc === "metrics?") void answerMetrics(worker, message.id);
      if (message.openesc === "snapshot!") {
        const pending = snapshots.get(message.id);
        if (pending === undefined) return;
        pending.got.push(message.metrics);
        if (pending.got.length === pending.wanted) pending.done();
      }
    });
    return new Promise((resolve, reject) => {
      let listening = false;
      worker.on("message", (message: unknown) => {
        if (isClusterMessage(message) && message.openesc === "listening" && !listening) {
          listening = true;
          resolve(message);
        }
      });
      worker.on("exit", (code, signal) => {
        if (live.get(id) === worker) live.delete(id);
        if (!listening) {
          reject(new Error(`worker ${id} exited during start-up (${signal ?? `code ${code}`})`));
          return;
        }
        if (closing) return;
        logger.error({ worker: id, code, signal }, "worker exited; starting it again");
        setTimeout(() => {
          if (!closing) fork(id).catch((err: unknown) => logger.error({ worker: id, err: String(err) }, "worker failed to start again"));
        }, RESTART_DELAY_MS).unref();
      });
    });
  }

  // Every live worker's metrics, added up (counters and histograms summed, as Prometheus would).
  async function answerMetrics(asker: Worker, id: number): Promise<void> {
    const request = ++nextRequest;
    const workers = [...live.values()].filter((w) => w.isConnected());
    const got: MetricSnapshot[] = [];
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, SNAPSHOT_TIMEOUT_MS);
      snapshots.set(request, { got, wanted: workers.length, done: () => (clearTimeout(timer), resolve()) });
      const ask: SnapshotRequest = { openesc: "snapshot?", id: request };
      for (const w of workers) w.send(ask);
    });
    snapshots.delete(request);
    let reply: MetricsReply = { openesc: "metrics!", id };
    if (got.length > 0) {
      const registry = AggregatorRegistry.aggregate(got);
      reply = { ...reply, contentType: registry.contentType, body: await registry.metrics() };
    }
    if (asker.isConnected()) asker.send(reply);
  }

  try {
    const first = await fork(1);
    await Promise.all(Array.from({ length: options.workers - 1 }, (_, i) => fork(i + 2)));
    logger.info({ workers: options.workers }, "workers listening");
    return { first, close };
  } catch (e) {
    await close();
    throw e;
  }

  async function close(): Promise<void> {
    closing = true;
    const exits = [...live.values()].map(
      (worker) =>
        new Promise<void>((resolve) => {
          if (worker.isDead()) return resolve();
          const kill = setTimeout(() => worker.process.kill("SIGKILL"), options.graceMs + 5000);
          worker.once("exit", () => (clearTimeout(kill), resolve()));
          worker.process.kill("SIGTERM");
        }),
    );
    await Promise.all(exits);
  }
}
