import type { ServiceImpl } from "@connectrpc/connect";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { IdentityService } from "../../gen/openesc/v1/identity_pb.js";
import { createTeamRepository } from "../../store/index.js";
import { toScope } from "../access/convert.js";
import { principalOf } from "../rpc/call-context.js";
import type { ServiceDeps } from "./deps.js";

/** openesc.v1.IdentityService. */
export function createIdentityService(deps: ServiceDeps): ServiceImpl<typeof IdentityService> {
  const teams = createTeamRepository(deps.store.db);
  return {
    async whoAmI(_req, ctx) {
      const p = principalOf(ctx);
      return {
        login: p.login,
        org: p.org,
        tokenId: p.tokenId,
        role: p.role,
        serverVersion: deps.serverVersion,
        kind: p.kind,
        teams: await teams.teamsOf(p.identityId),
        scope: toScope(p.scope.permission ?? null, p.scope.resources),
        tokenExpireTime: p.tokenExpiresAt === null ? undefined : timestampFromDate(p.tokenExpiresAt),
      };
    },
  };
}
