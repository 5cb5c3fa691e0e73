import { timestampDate, timestampFromMs, type Timestamp } from "@bufbuild/protobuf/wkt";
import type { ServiceImpl } from "@connectrpc/connect";
import { readExport, toNdjsonLine, verifyStoredChain, type AuditEventRecord } from "../../audit/index.js";
import type { MessageInitShape } from "@bufbuild/protobuf";
import { AuditService, type AuditEventFilter, type AuditEventSchema } from "../../gen/openesc/v1/audit_pb.js";
import { createAuditRepository, type AuditFilter } from "../../store/index.js";
import { invalidField } from "../errors.js";
import { pageRequestOf, validateSegment } from "../validate.js";
import type { ServiceDeps } from "./deps.js";

/** NDJSON chunks of about this many bytes keep messages small without one message per event. */
const CHUNK_BYTES = 64 * 1024;

/**
 * openesc.v1.AuditService: reads of the audit log. Who may read which chain (an org's admins and
 * auditors; the system chain, server admins) is the pipeline's authorization rule (access-rules.ts).
 */
export function createAuditService(deps: Pick<ServiceDeps, "store">): ServiceImpl<typeof AuditService> {
  const audit = createAuditRepository(deps.store.db, deps.store.capabilities);

  // A mistyped organization is NotFound rather than an empty (and misleading) log.
  const chainOf = async (org: string): Promise<string> => {
    if (org === "") return "";
    await deps.store.organizations.get(validateSegment("org", org));
    return org;
  };

  return {
    async listAuditEvents(req) {
      const chain = await chainOf(req.org);
      const page = await audit.list({ ...filterOf(chain, req.filter), ...pageRequestOf(req) });
      return { events: page.items.map(toAuditEvent), nextPageToken: page.nextPageToken };
    },

    async verifyAuditLog(req) {
      const result = await verifyStoredChain(audit, { chain: await chainOf(req.org) }, anchorOf(req.afterSequence, req.afterHash));
      return {
        ok: result.ok,
        eventsChecked: BigInt(result.eventsChecked),
        lastSequence: BigInt(result.lastSeq),
        lastHash: result.lastHash,
        firstBrokenSequence: BigInt(result.firstBroken?.seq ?? 0),
        reason: result.firstBroken?.reason ?? "",
      };
    },

    async *exportAuditEvents(req) {
      const filter = filterOf(await chainOf(req.org), req.filter);
      const encoder = new TextEncoder();
      let chunk = "";
      // Oldest first: a time window by (time, seq) on the time index, the whole chain by seq.
      for await (const event of readExport(audit, filter)) {
        chunk += toNdjsonLine(event);
        if (chunk.length >= CHUNK_BYTES) {
          yield { ndjson: encoder.encode(chunk) };
          chunk = "";
        }
      }
      if (chunk !== "") yield { ndjson: encoder.encode(chunk) };
    },
  };
}

function filterOf(chain: string, filter: AuditEventFilter | undefined): AuditFilter {
  if (filter === undefined) return { chain };
  if (filter.environment !== "" && filter.project === "") throw invalidField("filter.project", "must be set with filter.environment");
  const since = millisOf(filter.startTime);
  const until = millisOf(filter.endTime);
  if (since !== undefined && until !== undefined && until <= since) throw invalidField("filter.end_time", "must be after filter.start_time");
  return {
    chain,
    ...(since === undefined ? {} : { since }),
    ...(until === undefined ? {} : { until }),
    ...(filter.actor === "" ? {} : { actor: filter.actor }),
    ...(filter.project === "" ? {} : { project: validateSegment("filter.project", filter.project) }),
    ...(filter.environment === "" ? {} : { environment: validateSegment("filter.environment", filter.environment) }),
    ...(filter.action === "" ? {} : { action: filter.action }),
    ...(filter.outcome === "" ? {} : { outcome: filter.outcome }),
  };
}

function anchorOf(afterSequence: bigint, afterHash: string): { from?: { seq: number; hash: string } } {
  if (afterSequence === 0n && afterHash === "") return {};
  if (afterSequence <= 0n || afterSequence > BigInt(Number.MAX_SAFE_INTEGER)) throw invalidField("after_sequence", "must be a positive event sequence number");
  if (!/^[0-9a-f]{64}$/.test(afterHash)) throw invalidField("after_hash", "must be the anchor event's hash (64 hex digits)");
  return { from: { seq: Number(afterSequence), hash: afterHash } };
}

function millisOf(ts: Timestamp | undefined): number | undefined {
  return ts === undefined ? undefined : timestampDate(ts).getTime();
}

function toAuditEvent(e: AuditEventRecord): MessageInitShape<typeof AuditEventSchema> {
  return {
    chain: e.chain,
    sequence: BigInt(e.seq),
    time: timestampFromMs(e.time),
    actor: e.actor,
    actorId: e.actorId,
    tokenId: e.tokenId,
    sourceAddress: e.source,
    userAgent: e.userAgent,
    action: e.action,
    org: e.org,
    project: e.project,
    environment: e.environment,
    revision: BigInt(e.revision ?? 0),
    providerCalls: e.providerCalls.map((c) => ({ provider: c.provider, path: c.path, durationMs: c.durationMs, outcome: c.outcome })),
    outcome: e.outcome,
    requestId: e.requestId,
    prevHash: e.prevHash,
    hash: e.hash,
  };
}
