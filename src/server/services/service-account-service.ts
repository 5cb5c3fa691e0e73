import type { ServiceImpl } from "@connectrpc/connect";
import { Code, ConnectError } from "@connectrpc/connect";
import { ServiceAccountService } from "../../gen/openesc/v1/service_account_pb.js";
import { createGrantRepository } from "../../store/index.js";
import { toServiceAccount } from "../access/convert.js";
import { pageRequestOf, validateSegment } from "../validate.js";
import type { ServiceDeps } from "./deps.js";

/** openesc.v1.ServiceAccountService: non-human identities (always organization `member`s). */
export function createServiceAccountService(deps: ServiceDeps): ServiceImpl<typeof ServiceAccountService> {
  const { store } = deps;
  return {
    async createServiceAccount(req) {
      const org = validateSegment("org", req.org);
      const name = validateSegment("name", req.name);
      return { serviceAccount: toServiceAccount(await store.identities.createIdentity({ org, login: name, kind: "service_account", role: "member" })) };
    },
    async listServiceAccounts(req) {
      const org = validateSegment("org", req.org);
      const page = await store.identities.listIdentities({ org, kind: "service_account", ...pageRequestOf(req) });
      return { serviceAccounts: page.items.map(toServiceAccount), nextPageToken: page.nextPageToken };
    },
    async deleteServiceAccount(req) {
      const org = validateSegment("org", req.org);
      const name = validateSegment("name", req.name);
      const identity = await store.identities.findIdentity(org, name);
      if (identity === undefined || identity.kind !== "service_account") throw new ConnectError(`service account "${name}" not found in organization "${org}"`, Code.NotFound);
      await store.transaction(async (tx) => {
        await createGrantRepository(tx.db).removeSubject(identity.id);
        await tx.identities.deleteIdentity(identity.id);
      });
      deps.authenticator.forgetAll();
      deps.authorizer.invalidate();
      return {};
    },
  };
}
