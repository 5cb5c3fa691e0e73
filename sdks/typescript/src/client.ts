import { createClient, type CallOptions, type Client, type Transport } from "@connectrpc/connect";
import type { DescService } from "@bufbuild/protobuf";
import { durationFromMs, timestampDate } from "@bufbuild/protobuf/wkt";
import { parseEnvironmentRef, type EnvironmentRef } from "./environment-ref.js";
import { toOpenEscError } from "./errors.js";
import { OpenService } from "./gen/openesc/v1/open_pb.js";
import { openedEnvironmentOf, type OpenedEnvironment } from "./opened-environment.js";
import { parsePropertyPath, type PropertyPath } from "./property-path.js";
import { fromValue, type EscValue } from "./value.js";

/** Per-call options: an AbortSignal, a time-out for this call, extra headers. */
export type OpenEscCallOptions = Pick<CallOptions, "signal" | "timeoutMs" | "headers">;

/** Options of `openSession`. */
export interface OpenSessionOptions extends OpenEscCallOptions {
  /** How long the session lives, in milliseconds (1 s to 24 h; default: the server's, 1 h). */
  readonly durationMs?: number;
}

/** A server-side open session: read it whole or by path until it expires. */
export interface OpenSession {
  readonly id: string;
  readonly expireTime: Date;
  /** The revision that was opened. */
  readonly revision: number;
  /** The value at `path` (default: the whole value). Retried: reads have no side effects. */
  read(path?: string | PropertyPath, options?: OpenEscCallOptions): Promise<EscValue>;
}

/** The client. Every method rejects with an OpenEscError subclass. */
export interface OpenEscClient {
  /** The server's base URL. */
  readonly url: string;
  /**
   * The client of any generated service (`client.service(EnvironmentService).listEnvironments({})`):
   * every RPC of the contract, with this client's token, time-out, retries and typed errors.
   */
  service<S extends DescService>(service: S): Client<S>;
  /** Opens an environment and returns its value and projections, in one call. */
  open(ref: string | EnvironmentRef, options?: OpenEscCallOptions): Promise<OpenedEnvironment>;
  /** Opens an environment and reads the value at one property path, such as `db.password`. */
  read(ref: string | EnvironmentRef, path: string | PropertyPath, options?: OpenEscCallOptions): Promise<EscValue>;
  /** Opens an environment as a session that later reads (by any replica) use. */
  openSession(ref: string | EnvironmentRef, options?: OpenSessionOptions): Promise<OpenSession>;
}

/** What the platform layer hands the core: a ready transport (auth, time-out, retries). */
export interface OpenEscClientCore {
  readonly url: string;
  readonly transport: Transport;
  /** The org of two-part references (`project/env`); none means references need three parts. */
  readonly defaultOrg?: string;
}

/** The client over a transport. */
export function createOpenEscClientOver(core: OpenEscClientCore): OpenEscClient {
  const cache = new Map<string, unknown>();
  const service = <S extends DescService>(desc: S): Client<S> => {
    let client = cache.get(desc.typeName) as Client<S> | undefined;
    if (client === undefined) {
      client = withTypedErrors(desc, createClient(desc, core.transport));
      cache.set(desc.typeName, client);
    }
    return client;
  };
  const open = () => service(OpenService);

  const openSession = async (ref: string | EnvironmentRef, options: OpenSessionOptions = {}): Promise<OpenSession> => {
    const r = parseEnvironmentRef(ref, core.defaultOrg);
    const { durationMs, ...call } = options;
    const res = await open().openEnvironment(
      { ...r, ...(durationMs !== undefined ? { duration: durationFromMs(durationMs) } : {}) },
      call,
    );
    const key = { org: r.org, project: r.project, environment: r.environment, sessionId: res.sessionId };
    return {
      id: res.sessionId,
      expireTime: res.expireTime !== undefined ? timestampDate(res.expireTime) : new Date(Number.NaN),
      revision: Number(res.revision),
      async read(path = "", readOptions) {
        const read = await open().readOpenEnvironment({ ...key, path: pathText(path) }, readOptions);
        return fromValue(read.value);
      },
    };
  };

  return {
    url: core.url,
    service,
    async open(ref, options) {
      const res = await open().resolveEnvironment(parseEnvironmentRef(ref, core.defaultOrg), options);
      return openedEnvironmentOf(res);
    },
    async read(ref, path, options) {
      pathText(path); // a malformed path fails before anything is opened
      const session = await openSession(ref, { ...options, durationMs: 60_000 });
      return session.read(path, options);
    },
    openSession,
  };
}

// The generated client, with every failure turned into its OpenEscError subclass: promises of
// unary and client-streaming calls, and the iterables of server-streaming and bidi calls.
function withTypedErrors<S extends DescService>(desc: S, client: Client<S>): Client<S> {
  const out: Record<string, unknown> = {};
  const methods = client as unknown as Record<string, (...args: unknown[]) => unknown>;
  for (const method of desc.methods) {
    const call = methods[method.localName] as (...args: unknown[]) => unknown;
    out[method.localName] = method.methodKind === "unary" || method.methodKind === "client_streaming"
      ? (...args: unknown[]) => (call(...args) as Promise<unknown>).catch((e: unknown) => Promise.reject(toOpenEscError(e)))
      : (...args: unknown[]) => typedStream(call(...args) as AsyncIterable<unknown>);
  }
  return out as Client<S>;
}

async function* typedStream<T>(stream: AsyncIterable<T>): AsyncIterable<T> {
  try {
    yield* stream;
  } catch (e) {
    throw toOpenEscError(e);
  }
}

// A path in the server's syntax: a string is checked, a parsed path is printed back.
function pathText(path: string | PropertyPath): string {
  if (typeof path === "string") {
    parsePropertyPath(path);
    return path;
  }
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else if (/^[^.[\]"]+$/.test(part)) out += out === "" ? part : `.${part}`;
    else out += `["${part.replace(/["\\]/g, (c) => `\\${c}`)}"]`;
  }
  return out;
}
