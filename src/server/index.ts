export { startServer } from "./start-server.js";
export type { RunningServer, StartOptions } from "./start-server.js";
export { resolveServerConfig, ConfigError } from "./config.js";
export type { ServerConfig, ServerFlags } from "./config.js";
export { contractServices, serverFiles } from "./service-catalog.js";
export { SERVER_VERSION } from "./version.js";
export { clusterMetricsView, clusterTokenBuckets, clusterWorkerId, reportListening, startClusterPrimary, workerConfig } from "./cluster/index.js";
