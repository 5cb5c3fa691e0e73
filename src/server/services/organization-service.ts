import type { ServiceImpl } from "@connectrpc/connect";
import { OrganizationService } from "../../gen/openesc/v1/organization_pb.js";
import { toOrganization } from "../convert/records.js";
import { invalidField } from "../errors.js";
import { pageRequestOf, validateSegment } from "../validate.js";
import type { ServiceDeps } from "./deps.js";

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
    async listOrganizations(req) {
      const page = await store.organizations.list(pageRequestOf(req));
      return { organizations: page.items.map(toOrganization), nextPageToken: page.nextPageToken };
    },
  };
}
