/** @private The messages between the cluster's primary and its workers (node:cluster IPC). */
import type { LimitScope } from "../limits/index.js";
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

/** A worker asks for up to `want` tokens of a key's bucket (the primary owns the replica's rate limits). */
export interface LeaseRequest {
  readonly openesc: "lease?";
  readonly id: number;
  readonly scope: LimitScope;
  readonly key: string;
  readonly want: number;
}

/** The tokens granted (taken from the bucket), and the wait when the bucket is left empty; `unlimited`: the primary has no such limit. */
export interface LeaseReply {
  readonly openesc: "lease!";
  readonly id: number;
  readonly granted: number;
  readonly retryAfterMs: number;
  readonly unlimited?: true;
}

/** A worker gives back the unused tokens of an expired lease. */
export interface LeaseReturn {
  readonly openesc: "lease-return";
  readonly scope: LimitScope;
  readonly key: string;
  readonly tokens: number;
}

export type ClusterMessage = ListeningMessage | MetricsRequest | MetricsReply | SnapshotRequest | SnapshotReply | LeaseRequest | LeaseReply | LeaseReturn;

export function isClusterMessage(value: unknown): value is ClusterMessage {
  return typeof value === "object" && value !== null && typeof (value as { openesc?: unknown }).openesc === "string";
}
