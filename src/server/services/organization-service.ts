import type { ServiceImpl } from "@connectrpc/connect";
import { OrganizationService } from "../../gen/openesc/v1/organization_pb.js";
import { toOrganization } from "../convert/records.js";
import { invalidField } from "../errors.js";
import { pageRequestOf, validateSegment } from "../validate.js";
import type { ServiceDeps } from "./deps.js";
import { isServerAdmin, parsePermissionLevel } from "../../auth/index.js";
import { createGrantRepository } from "../../store/index.js";
import { accessOf } from "../rpc/authorize.js";

/** openesc.v1.OrganizationService. */
export function createOrganizationService(deps: ServiceDeps): ServiceImpl<typeof OrganizationService> {
  const { store } = deps;
  return {
    async createOrganization(req) {
      const name = validateSegment("name", req.name);
      if (req.description.length > 1000) throw invalidField("description", "must be at most 1000 characters");
      return { organization: toOrganization(await store.organizations.create({ name, description: req.description })) };
    },
    async getOrganization(req) {
      return { organization: toOrganization(await store.organizations.get(validateSegment("name", req.name))) };
    },
    async listOrganizations(req, ctx) {
      // Server admins see every organization; anyone else only its own.
      const principal = accessOf(ctx).principal;
      if (!isServerAdmin(principal)) {
        const own = await store.organizations.get(principal.org);
        return { organizations: pageRequestOf(req).pageToken === "" ? [toOrganization(own)] : [], nextPageToken: "" };
      }
      const page = await store.organizations.list(pageRequestOf(req));
      return { organizations: page.items.map(toOrganization), nextPageToken: page.nextPageToken };
    },
    async getOrganizationSettings(req) {
      const org = validateSegment("org", req.org);
      await store.organizations.get(org);
      return { settings: { defaultPermission: await createGrantRepository(store.db).defaultPermission(org) } };
    },
    async updateOrganizationSettings(req) {
      const org = validateSegment("org", req.org);
      const wanted = req.settings?.defaultPermission ?? "";
      if (parsePermissionLevel(wanted) === undefined) throw invalidField("settings.default_permission", "must be none, read, open, write or admin");
      await store.organizations.get(org);
      await createGrantRepository(store.db).setDefaultPermission(org, wanted);
      deps.authorizer.invalidate();
      return { settings: { defaultPermission: wanted } };
    },
  };
}
