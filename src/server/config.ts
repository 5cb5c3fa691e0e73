import { availableParallelism } from "node:os";
import { resolve } from "node:path";
import type { KeyProviderFlags } from "../crypto/index.js";
import { resolveDynamicCredentialsConfig, type DynamicCredentialsConfig, type DynamicCredentialsFlags } from "../providers/index.js";
import { resolveLimits, type LimitFlags, type ServerLimits } from "./limits/limits-config.js";
import { resolveMetricsConfig, type MetricsConfig } from "./metrics/metrics-config.js";

/** Everything `openesc serve` can be told, from flags or `OPENESC_*` variables (flags win). */
export interface ServerConfig {
  readonly host: string;
  readonly port: number;
  readonly dataDir: string;
  /** `sqlite:PATH` or `postgres://…`. */
  readonly databaseUrl: string;
  readonly tls?: { readonly certFile: string; readonly keyFile: string };
  readonly logLevel: string;
  /** How long shutdown waits for in-flight calls. */
  readonly shutdownGraceMs: number;
  /** The key provider settings (crypto/key-provider-config.ts resolves them with the environment). */
  readonly keys: KeyProviderFlags;
  /** The environment the server reads key material from (OPENESC_MASTER_KEY, Vault token). */
  readonly env: NodeJS.ProcessEnv;
  /** The OIDC issuer and the built-in providers (providers/dynamic-credentials-config.ts). */
  readonly credentials: DynamicCredentialsConfig;
  /** Request size, rate and header-time limits (limits/limits-config.ts). */
  readonly limits: ServerLimits;
  /** Where /metrics is served (metrics/metrics-config.ts). */
  readonly metrics: MetricsConfig;
  /** The local audit spool (server/audit-spool): its directory and bound; maxBytes 0 = no spool. */
  readonly auditSpool: { readonly dir: string; readonly maxBytes: number };
  /** Server processes sharing the port (server/cluster); 1 = this process serves alone. */
  readonly workers: number;
}

export interface ServerFlags extends LimitFlags {
  readonly workers?: string;
  readonly metricsListen?: string;
  readonly auditSpoolDir?: string;
  readonly auditSpoolMaxBytes?: string;
  readonly listen?: string;
  readonly dataDir?: string;
  readonly database?: string;
  readonly tlsCert?: string;
  readonly tlsKey?: string;
  readonly logLevel?: string;
  readonly keyProvider?: string;
  readonly vaultAddress?: string;
  readonly vaultTransitMount?: string;
  readonly vaultTransitKey?: string;
  /** --public-url, --provider-timeout-ms, --aws-endpoint-url, --oidc-key-grace-seconds. */
  readonly credentials?: DynamicCredentialsFlags;
}

/** A configuration mistake, reported to the operator as one line. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

function credentialsConfig(flags: DynamicCredentialsFlags, env: NodeJS.ProcessEnv): DynamicCredentialsConfig {
  try {
    return resolveDynamicCredentialsConfig(flags, env);
  } catch (e) {
    throw new ConfigError(e instanceof Error ? e.message : String(e));
  }
}

/**
 * Fills in defaults in one place: listen 127.0.0.1:8080, data dir ./.openesc, SQLite at
 * DATA_DIR/openesc.db, log level info, 10 s shutdown grace.
 */
export function resolveServerConfig(flags: ServerFlags, env: NodeJS.ProcessEnv): ServerConfig {
  const listen = flags.listen ?? env.OPENESC_LISTEN ?? "127.0.0.1:8080";
  const { host, port } = parseListen(listen);
  const dataDir = resolve(flags.dataDir ?? env.OPENESC_DATA_DIR ?? ".openesc");
  const databaseUrl = flags.database ?? env.OPENESC_DATABASE_URL ?? `sqlite:${resolve(dataDir, "openesc.db")}`;
  const certFile = flags.tlsCert ?? env.OPENESC_TLS_CERT;
  const keyFile = flags.tlsKey ?? env.OPENESC_TLS_KEY;
  if ((certFile === undefined) !== (keyFile === undefined)) {
    throw new ConfigError("--tls-cert and --tls-key must be given together");
  }
  const logLevel = flags.logLevel ?? env.OPENESC_LOG_LEVEL ?? "info";
  if (!["trace", "debug", "info", "warn", "error", "fatal", "silent"].includes(logLevel)) {
    throw new ConfigError(`invalid log level "${logLevel}"`);
  }
  return {
    host,
    port,
    dataDir,
    databaseUrl,
    tls: certFile !== undefined && keyFile !== undefined ? { certFile, keyFile } : undefined,
    logLevel,
    shutdownGraceMs: 10_000,
    credentials: credentialsConfig(flags.credentials ?? {}, env),
    limits: configured(() => resolveLimits(flags, env)),
    metrics: resolveMetricsConfig(flags.metricsListen, env, (text) => parseListen(text, "--metrics-listen")),
    auditSpool: {
      dir: resolve(flags.auditSpoolDir ?? env.OPENESC_AUDIT_SPOOL_DIR ?? resolve(dataDir, "audit-spool")),
      maxBytes: parseByteCount(flags.auditSpoolMaxBytes ?? env.OPENESC_AUDIT_SPOOL_MAX_BYTES ?? String(64 * 1024 * 1024), "--audit-spool-max-bytes"),
    },
    workers: parseWorkers(flags.workers ?? env.OPENESC_WORKERS ?? "1"),
    keys: {
      keyProvider: flags.keyProvider,
      vaultAddress: flags.vaultAddress,
      vaultTransitMount: flags.vaultTransitMount,
      vaultTransitKey: flags.vaultTransitKey,
    },
    env,
  };
}

function parseListen(listen: string, what = "listen address"): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d{1,5})$/.exec(listen);
  const port = m === null ? NaN : Number(m[3]);
  if (m === null || port > 65535) throw new ConfigError(`invalid ${what} "${listen}": expected HOST:PORT`);
  return { host: m[1] ?? (m[2] === "" ? "127.0.0.1" : (m[2] as string)), port };
}

/** `1`…`64`, or `auto`: one per CPU the process may use. */
function parseWorkers(text: string): number {
  const value = text.trim();
  if (value === "auto") return Math.max(1, Math.min(64, availableParallelism()));
  if (!/^\d{1,2}$/.test(value) || Number(value) < 1 || Number(value) > 64) throw new ConfigError(`invalid --workers "${text}": expected 1 to 64, or auto`);
  return Number(value);
}

function parseByteCount(text: string, what: string): number {
  if (!/^\d{1,15}$/.test(text.trim())) throw new ConfigError(`invalid ${what} "${text}": expected a number of bytes (0 = off)`);
  return Number(text.trim());
}

/** Runs a resolver whose errors are configuration mistakes. */
function configured<T>(resolveFn: () => T): T {
  try {
    return resolveFn();
  } catch (e) {
    throw new ConfigError(e instanceof Error ? e.message : String(e));
  }
}
