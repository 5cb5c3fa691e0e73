/**
 * Reading a chain in order, batch by batch, through the narrow part of the audit repository that
 * export and verification need (structural, so src/audit does not depend on src/store).
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
