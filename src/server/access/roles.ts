import type { OrgRole } from "../../store/index.js";
import { invalidField } from "../errors.js";

const ROLES: readonly OrgRole[] = ["admin", "member", "auditor"];

/** Validates an organization role; empty means `fallback` when one is given. */
export function roleOf(field: string, role: string, fallback?: OrgRole): OrgRole {
  if (role === "" && fallback !== undefined) return fallback;
  if (!(ROLES as readonly string[]).includes(role)) throw invalidField(field, "must be admin, member or auditor");
  return role as OrgRole;
}
