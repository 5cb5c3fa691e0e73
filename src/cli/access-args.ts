/** Argument parsing shared by the access-control commands (org, team, token, grant). */
import { usageError } from "./context.js";

const SEGMENT = /^[A-Za-z0-9_.-]{1,100}$/;
const PERMISSIONS = ["read", "open", "write", "admin"];

/** A token scope from `--scope`: `read`, `read:pay,pay/prod` or `pay/prod` (resources only). */
export function parseScopeFlag(text: string): { permission: string; resources: string[] } {
  const [head, ...rest] = text.split(":");
  const permission = PERMISSIONS.includes(head ?? "") ? (head as string) : "";
  const list = permission === "" ? text : rest.join(":");
  const resources = list === "" ? [] : list.split(",").map((r) => r.trim());
  for (const r of resources) {
    const parts = r.split("/");
    if (parts.length > 2 || !parts.every((p) => SEGMENT.test(p))) {
      throw usageError(`invalid --scope "${text}": expected PERMISSION, PERMISSION:RESOURCES or RESOURCES (RESOURCES: project or project/environment, comma-separated)`);
    }
  }
  if (permission === "" && resources.length === 0) throw usageError(`invalid --scope "${text}"`);
  return { permission, resources };
}

/** A grant's resource: `org`, `org/project` or `org/project/environment`. */
export function parseGrantResource(text: string): { org: string; project: string; environment: string } {
  const parts = text.split("/");
  if (parts.length > 3 || !parts.every((p) => SEGMENT.test(p))) {
    throw usageError(`invalid resource "${text}": expected ORG, ORG/PROJECT or ORG/PROJECT/ENVIRONMENT`);
  }
  return { org: parts[0] as string, project: parts[1] ?? "", environment: parts[2] ?? "" };
}

/** A grant subject: `user:LOGIN`, `service-account:NAME`, `team:NAME` or `token:ID`. */
export function parseSubject(text: string): string {
  if (!/^(user|service-account|team|token):[A-Za-z0-9_.-]{1,100}$/.test(text)) {
    throw usageError(`invalid subject "${text}": expected user:LOGIN, service-account:NAME, team:NAME or token:ID`);
  }
  return text;
}

/** A permission argument. */
export function parsePermissionArg(text: string): string {
  if (!PERMISSIONS.includes(text)) throw usageError(`invalid permission "${text}": expected read, open, write or admin`);
  return text;
}
