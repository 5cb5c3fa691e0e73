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

/** Every matching event, ascending, read `batchSize` rows at a time (bounded memory). */
export async function* readEvents<F extends { readonly chain: string }>(source: AuditEventSource<F>, filter: F, batchSize = 1000): AsyncGenerator<AuditEventRecord> {
  let after = 0;
  for (;;) {
    const batch = await source.scan(filter, after, batchSize);
    yield* batch;
    const last = batch[batch.length - 1];
    if (batch.length < batchSize || last === undefined) return;
    after = last.seq;
  }
}

/** Verifies a whole chain as stored. The head is read first: events appended meanwhile extend past it and are left for the next run. */
export async function verifyStoredChain<F extends { readonly chain: string }>(source: AuditEventSource<F>, filter: F, batchSize = 1000): Promise<ChainVerification> {
  const head = await source.head(filter.chain);
  const limit = head?.seq ?? 0;
  async function* upToHead(): AsyncGenerator<AuditEventRecord> {
    for await (const event of readEvents(source, filter, batchSize)) {
      if (event.seq > limit) return;
      yield event;
    }
  }
  return verifyChain(upToHead(), head);
}
