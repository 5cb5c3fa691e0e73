import { globMatches } from "./glob.js";

/** The conditions of a trust policy that verified claims must meet. */
export interface TrustConditions {
  readonly subjectPattern: string;
  readonly claimConditions: Readonly<Record<string, string>>;
}

/** Undefined when the claims meet the conditions; otherwise the reason (claim names only, no values). */
export function trustRefusal(conditions: TrustConditions, claims: Readonly<Record<string, unknown>>): string | undefined {
  const sub = claims["sub"];
  if (typeof sub !== "string" || !globMatches(conditions.subjectPattern, sub)) return "subject does not match the policy's pattern";
  for (const [name, pattern] of Object.entries(conditions.claimConditions)) {
    const value = claims[name];
    const text = typeof value === "string" ? value : typeof value === "number" || typeof value === "boolean" ? String(value) : undefined;
    if (text === undefined || !globMatches(pattern, text)) return `claim "${name}" does not match the policy`;
  }
  return undefined;
}

/** The lifetime of an exchanged token in ms: the policy's maximum, a shorter request, never past the OIDC token's expiry. */
export function exchangedLifetimeMs(maxSeconds: number, requestedMs: number | undefined, oidcExpiresAtSec: number | undefined, nowMs: number): number {
  let ms = maxSeconds * 1000;
  if (requestedMs !== undefined) ms = Math.min(ms, requestedMs);
  if (oidcExpiresAtSec !== undefined) ms = Math.min(ms, oidcExpiresAtSec * 1000 - nowMs);
  return ms;
}
