/**
 * The hash chain: each event's hash is SHA-256 over the previous event's hash (hex) followed by
 * the event's canonical JSON. The JSON covers every field, the chain name and the sequence
 * number, so an edited, deleted, inserted or reordered row breaks the chain at that row.
 */
import { createHash } from "node:crypto";
import type { AuditEventDraft, AuditEventRecord } from "./audit-event.js";
import { canonicalJson, type CanonicalValue } from "./canonical-json.js";

/** The `prevHash` of every chain's first event. */
export const GENESIS_HASH = "0".repeat(64);

/** An event's own fields as canonical values: what it hashes over and what an export line holds. */
export function eventFields(event: AuditEventDraft & { readonly seq: number }): { [key: string]: CanonicalValue } {
  return {
    chain: event.chain,
    seq: event.seq,
    time: event.time,
    actor: event.actor,
    actorId: event.actorId,
    tokenId: event.tokenId,
    source: event.source,
    userAgent: event.userAgent,
    action: event.action,
    org: event.org,
    project: event.project,
    environment: event.environment,
    revision: event.revision,
    providerCalls: event.providerCalls.map((c) => ({ provider: c.provider, path: c.path, durationMs: c.durationMs, outcome: c.outcome })),
    outcome: event.outcome,
    requestId: event.requestId,
  };
}

/** The canonical JSON an event hashes over (its position included, its own links excluded). */
export function eventPayload(event: AuditEventDraft & { readonly seq: number }): string {
  return canonicalJson({ v: 1, ...eventFields(event) });
}

/**
 * The canonical JSON of a draft split around its sequence number: `before + String(seq) + after`
 * is `eventPayload({...draft, seq})`. Lets a database compute the hash while it holds the chain
 * head's lock (one statement per append). Safe to split on the key: JSON strings cannot hold an
 * unescaped quote, and no nested object has a `seq` key.
 */
export function payloadAroundSeq(draft: AuditEventDraft): readonly [before: string, after: string] {
  const whole = eventPayload({ ...draft, seq: 0 });
  const marker = ',"seq":0,';
  const at = whole.indexOf(marker);
  if (at < 0) throw new Error("audit payload has no seq key");
  return [whole.slice(0, at + marker.length - 2), whole.slice(at + marker.length - 1)];
}

/** SHA-256 (hex) of `prevHash` followed by the event's canonical JSON. */
export function hashEvent(prevHash: string, event: AuditEventDraft & { readonly seq: number }): string {
  return createHash("sha256").update(prevHash, "utf8").update(eventPayload(event), "utf8").digest("hex");
}

/** The record that follows `head` in its chain. */
export function linkEvent(draft: AuditEventDraft, head: { readonly seq: number; readonly hash: string }): AuditEventRecord {
  const seq = head.seq + 1;
  return { ...draft, seq, prevHash: head.hash, hash: hashEvent(head.hash, { ...draft, seq }) };
}
