import type { Command } from "commander";
// types only: the server and its database drivers load when `serve` runs, not when it is merely
// registered (`openesc completion`, which a shell may run at every start, reads its options)
import type { ServerFlags } from "../../server/index.js";
import type { CliContext } from "../context.js";
import type { DynamicCredentialsFlags } from "../../providers/index.js";

/** `openesc serve`: runs the server until SIGTERM or SIGINT, then drains and exits 0. */
export function registerServe(program: Command, ctx: CliContext, done: (work: Promise<void>) => void): void {
  program
    .command("serve")
    .description("run the OpenESC server (Connect, gRPC and gRPC-Web on one port)")
    .option("--listen <host:port>", "address to listen on (env OPENESC_LISTEN)", undefined)
    .option("--workers <n|auto>", "server processes sharing the port, one per core with auto (env OPENESC_WORKERS; default 1)")
    .option("--data-dir <dir>", "data directory (env OPENESC_DATA_DIR; default ./.openesc)")
    .option("--database <url>", "sqlite:PATH or postgres://… (env OPENESC_DATABASE_URL)")
    .option("--tls-cert <file>", "TLS certificate (PEM; env OPENESC_TLS_CERT)")
    .option("--tls-key <file>", "TLS private key (PEM; env OPENESC_TLS_KEY)")
    .option("--log-level <level>", "trace|debug|info|warn|error|silent (env OPENESC_LOG_LEVEL)")
    .option("--key-provider <name>", "local|vault-transit (env OPENESC_KEY_PROVIDER; default local: DATA_DIR/master.key or OPENESC_MASTER_KEY)")
    .option("--vault-address <url>", "Vault/OpenBao address for vault-transit (env OPENESC_VAULT_ADDR; token in OPENESC_VAULT_TOKEN)")
    .option("--vault-transit-mount <path>", "transit mount (env OPENESC_VAULT_TRANSIT_MOUNT; default transit)")
    .option("--vault-transit-key <name>", "transit key name (env OPENESC_VAULT_TRANSIT_KEY; default openesc)")
    .option("--public-url <url>", "the URL clouds reach this server at: the OIDC issuer (env OPENESC_PUBLIC_URL; default the listen URL)")
    .option("--provider-timeout-ms <ms>", "time-out of one provider call (env OPENESC_PROVIDER_TIMEOUT_MS; default 30000)")
    .option("--aws-endpoint-url <url>", "endpoint for AWS calls whose inputs name none, e.g. a test double (env OPENESC_AWS_ENDPOINT_URL)")
    .option("--oidc-key-grace-seconds <s>", "how long a rotated-out OIDC signing key stays in the JWKS (env OPENESC_OIDC_KEY_GRACE_SECONDS; default 86400)")
    .option("--metrics-listen <host:port|off>", "serve /metrics on its own address, or off (env OPENESC_METRICS_LISTEN; default: on the main port; OPENESC_METRICS_TOKEN requires a bearer token)")
    .option("--max-request-bytes <n>", "largest request message, every protocol (env OPENESC_MAX_REQUEST_BYTES; default 4194304)")
    .option("--rate-limit <n>", "calls per second per identity (decimals allowed), 0 = unlimited (env OPENESC_RATE_LIMIT; default 0)")
    .option("--rate-limit-burst <n>", "calls an identity may make at once (env OPENESC_RATE_LIMIT_BURST; default 2 × --rate-limit)")
    .option("--peer-rate-limit <n>", "calls per second per address without a token (health, reflection), 0 = unlimited (env OPENESC_PEER_RATE_LIMIT; default 50)")
    .option("--audit-spool-dir <dir>", "where audit events of reads wait while the database refuses writes (env OPENESC_AUDIT_SPOOL_DIR; default DATA_DIR/audit-spool)")
    .option("--audit-spool-max-bytes <n>", "bound of the audit spool, 0 = no spool: reads fail while the database refuses writes (env OPENESC_AUDIT_SPOOL_MAX_BYTES; default 67108864)")
    .option("--header-timeout-ms <ms>", "time a connection has to send its request headers (env OPENESC_HEADER_TIMEOUT_MS; default 10000)")
    .addHelpText("after", "\nExamples:\n  openesc serve\n  openesc serve --listen 0.0.0.0:8080 --database postgres://openesc@db/openesc\n  openesc serve --workers auto\n")
    .action((flags: ServerFlags) => {
      done(serve(flags, ctx));
    });
}

async function serve(flags: ServerFlags, ctx: CliContext): Promise<void> {
  const server = await import("../../server/index.js");
  const { publicUrl, providerTimeoutMs, awsEndpointUrl, oidcKeyGraceSeconds } = flags as ServerFlags & DynamicCredentialsFlags;
  const config = server.resolveServerConfig({ ...flags, credentials: { publicUrl, providerTimeoutMs, awsEndpointUrl, oidcKeyGraceSeconds } }, ctx.env);
  const workerId = server.clusterWorkerId();
  // Listen for signals before starting, so that a SIGTERM during start-up still drains and exits 0.
  // A worker ignores the ones after the first: Ctrl-C reaches it and then the primary's SIGTERM.
  const signalled = new Promise<void>((resolve) => {
    const stop = () => {
      if (workerId === undefined) {
        process.off("SIGTERM", stop);
        process.off("SIGINT", stop);
      }
      resolve();
    };
    process.on("SIGTERM", stop);
    process.on("SIGINT", stop);
    // A worker whose primary is gone (killed) can take no new connection: it drains and exits too,
    // by force if draining hangs.
    if (workerId !== undefined) {
      process.once("disconnect", () => {
        setTimeout(() => process.exit(0), config.shutdownGraceMs + 5000).unref();
        stop();
      });
    }
  });
  if (workerId !== undefined) {
    try {
      const running = await server.startServer(server.workerConfig(config, workerId), {
        metricsView: server.clusterMetricsView,
        tokenBuckets: server.clusterTokenBuckets,
        announce: (s) => server.reportListening({ url: s.url, adminToken: s.bootstrap.adminToken, adminTokenFile: s.bootstrap.adminTokenFile }),
      });
      await signalled;
      await running.close();
    } finally {
      // The IPC channel to the primary would keep the process alive, after a failed start too.
      if (process.connected) process.disconnect();
    }
    return;
  }
  if (config.workers > 1) {
    const primary = await server.startClusterPrimary({ workers: config.workers, logLevel: config.logLevel, graceMs: config.shutdownGraceMs, limits: config.limits });
    printBanner(primary.first, ctx);
    await signalled;
    await primary.close();
    return;
  }
  const running = await server.startServer(config, { announce: (s) => printBanner({ url: s.url, ...s.bootstrap }, ctx) });
  await signalled;
  await running.close();
}

function printBanner(server: { readonly url: string; readonly adminToken?: string; readonly adminTokenFile?: string }, ctx: CliContext): void {
  if (server.adminToken !== undefined) {
    ctx.stdout.write(
      `\nOpenESC created org "default" and its first admin. The admin token is shown only this once` +
        (server.adminTokenFile !== undefined ? ` (also saved to ${server.adminTokenFile}, mode 0600)` : "") +
        `:\n\n  ${server.adminToken}\n\nLog in with:\n  openesc login ${server.url} --token <token>\n\n`,
    );
  }
  // One human line whatever the log level, so operators and scripts learn the (possibly random) port.
  ctx.stderr.write(`openesc: listening on ${server.url}\n`);
}
