import type { Interceptor, Transport } from "@connectrpc/connect";
import type { RetryOptions } from "./retry.js";

/** Options of `createOpenEscClient`. Every field is optional; the defaults are listed per field. */
export interface OpenEscClientOptions {
  /**
   * The server's base URL, such as `https://esc.example.com`. Default (Node): `OPENESC_URL`, then
   * the current server of the CLI credentials file (`$OPENESC_HOME/credentials.json`, else
   * `~/.openesc/credentials.json`). Required in browsers.
   */
  readonly url?: string;
  /** The API token. Default (Node): `OPENESC_TOKEN`, then the credentials file's token for the URL. */
  readonly token?: string;
  /** The org of two-part references (`project/env`). Default: the org stored at login, else none. */
  readonly defaultOrg?: string;
  /** Time-out of each call in milliseconds, retries included (default 30 000; 0 means none). */
  readonly timeoutMs?: number;
  /** Retries of calls without side effects (default: 3 attempts); `false` turns them off. */
  readonly retry?: RetryOptions | false;
  /** Node only: PEM certificates to trust for https (a private CA). */
  readonly ca?: string | Uint8Array;
  /** Node only: a PEM file to trust for https. Default: the `caFile` stored at login. */
  readonly caFile?: string;
  /** Node only: do not verify the server's certificate (testing only). */
  readonly insecure?: boolean;
  /** Extra interceptors, run inside the SDK's own (authentication, retries). */
  readonly interceptors?: readonly Interceptor[];
  /** Browser only: the fetch function (default: globalThis.fetch). */
  readonly fetch?: typeof globalThis.fetch;
  /** Node only: the variables to read `OPENESC_*` from (default: process.env). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** A transport to use as is (tests, custom stacks); the URL, token and TLS options are then ignored. */
  readonly transport?: Transport;
}

/** The default time-out of a call. */
export const DEFAULT_TIMEOUT_MS = 30_000;

/** The bearer-token interceptor. */
export function createAuthInterceptor(token: string): Interceptor {
  return (next) => (req) => {
    req.header.set("authorization", `Bearer ${token}`);
    return next(req);
  };
}
