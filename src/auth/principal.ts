import type { IdentityKind, OrgRole } from "../store/index.js";
import type { TokenScope } from "./token-scope.js";

/** The authenticated caller of one request. */
export interface Principal {
  readonly identityId: string;
  readonly login: string;
  readonly org: string;
  readonly kind: IdentityKind;
  readonly role: OrgRole;
  /** The id of the API token the call presented. */
  readonly tokenId: string;
  /** The token's scope; UNSCOPED when it has none. */
  readonly scope: TokenScope;
  /** When the token expires; null for never. */
  readonly tokenExpiresAt: Date | null;
}
