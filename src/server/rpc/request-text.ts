import { invalidField } from "../errors.js";

/**
 * Refuses a request whose text holds U+0000 with InvalidArgument naming the field. No field of the
 * contract has a use for it (YAML forbids it, names and tags exclude it), and PostgreSQL text cannot
 * store it: without this one refusal, the same request would succeed on SQLite and fail on PostgreSQL.
 */
export function refuseNulText(input: unknown): void {
  const field = nulField(input, "", 0);
  if (field !== undefined) throw invalidField(field, "must not contain NUL (U+0000) characters");
}

// Messages are plain objects (protobuf-es v2); map fields are plain objects too, so keys are checked.
function nulField(value: unknown, path: string, depth: number): string | undefined {
  if (typeof value === "string") return value.includes("\u0000") ? path : undefined;
  if (typeof value !== "object" || value === null || value instanceof Uint8Array || depth > 64) return undefined;
  if (Array.isArray(value)) {
    for (const item of value) {
      const found = nulField(item, path, depth + 1);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  for (const [key, item] of Object.entries(value)) {
    if (key === "$typeName" || key === "$unknown") continue;
    if (key.includes("\u0000")) return path;
    const name = /^[a-z][A-Za-z0-9]*$/.test(key) ? key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`) : key;
    const found = nulField(item, path === "" ? name : `${path}.${name}`, depth + 1);
    if (found !== undefined) return found;
  }
  return undefined;
}
