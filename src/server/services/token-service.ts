import type { ServiceImpl } from "@connectrpc/connect";
import { TokenService } from "../../gen/openesc/v1/token_pb.js";
import { mintToken } from "../../auth/index.js";
import { principalOf } from "../rpc/call-context.js";
import { toToken } from "../convert/records.js";
import { invalidField } from "../errors.js";
import { pageRequestOf } from "../validate.js";
import type { ServiceDeps } from "./deps.js";

const MAX_TTL_SECONDS = 10n * 365n * 24n * 3600n;

/** openesc.v1.TokenService: API tokens of the caller's identity; secrets shown once. */
export function createTokenService(deps: ServiceDeps): ServiceImpl<typeof TokenService> {
  const { store } = deps;
  return {
    async createToken(req, ctx) {
      const principal = principalOf(ctx);
      if (req.ttlSeconds < 0n || req.ttlSeconds > MAX_TTL_SECONDS) throw invalidField("ttl_seconds", "must be between 0 (never expires) and 10 years");
      if (req.description.length > 200) throw invalidField("description", "must be at most 200 characters");
      const minted = mintToken();
      const expiresAt = req.ttlSeconds === 0n ? null : new Date(Date.now() + Number(req.ttlSeconds) * 1000);
      const token = await store.identities.createToken({
        id: minted.id,
        identityId: principal.identityId,
        description: req.description,
        secretHash: minted.secretHash,
        expiresAt,
      });
      return { token: toToken(token, principal), secret: minted.secret };
    },
    async listTokens(req, ctx) {
      const principal = principalOf(ctx);
      const page = await store.identities.listTokens({ org: principal.org, includeInactive: req.includeInactive, now: new Date(), ...pageRequestOf(req) });
      return {
        tokens: page.items.map((t) => toToken(t, { login: t.identityLogin, org: principal.org })),
        nextPageToken: page.nextPageToken,
      };
    },
    async revokeToken(req, ctx) {
      const principal = principalOf(ctx);
      if (!/^[0-9a-f]{16}$/.test(req.id)) throw invalidField("id", "must be a token id (16 hex digits)");
      const token = await store.identities.revokeToken(req.id, new Date());
      deps.authenticator.forget(req.id);
      const identity = await store.identities.getIdentity(token.identityId);
      return { token: toToken(token, identity.org === principal.org ? identity : { login: identity.login, org: identity.org }) };
    },
  };
}
