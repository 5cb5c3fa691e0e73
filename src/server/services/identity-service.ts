import type { ServiceImpl } from "@connectrpc/connect";
import { IdentityService } from "../../gen/openesc/v1/identity_pb.js";
import { principalOf } from "../rpc/call-context.js";
import type { ServiceDeps } from "./deps.js";

/** openesc.v1.IdentityService. */
export function createIdentityService(deps: ServiceDeps): ServiceImpl<typeof IdentityService> {
  return {
    whoAmI(_req, ctx) {
      const p = principalOf(ctx);
      return { login: p.login, org: p.org, tokenId: p.tokenId, role: p.role, serverVersion: deps.serverVersion };
    },
  };
}
