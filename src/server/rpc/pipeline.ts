import { randomUUID } from "node:crypto";
import type { DescMethod, DescService } from "@bufbuild/protobuf";
import { Code, ConnectError, type HandlerContext, type ServiceImpl } from "@connectrpc/connect";
import type { Logger } from "pino";
import type { Authenticator, Authorizer } from "../../auth/index.js";
import { toConnectError } from "../errors.js";
import { authorize, isPublicMethod } from "./authorize.js";
import { callInfoKey, principalKey, type CallInfo } from "./call-context.js";
import type { CallHooks } from "./call-hooks.js";
import type { AuditStep } from "./audit-step.js";

/**
 * The one path every RPC takes, whatever the transport: request id → authentication → handler →
 * error mapping → log line. Authorization joins here in its own issue; the audit step (audit-step.ts)
 * records one event per call, inside the handler's transaction when it commits one.
 */
export interface Pipeline {
  readonly authenticator: Authenticator;
  /** Effective permissions for the authorization step (authorize.ts, rules in access-rules.ts). */
  readonly authorizer: Authorizer;
  readonly logger: Logger;
  /** Counts calls in flight, so that shutdown can wait for them. */
  readonly inflight: { count: number };
  /** Trace context, rate limits and metrics (call-hooks.ts); absent: none of them. */
  readonly hooks?: CallHooks;
  /** One audit event per call (audit-step.ts); absent only in benchmarks measuring its cost. */
  readonly audit?: AuditStep;
}

/** Options of one wrapped service. */
export interface WrapOptions {
  /** Health and reflection need no token. */
  readonly public?: boolean;
}

type AnyImpl = (input: unknown, ctx: HandlerContext) => unknown;

/** Wraps a (possibly partial) implementation so every method runs through the pipeline. */
export function wrapService<S extends DescService>(
  service: S,
  impl: Partial<ServiceImpl<S>>,
  pipeline: Pipeline,
  options: WrapOptions = {},
): ServiceImpl<S> {
  const wrapped: Record<string, unknown> = {};
  for (const method of service.methods) {
    const fn = (impl as Record<string, AnyImpl | undefined>)[method.localName];
    wrapped[method.localName] =
      method.methodKind === "unary" || method.methodKind === "client_streaming"
        ? wrapUnary(method, fn, pipeline, options)
        : wrapStreaming(method, fn, pipeline, options);
  }
  return wrapped as ServiceImpl<S>;
}

function begin(ctx: HandlerContext): CallInfo {
  let info = ctx.values.get(callInfoKey);
  if (info === undefined) {
    info = { requestId: randomUUID(), peer: "" };
    ctx.values.set(callInfoKey, info);
  }
  ctx.responseHeader.set("x-request-id", info.requestId);
  return info;
}

async function authenticate(ctx: HandlerContext, pipeline: Pipeline, options: WrapOptions): Promise<void> {
  // Methods whose access rule is public (OIDC token exchange) carry no API token.
  if (options.public === true || isPublicMethod(ctx.method)) return;
  const principal = await pipeline.authenticator.authenticate(ctx.requestHeader.get("authorization"));
  ctx.values.set(principalKey, principal);
}

function finish(method: DescMethod, ctx: HandlerContext, info: CallInfo, pipeline: Pipeline, started: number, error?: unknown): ConnectError | undefined {
  const durationMs = Math.round((performance.now() - started) * 1000) / 1000;
  // The log line's fields only when it is written: under load at level "warn" this was an object or
  // two per call, for nothing.
  const fields = () => {
    const principal = ctx.values.get(principalKey);
    return {
      requestId: info.requestId,
      rpc: `${method.parent.typeName}/${method.name}`,
      protocol: ctx.protocolName,
      peer: info.peer,
      actor: principal?.login,
      durationMs,
      ...pipeline.hooks?.logFields(ctx),
    };
  };
  if (error === undefined) {
    pipeline.hooks?.end(method, ctx, undefined, durationMs);
    if (pipeline.logger.isLevelEnabled("info")) pipeline.logger.info({ ...fields(), code: "ok" }, "rpc");
    return undefined;
  }
  const ce = toConnectError(error, info.requestId);
  pipeline.hooks?.end(method, ctx, ce.code, durationMs);
  const code = Code[ce.code] ?? String(ce.code);
  if (ce.code === Code.Internal || ce.code === Code.Unknown) {
    // The cause may hold anything, secrets included: it stays in the server log, never on the wire.
    const cause = ce.cause instanceof Error ? { name: ce.cause.name, message: ce.cause.message, stack: ce.cause.stack } : ce.cause;
    pipeline.logger.error({ ...fields(), code, err: cause }, "rpc failed");
  } else if (pipeline.logger.isLevelEnabled("info")) {
    pipeline.logger.info({ ...fields(), code, message: ce.rawMessage }, "rpc");
  }
  return ce;
}

function wrapUnary(method: DescMethod, fn: AnyImpl | undefined, pipeline: Pipeline, options: WrapOptions) {
  return async (input: unknown, ctx: HandlerContext): Promise<unknown> => {
    const info = begin(ctx);
    pipeline.hooks?.begin(ctx);
    const started = performance.now();
    pipeline.inflight.count++;
    try {
      pipeline.hooks?.screen(ctx);
      await authenticate(ctx, pipeline, options);
      await authorize(method, input, ctx, pipeline.authorizer);
      const admitting = pipeline.hooks?.admit(ctx, input);
      if (admitting !== undefined) await admitting;
      if (fn === undefined) throw new ConnectError(`${method.name} is not implemented`, Code.Unimplemented);
      const audit = options.public === true ? undefined : pipeline.audit;
      const output = await (audit === undefined ? fn(input, ctx) : audit.run(method, ctx, input, () => fn(input, ctx)));
      const refused = await audit?.settle(method, ctx, input, undefined);
      if (refused !== undefined) throw refused;
      finish(method, ctx, info, pipeline, started);
      return output;
    } catch (e) {
      const audit = options.public === true ? undefined : pipeline.audit;
      throw finish(method, ctx, info, pipeline, started, audit === undefined ? e : await audit.settle(method, ctx, input, e));
    } finally {
      pipeline.inflight.count--;
    }
  };
}

function wrapStreaming(method: DescMethod, fn: AnyImpl | undefined, pipeline: Pipeline, options: WrapOptions) {
  return async function* (input: unknown, ctx: HandlerContext): AsyncGenerator<unknown> {
    const info = begin(ctx);
    pipeline.hooks?.begin(ctx);
    const started = performance.now();
    pipeline.inflight.count++;
    try {
      pipeline.hooks?.screen(ctx);
      await authenticate(ctx, pipeline, options);
      await authorize(method, input, ctx, pipeline.authorizer);
      const admitting = pipeline.hooks?.admit(ctx, input);
      if (admitting !== undefined) await admitting;
      if (fn === undefined) throw new ConnectError(`${method.name} is not implemented`, Code.Unimplemented);
      const audit = options.public === true ? undefined : pipeline.audit;
      yield* (audit === undefined ? fn(input, ctx) : audit.run(method, ctx, input, () => fn(input, ctx))) as AsyncIterable<unknown>;
      const refused = await audit?.settle(method, ctx, input, undefined);
      if (refused !== undefined) throw refused;
      finish(method, ctx, info, pipeline, started);
    } catch (e) {
      const audit = options.public === true ? undefined : pipeline.audit;
      throw finish(method, ctx, info, pipeline, started, audit === undefined ? e : await audit.settle(method, ctx, input, e));
    } finally {
      pipeline.inflight.count--;
    }
  };
}
