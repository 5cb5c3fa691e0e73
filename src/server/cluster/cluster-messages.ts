/** @private The messages between the cluster's primary and its workers (node:cluster IPC). */
import type { MetricSnapshot } from "../metrics/index.js";

/** A worker is serving: its URL, and the bootstrap's one-time admin token if it made one. */
export interface ListeningMessage {
  readonly openesc: "listening";
  readonly url: string;
  readonly adminToken?: string;
  readonly adminTokenFile?: string;
}

/** A worker asks for every worker's metrics, added up (for a /metrics scrape it is serving). */
export interface MetricsRequest {
  readonly openesc: "metrics?";
  readonly id: number;
}

export interface MetricsReply {
  readonly openesc: "metrics!";
  readonly id: number;
  readonly contentType?: string;
  readonly body?: string;
}

/** The primary asks a worker for its own metrics. */
export interface SnapshotRequest {
  readonly openesc: "snapshot?";
  readonly id: number;
}

export interface SnapshotReply {
  readonly openesc: "snapshot!";
  readonly id: number;
  readonly metrics: MetricSnapshot;
}

export type ClusterMessage = ListeningMessage | MetricsRequest | MetricsReply | SnapshotRequest | SnapshotReply;

export function isClusterMessage(value: unknown): value is ClusterMessage {
  return typeof value === "object" && value !== null && typeof (value as { openesc?: unknown }).openesc === "string";
}
