import { readFile } from "node:fs/promises";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as grpc from "@grpc/grpc-js";
import { pino, type Logger } from "pino";
import { bootstrapServer, createAuthenticator, createAuthorizer, createStoreAccessFacts, type Authorizer, type BootstrapResult } from "../auth/index.js";
import { createSecretCrypto, createSessionCipher, initKeyring, resolveKeyProvider, type SecretCrypto } from "../crypto/index.js";
import { createChangeFeed, createSessionRepository, openStore, type Store } from "../store/index.js";
import type { ServerConfig } from "./config.js";
import { createHttpRoutes } from "./http-routes.js";
import { createCallLimiter, type CallLimiterOptions } from "./limits/index.js";
import { createMetricsRoute, createServerMetrics, startMetricsListener, type MetricsListener, type ServerMetrics } from "./metrics/index.js";
import { createCallHooks } from "./rpc/call-hooks.js";
import { startDynamicCredentials, type DynamicCredentials } from "./dynamic-credentials.js";
import { withOidcRoutes } from "../oidc/index.js";
import type { Pipeline } from "./rpc/pipeline.js";
import { createAuditStep } from "./rpc/audit-step.js";
import { createStoreDrainTarget, openAuditSpool, openStrandedSpools, type AuditSpool } from "./audit-spool/index.js";
import { createServiceRegistrations } from "./service-catalog.js";
import type { Readiness } from "./services/health-service.js";
import { createConnectHandler } from "./transport/connect-handler.js";
import { createGrpcJsServer } from "./transport/grpc-js-server.js";
import { createOnePortListener } from "./transport/one-port-listener.js";
import { SERVER_VERSION } from "./version.js";

/** A server that is listening. */
export interface RunningServer {
  /** `http://HOST:PORT` or `https://…`. */
  readonly url: string;
  readonly port: number;
  readonly bootstrap: BootstrapResult;
  /** Stops accepting, lets in-flight calls finish (up to the grace period), closes storage. */
  close(): Promise<void>;
}

export interface StartOptions {
  readonly logger?: Logger;
  /** Called once listening, before the `listening` log line (the CLI prints the admin token here). */
  readonly announce?: (server: RunningServer) => void;
  /** What /metrics serves, given this process's metrics (a cluster worker serves every worker's). */
  readonly metricsView?: (local: ServerMetrics) => ServerMetrics;
  /** Where the rate-limit buckets live (a cluster worker leases them from its primary); default this process. */
  readonly tokenBuckets?: CallLimiterOptions["buckets"];
  /**
   * @private Benchmarks only (bench/audit-*.ts): serve without the audit step, to measure what it
   * costs. Deliberately not reachable from the CLI or the environment: production always audits.
   */
  readonly benchOnlyWithoutAudit?: boolean;
  /**
   * @private Benchmarks only: every permission check answers `admin` (the rules still run, the
   * facts are never loaded), to measure what authorization costs. Never reachable from the CLI.
   */
  readonly benchOnlyWithoutAuthz?: boolean;
}

/** Opens storage (migrating it), bootstraps the first admin, and serves every protocol on one port. */
export async function startServer(config: ServerConfig, options: StartOptions = {}): Promise<RunningServer> {
  const logger = options.logger ?? pino({ level: config.logLevel, base: { service: "openesc" } });
  const store = await openStore({ url: config.databaseUrl });
  try {
    const migrated = await store.migrate();
    if (migrated.error !== undefined) throw migrated.error;
    // Refuses a master key the database was not written with, before anything is served.
    const keys = resolveKeyProvider(config.keys, config.env, config.dataDir);
    const keyring = await initKeyring({ keys: store.keys, provider: keys.provider, keySource: keys.source });
    logger.info({ keyProvider: keyring.provider, keyVersion: keyring.activeVersion }, "keyring ready");
    const crypto = createSecretCrypto({ keys: store.keys, provider: keys.provider });
    const bootstrap = await bootstrapServer(store, config.dataDir);
    const credentials = await startDynamicCredentials(config.credentials, store, crypto);
    return await listen(config, store, crypto, bootstrap, logger, options, credentials, { audit: options.benchOnlyWithoutAudit === true, authz: options.benchOnlyWithoutAuthz === true });
  } catch (e) {
    await store.close();
    throw e;
  }
}

async function listen(
  config: ServerConfig,
  store: Store,
  crypto: SecretCrypto,
  bootstrap: BootstrapResult,
  logger: Logger,
  options: Pick<StartOptions, "announce" | "metricsView" | "tokenBuckets">,
  credentials: DynamicCredentials,
  without: { readonly audit: boolean; readonly authz: boolean } = { audit: false, authz: false },
): Promise<RunningServer> {
  const shutdown = new AbortController();
  // Access changed through any replica is seen by the next call here (src/store/change-feed.ts).
  const changes = createChangeFeed({ db: store.db, url: config.databaseUrl, changeStamp: () => store.changeStamp(), onState: (state, err) => (state === "listening" ? logger.info("change feed listening") : logger.warn({ err: err?.message }, "change feed lost; reconnecting")) });
  const authenticator = createAuthenticator({ identities: store.identities, changes });
  const authorizer: Authorizer = without.authz ? { permissionOn: async () => "admin", invalidate: () => undefined } : createAuthorizer({ source: createStoreAccessFacts(store), changes });
  // Reads keep being answered while the database refuses writes: their audit events wait in the spool.
  const spool: AuditSpool | undefined =
    without.audit || config.auditSpool.maxBytes === 0
      ? undefined
      : await openAuditSpool({ dir: config.auditSpool.dir, maxBytes: config.auditSpool.maxBytes, target: createStoreDrainTarget(store), logger }).catch((err: unknown) => {
          // Serve without it (fail-closed audit, as before) rather than not at all.
          logger.error({ err: String(err), dir: config.auditSpool.dir }, "audit spool unavailable: calls will fail while the database refuses writes");
          return undefined;
        });
  // The spools of workers a larger `--workers N` left behind are drained here (stranded-spools.ts).
  const stranded = spool === undefined ? undefined : await openStrandedSpools({ dir: config.auditSpool.dir, workers: config.workers, maxBytes: config.auditSpool.maxBytes, target: createStoreDrainTarget(store), logger });
  const audit = without.audit ? undefined : createAuditStep({ store, logger, ...(spool === undefined ? {} : { spool }) });
  const inflight = { count: 0 };
  // Expired sessions are refused on read; the sweeper only reclaims their rows.
  const sessions = createSessionRepository(store.db);
  const metrics = createServerMetrics({
    version: SERVER_VERSION,
    sources: { inflight: () => inflight.count, pool: () => store.poolStats(), openSessions: () => sessions.countLive(new Date()), ...(spool === undefined ? {} : { spooledAuditEvents: () => spool.count() + (stranded?.count() ?? 0) }) },
  });
  const limiter = createCallLimiter({ identity: config.limits.identityRate, peer: config.limits.peerRate, onLimited: (scope) => metrics.countRateLimited(scope), buckets: options.tokenBuckets });
  const pipeline: Pipeline = { authenticator, authorizer, logger, inflight, hooks: createCallHooks({ metrics, limiter }), ...(audit === undefined ? {} : { audit }) };
  const readiness: Readiness = {
    async isServing() {
      if (shutdown.signal.aborted) return false;
      await store.organizations.list({ pageSize: 1, pageToken: "" });
      return true;
    },
  };
  const registrations = createServiceRegistrations(
    { store, authenticator, authorizer, allowHttpIssuers: httpIssuersOf(config.env), serverVersion: SERVER_VERSION, crypto, sealer: createSessionCipher(crypto), onEvaluated: (outcome, seconds) => metrics.observeEvaluation(outcome, seconds), providers: credentials.providers, changes },
    pipeline,
    readiness,
  );
  const sweeper = setInterval(() => {
    sessions.sweep(new Date()).catch((err: unknown) => logger.warn({ err: String(err) }, "session sweep failed"));
  }, 60_000);
  sweeper.unref();
  const grpcServer = createGrpcJsServer(registrations, shutdown.signal, config.limits.maxRequestBytes);
  const injector = grpcServer.createConnectionInjector(grpc.ServerCredentials.createInsecure());
  const metricsRoute = config.metrics.listen === "off" ? undefined : createMetricsRoute(options.metricsView?.(metrics) ?? metrics, config.metrics.token);
  const headerTimeoutMs = config.limits.headerTimeoutMs;
  const http1 = http.createServer(
    // Node checks the header and request time-outs every connectionsCheckingInterval (30 s by default).
    { keepAliveTimeout: 65_000, requestTimeout: 60_000, headersTimeout: headerTimeoutMs, connectionsCheckingInterval: Math.min(1000, headerTimeoutMs) },
    createConnectHandler(registrations, withOidcRoutes(credentials.issuer, createHttpRoutes(readiness, config.metrics.listen === "main" ? metricsRoute : undefined)), shutdown.signal, config.limits.maxRequestBytes),
  );
  const tls = config.tls === undefined ? undefined : { cert: await readFile(config.tls.certFile), key: await readFile(config.tls.keyFile) };
  const listener = createOnePortListener({ http1, grpc: injector, tls, handshakeTimeoutMs: headerTimeoutMs });

  await new Promise<void>((resolve, reject) => {
    listener.server.once("error", reject);
    listener.server.listen(config.port, config.host, () => {
      listener.server.off("error", reject);
      resolve();
    });
  });
  let metricsListener: MetricsListener | undefined;
  if (typeof config.metrics.listen === "object" && metricsRoute !== undefined) {
    try {
      metricsListener = await startMetricsListener(config.metrics.listen.host, config.metrics.listen.port, metricsRoute, headerTimeoutMs);
    } catch (e) {
      listener.server.close();
      throw e;
    }
    logger.info({ url: `${metricsListener.url}/metrics` }, "metrics listening");
  }
  const port = (listener.server.address() as AddressInfo).port;
  const host = config.host.includes(":") ? `[${config.host}]` : config.host;
  const url = `${tls === undefined ? "http" : "https"}://${host}:${port}`;
  credentials.setServerUrl(url);

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      shutdown.abort();
      clearInterval(sweeper);
      logger.info({ inflight: pipeline.inflight.count }, "shutting down");
      listener.server.close();
      injector.drain(config.shutdownGraceMs);
      http1.close();
      http1.closeIdleConnections();
      const deadline = Date.now() + config.shutdownGraceMs;
      while (pipeline.inflight.count > 0 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 20));
      }
      injector.destroy();
      grpcServer.forceShutdown();
      http1.closeAllConnections();
      listener.destroyConnections();
      await metricsListener?.close();
      await stranded?.close();
      await spool?.close();
      await changes.close();
      await store.close();
      logger.info("stopped");
    })();
    return closing;
  };
  const running: RunningServer = { url, port, bootstrap, close };
  options.announce?.(running);
  logger.info({ url, database: redactUrl(config.databaseUrl), version: SERVER_VERSION }, "listening");
  return running;
}

/** Database URLs may carry a password: log them without it. */
function redactUrl(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, "//$1:***@");
}

// Plain-http OIDC issuers are refused unless listed here (comma-separated exact URLs): for tests and labs.
function httpIssuersOf(env: NodeJS.ProcessEnv): string[] {
  return (env.OPENESC_OIDC_HTTP_ISSUERS ?? "").split(",").map((s) => s.trim()).filter((s) => s !== "");
}
