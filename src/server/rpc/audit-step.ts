/**
 * The audit step of the pipeline: every RPC (except the public health and reflection services,
 * which carry no identity and no resource and would drown the log in probes) writes exactly one
 * audit event.
 *
 * - A call whose handler commits a transaction carries its event in that transaction (through the
 *   store's transaction hook): the mutation and its event commit together or not at all.
 * - Any other call — a read, a denial, a failed authentication, a failed mutation — gets its event
 *   written by the pipeline before the response goes out (for streams: after the last message).
 * - When the event cannot be written the call fails with Unavailable, and a mutation is rolled back.
 *   Except: when the database refuses writes (read-only, out of space) an event written here goes to
 *   the local audit spool (src/server/audit-spool), fsync'd, and the call is answered — reads continue
 *   and no event is lost; the spool drains into the chain once the database accepts writes again.
 *   A spool that cannot take it (full, no spool) fails the call closed as before.
 *
 * Edge cases, decided: a handler that fails after its transaction committed keeps the committed
 * event (outcome `ok`: the change happened); transactions opened by a streaming handler do not carry
 * the event (no streaming RPC mutates); the event's chain is the request's org only when that is a
 * valid org name, so garbage in a refused request cannot create chains.
 */
import { Code, ConnectError, createContextKey, type HandlerContext } from "@connectrpc/connect";
import type { DescMethod } from "@bufbuild/protobuf";
import type { Logger } from "pino";
import { createGroupAppender, type AuditEventDraft } from "../../audit/index.js";
import { parseTokenId } from "../../auth/index.js";
import { createAuditRepository, withTransactionHook, type Store, type TransactionFacts, type TransactionHook } from "../../store/index.js";
import { writeRefusalOf, type AuditSpool } from "../audit-spool/index.js";
import { toConnectError } from "../errors.js";
import { callDetailsKey, callInfoKey, principalKey } from "./call-context.js";
import { traceLogFields } from "./call-hooks.js";

export interface AuditStep {
  /** Runs the handler with the call's event pending, so that a transaction it commits carries the event. */
  run<T>(method: DescMethod, ctx: HandlerContext, input: unknown, handler: () => T): T;
  /**
   * Writes the call's event unless a committed transaction carried it. `error` is the call's failure
   * (undefined for success). Returns the error the caller must answer with: `error` itself, or
   * Unavailable when the event could not be written.
   */
  settle(method: DescMethod, ctx: HandlerContext, input: unknown, error: unknown): Promise<unknown>;
}

/** Per call: which transaction has taken the event, and whether that transaction committed. */
interface CallAudit {
  /** The facts object of the transaction carrying the event (in flight); undefined when none does. */
  carrier: TransactionFacts | undefined;
  written: boolean;
  /** Writing failed once: the call already answers Unavailable, do not try again. */
  failed: boolean;
}

// In the call's context values, not a WeakMap keyed by the context: V8's scavenges keep the entries
// of a WeakMap whose keys are young, so every call's context (and all it reaches) was moved to the old
// generation, to be found only by a full collection.
const callAuditKey = createContextKey<CallAudit | undefined>(undefined, { description: "openesc audit state of the call" });

function stateOf(ctx: HandlerContext): CallAudit {
  let state = ctx.values.get(callAuditKey);
  if (state === undefined) {
    state = { carrier: undefined, written: false, failed: false };
    ctx.values.set(callAuditKey, state);
  }
  return state;
}

/** Unavailable, without the cause (it may name anything); the cause goes to the server log. */
export function auditUnavailable(cause: unknown): ConnectError {
  return new ConnectError("the audit log could not be written; the request was not carried out", Code.Unavailable, undefined, undefined, cause);
}

export function createAuditStep(options: { store: Store; logger: Logger; now?: () => number; spool?: Pick<AuditSpool, "keep"> }): AuditStep {
  const { store, logger, spool } = options;
  const now = options.now ?? Date.now;
  // Events outside a mutation's transaction are group-committed: concurrent calls share one transaction.
  const writer = createGroupAppender({ appendBatch: (chain, drafts) => store.appendAuditBatch(chain, drafts) });

  function draftOf(method: DescMethod, ctx: HandlerContext, input: unknown, outcome: string, revision: number | undefined): AuditEventDraft {
    const principal = ctx.values.get(principalKey);
    const details = ctx.values.get(callDetailsKey);
    const resource = resourceOf(input);
    return {
      chain: ORG_NAME.test(resource.org) ? resource.org : (principal?.org ?? ""),
      time: now(),
      actor: principal?.login ?? "",
      actorId: principal?.identityId ?? "",
      tokenId: principal?.tokenId ?? presentedTokenId(ctx.requestHeader.get("authorization")),
      source: ctx.values.get(callInfoKey)?.peer ?? "",
      userAgent: bounded(ctx.requestHeader.get("user-agent") ?? "", 256),
      action: `${method.parent.typeName}/${method.name}`,
      org: resource.org,
      project: resource.project,
      environment: resource.environment,
      revision: revision ?? details?.revision ?? null,
      providerCalls: (details?.providerCalls ?? []).map((c) => ({ provider: c.provider, path: c.path, durationMs: c.durationMs, outcome: c.outcome })),
      outcome,
      requestId: ctx.values.get(callInfoKey)?.requestId ?? "",
    };
  }

  return {
    run(method, ctx, input, handler) {
      const state = stateOf(ctx);
      const hook: TransactionHook = {
        async beforeCommit(trx, facts) {
          // One event per call: while one transaction carries it (or after it committed), others do not.
          if (state.carrier !== undefined || state.written) return;
          state.carrier = facts;
          await createAuditRepository(trx, store.capabilities).append(draftOf(method, ctx, input, "ok", facts.revision));
        },
        settled(committed, facts) {
          if (state.carrier !== facts) return;
          state.carrier = undefined;
          if (committed) state.written = true;
        },
      };
      return withTransactionHook(hook, handler);
    },

    async settle(method, ctx, input, error) {
      const state = stateOf(ctx);
      if (state.written || state.failed) return error;
      const outcome = error === undefined ? "ok" : codeName(toConnectError(error, "").code);
      const draft = draftOf(method, ctx, input, outcome, undefined);
      try {
        try {
          await writer.append(draft);
        } catch (e) {
          const refusal = writeRefusalOf(e);
          if (refusal === undefined || spool === undefined) throw e;
          await spool.keep(draft, refusal);
        }
        state.written = true;
        return error;
      } catch (e) {
        state.failed = true;
        logger.error({ err: e instanceof Error ? { name: e.name, message: e.message } : String(e), rpc: `${method.parent.typeName}/${method.name}`, ...traceLogFields(ctx) }, "audit write failed");
        return auditUnavailable(e);
      }
    },
  };
}

const ORG_NAME = /^(?!\.+$)[A-Za-z0-9_.-]{1,100}$/;

/** The `org`, `project` and `environment` fields a request names (empty when it has none). */
function resourceOf(input: unknown): { org: string; project: string; environment: string } {
  const fields = typeof input === "object" && input !== null ? (input as Record<string, unknown>) : {};
  const text = (name: string) => (typeof fields[name] === "string" ? bounded(fields[name], 200) : "");
  return { org: text("org"), project: text("project"), environment: text("environment") };
}

/** The id part of a presented bearer token (public, never the secret); "" when malformed. */
function presentedTokenId(authorization: string | null): string {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? "");
  return match === null ? "" : (parseTokenId(match[1] as string) ?? "");
}

function bounded(text: string, max: number): string {
  // PostgreSQL text cannot hold U+0000: a request naming one is still recorded (as U+FFFD), not lost.
  const clean = text.includes("\u0000") ? text.replaceAll("\u0000", "\uFFFD") : text;
  return clean.length <= max ? clean : clean.slice(0, max);
}

/** Connect's wire names: `ok`, `not_found`, `permission_denied`, … */
export function codeName(code: Code): string {
  const name = Code[code] as string | undefined;
  return name === undefined ? String(code) : name.replace(/[A-Z]/g, (c, i: number) => (i === 0 ? "" : "_") + c.toLowerCase());
}
