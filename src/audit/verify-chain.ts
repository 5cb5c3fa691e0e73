/**
 * Verification of one chain: walks its events in sequence order, recomputes every hash, checks
 * every link and the sequence, and finally that the chain head (the last hash the writer
 * recorded) is the last event. Reports the first broken link, so an operator knows from which
 * event on the log cannot be trusted.
 */
import { GENESIS_HASH, hashEvent } from "./audit-chain.js";
import type { AuditEventRecord } from "./audit-event.js";

/** Where the writer says the chain ends; undefined for a chain never written. */
export interface ChainHead {
  readonly seq: number;
  readonly hash: string;
}

/** The first event that breaks the chain, and why (no field values: only names). */
export interface BrokenLink {
  readonly seq: number;
  readonly reason: string;
}

export interface ChainVerification {
  readonly ok: boolean;
  readonly eventsChecked: number;
  /** The last event's sequence number and hash (anchor it elsewhere to detect a rewritten tail). */
  readonly lastSeq: number;
  readonly lastHash: string;
  readonly firstBroken?: BrokenLink;
}

/**
 * Verifies `events` (one chain, ascending seq, starting right after `from`) against `head`. Stops at
 * the first broken link. `from` is the genesis by default, or an anchor — an event's sequence
 * number and hash recorded by an earlier verification — to check only what came after it.
 */
export async function verifyChain(events: AsyncIterable<AuditEventRecord>, head: ChainHead | undefined, from: ChainHead = { seq: 0, hash: GENESIS_HASH }): Promise<ChainVerification> {
  let prev: ChainHead = from;
  let checked = 0;
  const broken = (link: BrokenLink): ChainVerification => ({ ok: false, eventsChecked: checked, lastSeq: prev.seq, lastHash: prev.hash, firstBroken: link });
  for await (const event of events) {
    const expected = prev.seq + 1;
    if (event.seq !== expected) {
      return broken({ seq: expected, reason: `event ${expected} is missing (the next stored event is ${event.seq})` });
    }
    checked++;
    if (hashEvent(event.prevHash, event) !== event.hash) {
      return broken({ seq: event.seq, reason: `event ${event.seq} does not match its hash (the row was changed)` });
    }
    if (event.prevHash !== prev.hash) {
      return broken({ seq: event.seq, reason: `event ${event.seq} does not link to event ${prev.seq} (prev_hash differs)` });
    }
    prev = { seq: event.seq, hash: event.hash };
  }
  if (head !== undefined && head.seq < from.seq) {
    return broken({ seq: head.seq + 1, reason: `the chain ends at event ${head.seq}, before the anchor (event ${from.seq}): events were removed` });
  }
  if (head === undefined) {
    if (prev.seq > 0) return broken({ seq: prev.seq, reason: `the chain head is missing (events up to ${prev.seq} are stored)` });
  } else if (head.seq > prev.seq) {
    return broken({ seq: prev.seq + 1, reason: `event ${prev.seq + 1} is missing (the chain head is at event ${head.seq})` });
  } else if (head.seq < prev.seq || head.hash !== prev.hash) {
    return broken({ seq: prev.seq, reason: `the chain head does not match event ${prev.seq}` });
  }
  return { ok: true, eventsChecked: checked, lastSeq: prev.seq, lastHash: prev.hash };
}
