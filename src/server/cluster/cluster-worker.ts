/**
 * A worker of `openesc serve --workers N` (cluster-primary.ts): it serves like a single server and
 * tells the primary when it listens; its /metrics answers every worker's metrics added up, asked of
 * the primary, so a scrape sees the whole server whichever worker it reaches.
 */
import cluster from "node:cluster";
import { join } from "node:path";
import { isClusterMessage, type ListeningMessage, type MetricsRequest, type SnapshotReply } from "./cluster-messages.js";
import type { ServerConfig } from "../config.js";
import type { ServerMetrics } from "../metrics/index.js";

/** This process's worker number when it is a cluster worker; undefined otherwise. */
export function clusterWorkerId(): number | undefined {
  if (!cluster.isWorker) return undefined;
  const id = Number(process.env.OPENESC_WORKER_ID);
  return Number.isInteger(id) && id > 0 ? id : undefined;
}

/**
 * The worker's configuration: its own audit spool directory (a spool belongs to one process). Worker 1
 * keeps the server's own, so events spooled by a single-process server are drained after a switch to
 * workers and back; the others use `worker-N` inside it (and after the count is lowered, worker 1
 * drains the `worker-N` left above it: audit-spool/stranded-spools.ts).
 */
export function workerConfig(config: ServerConfig, id: number): ServerConfig {
  if (id === 1) return config;
  return { ...config, auditSpool: { ...config.auditSpool, dir: join(config.auditSpool.dir, `worker-${id}`) } };
}

export function reportListening(message: Omit<ListeningMessage, "openesc">): void {
  process.send?.({ openesc: "listening", ...message } satisfies ListeningMessage);
}

const METRICS_TIMEOUT_MS = 5000;

/** Answers the primary's snapshot requests, and serves the cluster-wide sum as this worker's /metrics. */
export function clusterMetricsView(local: ServerMetrics): ServerMetrics {
  let nextId = 0;
  const waiting = new Map<number, (reply: { contentType?: string; body?: string }) => void>();
  process.on("message", (message: unknown) => {
    if (!isClusterMessage(message)) return;
    if (message.openesc === "snapshot?") {
      void local.snapshot().then((metrics) => process.send?.({ openesc: "snapshot!", id: message.id, metrics } satisfies SnapshotReply));
    }
    if (message.openesc === "metrics!") waiting.get(message.id)?.(message);
  });
  return {
    ...local,
    async render() {
      const id = ++nextId;
      const reply = await new Promise<{ contentType?: string; body?: string }>((resolve) => {
        const timer = setTimeout(() => resolve({}), METRICS_TIMEOUT_MS);
        waiting.set(id, (r) => (clearTimeout(timer), resolve(r)));
        process.send?.({ openesc: "metrics?", id } satisfies MetricsRequest);
      });
      waiting.delete(id);
      if (reply.body === undefined || reply.contentType === undefined) throw new Error("the cluster's metrics are unavailable");
      return { contentType: reply.contentType, body: reply.body };
    },
  };
}
