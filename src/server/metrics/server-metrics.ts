import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import type { PoolStats } from "../../store/index.js";

/** What the gauges read at scrape time. Every source is optional: a missing one is not exported. */
export interface MetricSources {
  /** Calls in flight (the pipeline's counter). */
  readonly inflight?: () => number;
  /** The database pool's counts (PostgreSQL); undefined for SQLite. */
  readonly pool?: () => PoolStats | undefined;
  /** Open sessions still valid now (a database count, shared by every replica). */
  readonly openSessions?: () => Promise<number>;
  /** Audit events waiting in the local spool for the database to accept writes (server/audit-spool). */
  readonly spooledAuditEvents?: () => number;
}

/**
 * The server's Prometheus metrics. Labels hold only bounded, public names (services, methods, codes,
 * provider names): never environment names, identities or values (ARCHITECTURE rule 3).
 */
export interface ServerMetrics {
  /** One finished RPC; `code` is a Connect code name such as `ok` or `not_found`. */
  observeRpc(service: string, method: string, code: string, seconds: number): void;
  /** One evaluation in open mode; `outcome` is `ok` or `error`. */
  observeEvaluation(outcome: "ok" | "error", seconds: number): void;
  /** One provider call (`fn::open::NAME`); any outcome but `ok` counts as `error`. */
  observeProviderCall(provider: string, outcome: string, seconds: number): void;
  /** A call refused by a rate limit; scope `identity` or `peer`. */
  countRateLimited(scope: "identity" | "peer"): void;
  /** The text exposition format. */
  render(): Promise<{ readonly contentType: string; readonly body: string }>;
  /** Every metric with its values, for adding up several processes' (server/cluster). */
  snapshot(): Promise<MetricSnapshot>;
}

/** prom-client's JSON form of a registry. */
export type MetricSnapshot = Awaited<ReturnType<Registry["getMetricsAsJSON"]>>;

export interface ServerMetricsOptions {
  readonly version: string;
  readonly sources?: MetricSources;
  /** Node.js process metrics (CPU, memory, event loop, GC). Default true. */
  readonly processMetrics?: boolean;
}

// Buckets from 0.5 ms to 10 s: resolve calls are a few ms, provider calls up to their time-out.
const BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** Provider names come from plugins: past this many distinct ones, the rest are counted as `other`. */
const MAX_PROVIDER_LABELS = 64;

/** Creates the metrics on a registry of their own (never prom-client's global one). */
export function createServerMetrics(options: ServerMetricsOptions): ServerMetrics {
  const registry = new Registry();
  const sources = options.sources ?? {};
  if (options.processMetrics !== false) collectDefaultMetrics({ register: registry, prefix: "openesc_" });
  new Gauge({ name: "openesc_build_info", help: "The server version (value 1).", labelNames: ["version"], registers: [registry] }).set({ version: options.version }, 1);
  const rpcs = new Counter({ name: "openesc_rpc_requests_total", help: "Finished RPCs by service, method and Connect code.", labelNames: ["service", "method", "code"], registers: [registry] });
  const rpcSeconds = new Histogram({ name: "openesc_rpc_duration_seconds", help: "RPC duration (authentication to response) by service, method and Connect code.", labelNames: ["service", "method", "code"], buckets: BUCKETS, registers: [registry] });
  const evalSeconds = new Histogram({ name: "openesc_evaluation_duration_seconds", help: "Duration of evaluations in open mode, imports and provider calls included.", labelNames: ["outcome"], buckets: BUCKETS, registers: [registry] });
  const providerSeconds = new Histogram({ name: "openesc_provider_call_duration_seconds", help: "Duration of provider calls (fn::open) by provider and outcome.", labelNames: ["provider", "outcome"], buckets: BUCKETS, registers: [registry] });
  const limited = new Counter({ name: "openesc_rate_limited_total", help: "Calls refused by a rate limit, by scope (identity or peer).", labelNames: ["scope"], registers: [registry] });
  if (sources.inflight !== undefined) {
    const read = sources.inflight;
    new Gauge({ name: "openesc_rpc_in_flight", help: "RPCs being served now.", registers: [registry], collect() { this.set(read()); } });
  }
  if (sources.pool !== undefined) {
    const read = sources.pool;
    new Gauge({
      name: "openesc_db_pool_connections",
      help: "Database pool connections by state: total (open), idle, waiting (callers queued for a connection).",
      labelNames: ["state"],
      registers: [registry],
      collect() {
        const stats = read();
        if (stats === undefined) return;
        this.set({ state: "total" }, stats.total);
        this.set({ state: "idle" }, stats.idle);
        this.set({ state: "waiting" }, stats.waiting);
      },
    });
  }
  if (sources.openSessions !== undefined) {
    const read = sources.openSessions;
    new Gauge({
      name: "openesc_open_sessions",
      help: "Open sessions that have not expired (all replicas); absent while the database does not answer.",
      registers: [registry],
      async collect() {
        // With the database down the other metrics matter most: drop this one, keep the scrape.
        try {
          this.set(await read());
        } catch {
          this.reset();
        }
      },
    });
  }
  if (sources.spooledAuditEvents !== undefined) {
    const read = sources.spooledAuditEvents;
    new Gauge({ name: "openesc_audit_spooled_events", help: "Audit events kept in the local spool while the database refuses writes, not yet in the audit log.", registers: [registry], collect() { this.set(read()); } });
  }
  const providers = new Set<string>();
  return {
    observeRpc(service, method, code, seconds) {
      rpcs.inc({ service, method, code });
      rpcSeconds.observe({ service, method, code }, seconds);
    },
    observeEvaluation(outcome, seconds) {
      evalSeconds.observe({ outcome }, seconds);
    },
    observeProviderCall(provider, outcome, seconds) {
      if (!providers.has(provider) && providers.size < MAX_PROVIDER_LABELS && /^[A-Za-z0-9_.:-]{1,64}$/.test(provider)) providers.add(provider);
      providerSeconds.observe({ provider: providers.has(provider) ? provider : "other", outcome: outcome === "ok" ? "ok" : "error" }, seconds);
    },
    countRateLimited(scope) {
      limited.inc({ scope });
    },
    async render() {
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
    snapshot: () => registry.getMetricsAsJSON(),
  };
}
