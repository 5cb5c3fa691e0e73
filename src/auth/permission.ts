/**
 * Permissions on environments, weakest first (ARCHITECTURE.md "Permission model"): each includes
 * the ones before it. `none` is the absence of any.
 */
export const PERMISSIONS = ["read", "open", "write", "admin"] as const;

/** A permission a grant can give. */
export type Permission = (typeof PERMISSIONS)[number];
/** An effective permission: a Permission or nothing at all. */
export type PermissionLevel = Permission | "none";

const RANK: Readonly<Record<PermissionLevel, number>> = { none: 0, read: 1, open: 2, write: 3, admin: 4 };

/** True when `have` includes `need`. */
export function permits(have: PermissionLevel, need: PermissionLevel): boolean {
  return RANK[have] >= RANK[need];
}

/** The stronger of two levels. */
export function higher(a: PermissionLevel, b: PermissionLevel): PermissionLevel {
  return RANK[a] >= RANK[b] ? a : b;
}

/** The weaker of two levels. */
export function lower(a: PermissionLevel, b: PermissionLevel): PermissionLevel {
  return RANK[a] <= RANK[b] ? a : b;
}

/** The Permission a string names; undefined for anything else. */
export function parsePermission(text: string): Permission | undefined {
  return (PERMISSIONS as readonly string[]).includes(text) ? (text as Permission) : undefined;
}

/** The level a string names (`none` included); undefined for anything else. */
export function parsePermissionLevel(text: string): PermissionLevel | undefined {
  return text === "none" ? "none" : parsePermission(text);
}
