/** The facts of an open as a provider call sees them in its execution context (`${context.*}`). */
import { plain, type ProviderContext } from "../esc/index.js";
import type { OidcSubjectFacts } from "../oidc/index.js";

export function callFacts(ctx: ProviderContext): OidcSubjectFacts {
  const c = plain(ctx.context) as Record<string, unknown>;
  const at = (...path: string[]): string | undefined => {
    let v: unknown = c;
    for (const k of path) v = v !== null && typeof v === "object" ? (v as Record<string, unknown>)[k] : undefined;
    return typeof v === "string" ? v : undefined;
  };
  return {
    org: at("pulumi", "organization", "login") ?? "",
    currentEnvironment: at("currentEnvironment", "name") ?? ctx.environment,
    rootEnvironment: at("rootEnvironment", "name") ?? ctx.rootEnvironment,
    userLogin: at("pulumi", "user", "login") ?? "",
    tokenType: at("pulumi", "token", "type") ?? "personal",
  };
}
