/**
 * Reading a chain in order, batch by batch, through the narrow part of the audit repository that
 * export and verification need (structural, so src/audit does not depend on src/store): by seq, or
 * a time window by (time, seq).
 */
import type { AuditEventRecord } from "./audit-event.js";
import { verifyChain, type ChainHead, type ChainVerification } from "./verify-chain.js";

/** The events of one chain in ascending order, with optional filters (for export). */
export interface AuditEventSource<F extends { readonly chain: string }> {
  scan(filter: F, afterSeq: number, limit: number): Promise<AuditEventRecord[]>;
  head(chain: string): Promise<ChainHead | undefined>;
}

/** Every matching event after `afterSeq`, ascending, read `batchSize` rows at a time (bounded memory). */
export async function* readEvents<F extends { readonly chain: string }>(source: AuditEventSource<F>, filter: F, batchSize = 1000, afterSeq = 0): AsyncGenerator<AuditEventRecord> {
  let after = afterSeq;
  for (;;) {
    const batch = await source.scan(filter, after, batchSize);
    yield* batch;
    const last = batch[batch.length - 1];
    if (batch.length < batchSize || last === undefined) return;
    after = last.seq;
  }
}

/** A position in the (time, seq) order: the time and seq of the last event read. */
export interface TimeSeqKey {
  readonly time: number;
  readonly seq: number;
}

/** The events of one chain's time window, oldest first by ascending (time, seq) (export of a window). */
export interface TimeOrderedEventSource<F extends { readonly chain: string }> {
  scanByTime(filter: F, after: TimeSeqKey | undefined, limit: number): Promise<AuditEventRecord[]>;
}

/**
 * Every matching event by ascending (time, seq), read `batchSize` rows at a time, each batch after
 * the last one's (time, seq) key: every event of the window once, also where times are equal or
 * out of seq order (replicas' clocks).
 */
export async function* readEventsByTime<F extends { readonly chain: string }>(source: TimeOrderedEventSource<F>, filter: F, batchSize = 1000): AsyncGenerator<AuditEventRecord> {
  let after: TimeSeqKey | undefined;
  for (;;) {
    const batch = await source.scanByTime(filter, after, batchSize);
    yield* batch;
    const last = batch[batch.length - 1];
    if (batch.length < batchSize || last === undefined) return;
    after = { time: last.time, seq: last.seq };
  }
}

/**
 * What an export streams, oldest first. A time window (`since` and/or `until`) by (time, seq), one
 * range walk of the (chain, time, seq) index per batch: in seq order no index serves the window, and
 * each batch sorted the window or walked the chain from its start. The whole chain by seq (chain
 * order, the primary key), which an offline verifier follows link by link.
 */
export function readExport<F extends { readonly chain: string; readonly since?: number; readonly until?: number }>(
  source: AuditEventSource<F> & TimeOrderedEventSource<F>,
  filter: F,
  batchSize = 1000,
): AsyncGenerator<AuditEventRecord> {
  return filter.since !== undefined || filter.until !== undefined ? readEventsByTime(source, filter, batchSize) : readEvents(source, filter, batchSize);
}

/**
 * Verifies a chain as stored: whole, or after an anchor (`from`) an earlier verification recorded.
 * The head is read first: events appended meanwhile extend past it and are left for the next run.
 */
export async function verifyStoredChain<F extends { readonly chain: string }>(
  source: AuditEventSource<F>,
  filter: F,
  options: { readonly batchSize?: number; readonly from?: ChainHead } = {},
): Promise<ChainVerification> {
  const head = await source.head(filter.chain);
  const limit = head?.seq ?? 0;
  async function* upToHead(): AsyncGenerator<AuditEventRecord> {
    for await (const event of readEvents(source, filter, options.batchSize ?? 1000, options.from?.seq ?? 0)) {
      if (event.seq > limit) return;
      yield event;
    }
  }
  return verifyChain(upToHead(), head, options.from);
}
