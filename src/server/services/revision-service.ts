import type { ServiceImpl } from "@connectrpc/connect";
import { RevisionService } from "../../gen/openesc/v1/revision_pb.js";
import { callDetailsOf, principalOf } from "../rpc/call-context.js";
import { toRevision } from "../convert/records.js";
import { environmentKeyOf, pageRequestOf, validateRevision } from "../validate.js";
import type { ServiceDeps } from "./deps.js";

/** openesc.v1.RevisionService: history, retraction and rollback. */
export function createRevisionService(deps: ServiceDeps): ServiceImpl<typeof RevisionService> {
  const { store } = deps;
  return {
    async listRevisions(req) {
      const key = environmentKeyOf(req);
      const page = await store.environments.listRevisions(key, pageRequestOf(req));
      return { revisions: page.items.map(toRevision), nextPageToken: page.nextPageToken };
    },
    async getRevision(req, ctx) {
      const key = environmentKeyOf(req);
      const number = await store.environments.resolveVersion(key, req.version);
      callDetailsOf(ctx).revision = number;
      const revision = await store.environments.getRevision(key, number, { includeRetracted: req.includeRetracted });
      const shown = req.reveal ? { ...revision, definition: await deps.crypto.revealDefinition(revision.definition, key) } : revision;
      return { revision: toRevision(shown) };
    },
    async retractRevision(req, ctx) {
      const key = environmentKeyOf(req);
      const revision = validateRevision("revision", req.revision);
      const replacement = validateRevision("replacement_revision", req.replacementRevision, { allowZero: true });
      const result = await store.environments.retractRevision({
        key,
        revision,
        replacementRevision: replacement === 0 ? undefined : replacement,
        reason: req.reason,
        actor: principalOf(ctx).login,
      });
      return { revision: toRevision(result.revision), newRevision: BigInt(result.newRevision?.number ?? 0) };
    },
    async rollbackEnvironment(req, ctx) {
      const key = environmentKeyOf(req);
      const base = validateRevision("base_revision", req.baseRevision, { allowZero: true });
      const number = await store.environments.resolveVersion(key, req.version);
      const revision = await store.environments.rollback({ key, revision: number, baseRevision: base === 0 ? undefined : base, author: principalOf(ctx).login });
      return { revision: toRevision(revision) };
    },
  };
}
