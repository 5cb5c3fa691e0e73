import type { Principal } from "../auth/index.js";
import { tokenTypeOf } from "../oidc/index.js";

/**
 * The host's execution context (esc-language.md §15) for a caller in an org: `pulumi.user.login`,
 * `pulumi.organization.login` and `pulumi.token.type`, the facts OIDC tokens carry, so that
 * `${context.*}` and a cloud's trust policy see the same values. Check and open use the same one.
 */
export function executionContextOf(principal: Principal, org: string): Record<string, unknown> {
  return { pulumi: { user: { login: principal.login }, organization: { login: org }, token: { type: tokenTypeOf(principal.kind) } } };
}
