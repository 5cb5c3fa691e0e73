/**
 * The Node.js half of the client: configuration from the environment and the CLI credentials
 * file, TLS options, and the connect-node transport. Browsers get platform-web.ts instead (the
 * package.json "browser" field swaps the file), so that nothing here reaches a browser bundle.
 */
import { readFileSync } from "node:fs";
import { Code, type Interceptor } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import type { OpenEscClientCore } from "./client.js";
import { normalizeServerUrl, readCredentialsFile } from "./credentials-file.js";
import { InvalidError } from "./errors.js";
import { DEFAULT_TIMEOUT_MS, createAuthInterceptor, type OpenEscClientOptions } from "./options.js";
import { createRetryInterceptor } from "./retry.js";

/** Resolves URL, token and TLS settings (options → OPENESC_* → credentials file) into a transport. */
export function connectionFor(options: OpenEscClientOptions): OpenEscClientCore {
  const env = options.env ?? process.env;
  const nonEmpty = (v: string | undefined) => (v === undefined || v === "" ? undefined : v);
  const explicitUrl = options.url ?? nonEmpty(env.OPENESC_URL);
  const explicitToken = options.token ?? nonEmpty(env.OPENESC_TOKEN);
  // The credentials file is read only when the URL or the token is still missing.
  const stored = explicitUrl === undefined || (explicitToken === undefined && options.transport === undefined)
    ? readCredentialsFile(env)
    : { servers: {} };
  const rawUrl = explicitUrl ?? stored.current;
  if (rawUrl === undefined) {
    throw new InvalidError("no OpenESC server: pass `url`, set OPENESC_URL, or log in with `openesc login URL`", Code.FailedPrecondition);
  }
  const url = normalizeServerUrl(rawUrl);
  const server = stored.servers[url];
  const defaultOrg = options.defaultOrg ?? server?.org;
  if (options.transport !== undefined) return { url, transport: options.transport, ...(defaultOrg !== undefined ? { defaultOrg } : {}) };

  const token = explicitToken ?? server?.token;
  const interceptors: Interceptor[] = [];
  if (options.retry !== false) interceptors.push(createRetryInterceptor(options.retry));
  if (token !== undefined) interceptors.push(createAuthInterceptor(token));
  interceptors.push(...(options.interceptors ?? []));

  const nodeOptions: { ca?: string | Buffer; rejectUnauthorized?: boolean } = {};
  const caFile = options.caFile ?? server?.caFile;
  if (options.ca !== undefined) nodeOptions.ca = typeof options.ca === "string" ? options.ca : Buffer.from(options.ca);
  else if (caFile !== undefined) nodeOptions.ca = readCa(caFile);
  if (options.insecure ?? server?.insecure) nodeOptions.rejectUnauthorized = false;

  const transport = createConnectTransport({
    baseUrl: url,
    // The server answers Connect on HTTP/1.1 (h2c goes to its native gRPC path).
    httpVersion: "1.1",
    useBinaryFormat: true,
    interceptors,
    nodeOptions,
    ...timeoutOption(options.timeoutMs),
  });
  return { url, transport, ...(defaultOrg !== undefined ? { defaultOrg } : {}) };
}

function readCa(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (e) {
    throw new InvalidError(`cannot read the CA file ${path}: ${(e as Error).message}`, Code.InvalidArgument);
  }
}

function timeoutOption(timeoutMs: number | undefined): { defaultTimeoutMs?: number } {
  const ms = timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return ms > 0 ? { defaultTimeoutMs: ms } : {};
}
