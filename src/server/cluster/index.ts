export { startClusterPrimary } from "./cluster-primary.js";
export type { ClusterPrimary, ClusterPrimaryOptions } from "./cluster-primary.js";
export { clusterTokenBuckets } from "./cluster-leases.js";
export { clusterMetricsView, clusterWorkerId, reportListening, workerConfig } from "./cluster-worker.js";
export type { ListeningMessage } from "./cluster-messages.js";
