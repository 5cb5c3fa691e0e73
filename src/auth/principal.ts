import type { IdentityKind, OrgRole } from "../store/index.js";

/** The authenticated caller of one request. */
export interface Principal {
  readonly identityId: string;
  readonly login: string;
  readonly org: string;
  readonly kind: IdentityKind;
  readonly role: OrgRole;
  /** The id of the API token the call presented. */
  readonly tokenId: string;
}
