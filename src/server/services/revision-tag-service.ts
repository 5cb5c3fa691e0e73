import type { HandlerContext, ServiceImpl } from "@connectrpc/connect";
import { RevisionTagService } from "../../gen/openesc/v1/revision_tag_pb.js";
import { callDetailsOf, principalOf } from "../rpc/call-context.js";
import { toRevisionTag } from "../convert/records.js";
import { environmentKeyOf, pageRequestOf, validateRevision, validateRevisionTagName } from "../validate.js";
import type { ServiceDeps } from "./deps.js";

/** openesc.v1.RevisionTagService: named pointers at revisions; `latest` is read-only. */
export function createRevisionTagService(deps: ServiceDeps): ServiceImpl<typeof RevisionTagService> {
  const { store } = deps;
  // The revision a tag is set to; recorded for the call's audit event before the write commits.
  const target = async (key: ReturnType<typeof environmentKeyOf>, revision: bigint, ctx: HandlerContext): Promise<number> => {
    const n = validateRevision("revision", revision, { allowZero: true });
    const resolved = n === 0 ? (await store.environments.get(key)).latestRevision : n;
    callDetailsOf(ctx).revision = resolved;
    return resolved;
  };
  return {
    async createRevisionTag(req, ctx) {
      const key = environmentKeyOf(req);
      const name = validateRevisionTagName("tag", req.tag);
      const tag = await store.environments.createRevisionTag(key, { name, revision: await target(key, req.revision, ctx), editor: principalOf(ctx).login });
      return { tag: toRevisionTag(tag) };
    },
    async getRevisionTag(req) {
      const key = environmentKeyOf(req);
      return { tag: toRevisionTag(await store.environments.getRevisionTag(key, validateRevisionTagName("tag", req.tag))) };
    },
    async updateRevisionTag(req, ctx) {
      const key = environmentKeyOf(req);
      const name = validateRevisionTagName("tag", req.tag);
      const tag = await store.environments.updateRevisionTag(key, { name, revision: await target(key, req.revision, ctx), editor: principalOf(ctx).login });
      return { tag: toRevisionTag(tag) };
    },
    async deleteRevisionTag(req) {
      const key = environmentKeyOf(req);
      await store.environments.deleteRevisionTag(key, validateRevisionTagName("tag", req.tag));
      return {};
    },
    async listRevisionTags(req) {
      const key = environmentKeyOf(req);
      const page = await store.environments.listRevisionTags(key, pageRequestOf(req));
      return { tags: page.items.map(toRevisionTag), nextPageToken: page.nextPageToken };
    },
  };
}
