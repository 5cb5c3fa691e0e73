/**
 * Moves spooled events into their chains. One transaction per batch: for each chain (in name order,
 * so two replicas draining never lock chain heads in opposite orders), the events already in the
 * chain are skipped and the rest are appended in spool order, with their original time.
 *
 * Why the skip: the spool is shortened only after the commit, so a crash (or a lost COMMIT reply)
 * between the two leaves events in the spool that are already in their chain. Every event carries
 * its call's request id, a server-made UUID, so (chain, time, request id) names it exactly; the
 * lookup uses the (chain, time, seq) index (migration 0007).
 */
import type { Kysely } from "kysely";
import type { AuditEventDraft } from "../../audit/index.js";
import { createAuditRepository, type AuditTables, type Database, type Store } from "../../store/index.js";

export interface DrainTarget {
  /** Writes the drafts not yet in their chains, in one transaction; returns how many it wrote. */
  commit(drafts: readonly AuditEventDraft[]): Promise<number>;
}

export function createStoreDrainTarget(store: Pick<Store, "db" | "capabilities">): DrainTarget {
  return {
    async commit(drafts) {
      const byChain = new Map<string, AuditEventDraft[]>();
      for (const d of drafts) byChain.set(d.chain, [...(byChain.get(d.chain) ?? []), d]);
      const chains = [...byChain.keys()].sort();
      return store.db.transaction().execute(async (trx) => {
        let written = 0;
        for (const chain of chains) {
          const events = byChain.get(chain) as AuditEventDraft[];
          const present = await alreadyInChain(trx, chain, events);
          const fresh = events.filter((d) => !present.has(keyOf(d.time, d.requestId)));
          await createAuditRepository(trx, store.capabilities).appendBatch(chain, fresh);
          written += fresh.length;
        }
        return written;
      });
    },
  };
}

async function alreadyInChain(trx: Kysely<Database>, chain: string, drafts: readonly AuditEventDraft[]): Promise<Set<string>> {
  const times = [...new Set(drafts.map((d) => d.time))];
  const ids = [...new Set(drafts.map((d) => d.requestId))];
  const q = trx as unknown as Kysely<Database & AuditTables>;
  const rows = await q
    .selectFrom("audit_events")
    .select(["time", "request_id"])
    .where("chain", "=", chain)
    .where("time", "in", times)
    .where("request_id", "in", ids)
    .execute();
  return new Set(rows.map((r) => keyOf(Number(r.time), r.request_id)));
}

function keyOf(time: number, requestId: string): string {
  return `${time} ${requestId}`;
}
