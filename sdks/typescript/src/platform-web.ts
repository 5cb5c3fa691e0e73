/**
 * The browser half of the client (swapped in for platform.ts by the package.json "browser" field):
 * the connect-web transport over fetch. There is no environment or credentials file in a browser,
 * so the URL is required; TLS is the browser's.
 */
import { Code, type Interceptor } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-web";
import type { OpenEscClientCore } from "./client.js";
import { InvalidError } from "./errors.js";
import { DEFAULT_TIMEOUT_MS, createAuthInterceptor, type OpenEscClientOptions } from "./options.js";
import { createRetryInterceptor } from "./retry.js";

/** The transport for a browser: options only. */
export function connectionFor(options: OpenEscClientOptions): OpenEscClientCore {
  if (options.url === undefined) throw new InvalidError("no OpenESC server: pass `url`", Code.FailedPrecondition);
  const url = options.url.replace(/\/+$/, "");
  const defaultOrg = options.defaultOrg;
  if (options.transport !== undefined) return { url, transport: options.transport, ...(defaultOrg !== undefined ? { defaultOrg } : {}) };
  const interceptors: Interceptor[] = [];
  if (options.retry !== false) interceptors.push(createRetryInterceptor(options.retry));
  if (options.token !== undefined) interceptors.push(createAuthInterceptor(options.token));
  interceptors.push(...(options.interceptors ?? []));
  const ms = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const transport = createConnectTransport({
    baseUrl: url,
    useBinaryFormat: true,
    interceptors,
    ...(options.fetch !== undefined ? { fetch: options.fetch } : {}),
    ...(ms > 0 ? { defaultTimeoutMs: ms } : {}),
  });
  return { url, transport, ...(defaultOrg !== undefined ? { defaultOrg } : {}) };
}
