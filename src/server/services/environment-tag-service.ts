import type { ServiceImpl } from "@connectrpc/connect";
import { EnvironmentTagService } from "../../gen/openesc/v1/environment_tag_pb.js";
import { principalOf } from "../rpc/call-context.js";
import { toEnvironmentTag } from "../convert/records.js";
import { environmentKeyOf, pageRequestOf, validateEnvironmentTag } from "../validate.js";
import type { ServiceDeps } from "./deps.js";

/** openesc.v1.EnvironmentTagService: key/value metadata on environments. */
export function createEnvironmentTagService(deps: ServiceDeps): ServiceImpl<typeof EnvironmentTagService> {
  const { store } = deps;
  return {
    async setEnvironmentTag(req, ctx) {
      const key = environmentKeyOf(req);
      validateEnvironmentTag("name", req.name, req.value);
      const tag = await store.environments.setTag(key, { name: req.name, value: req.value, editor: principalOf(ctx).login });
      return { tag: toEnvironmentTag(tag) };
    },
    async getEnvironmentTag(req) {
      const key = environmentKeyOf(req);
      validateEnvironmentTag("name", req.name);
      return { tag: toEnvironmentTag(await store.environments.getTag(key, req.name)) };
    },
    async renameEnvironmentTag(req, ctx) {
      const key = environmentKeyOf(req);
      validateEnvironmentTag("name", req.name);
      validateEnvironmentTag("new_name", req.newName);
      const tag = await store.environments.renameTag(key, { name: req.name, newName: req.newName, editor: principalOf(ctx).login });
      return { tag: toEnvironmentTag(tag) };
    },
    async deleteEnvironmentTag(req) {
      const key = environmentKeyOf(req);
      validateEnvironmentTag("name", req.name);
      await store.environments.deleteTag(key, req.name);
      return {};
    },
    async listEnvironmentTags(req) {
      const key = environmentKeyOf(req);
      const page = await store.environments.listTags(key, pageRequestOf(req));
      return { tags: page.items.map(toEnvironmentTag), nextPageToken: page.nextPageToken };
    },
  };
}
