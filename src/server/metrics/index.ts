export { createServerMetrics } from "./server-metrics.js";
export type { MetricSnapshot, MetricSources, ServerMetrics, ServerMetricsOptions } from "./server-metrics.js";
export { createMetricsRoute } from "./metrics-route.js";
export { startMetricsListener } from "./metrics-listener.js";
export type { MetricsListener } from "./metrics-listener.js";
export { resolveMetricsConfig } from "./metrics-config.js";
export type { MetricsConfig, MetricsListen } from "./metrics-config.js";
