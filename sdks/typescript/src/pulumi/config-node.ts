import type { Value } from "../gen/openesc/v1/value_pb.js";

/** Plain JSON. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * One stack configuration value as Pulumi's `config.Plaintext` holds it: scalars, arrays and objects
 * whose string leaves may be secret. `ciphertext` is a `secure:` value of the stack file that was not
 * decrypted (no passphrase, or another secrets provider): it is passed on as it is.
 */
export type ConfigNode =
  | { readonly kind: "string"; readonly value: string; readonly secret: boolean }
  | { readonly kind: "number"; readonly value: number }
  | { readonly kind: "boolean"; readonly value: boolean }
  | { readonly kind: "null" }
  | { readonly kind: "ciphertext"; readonly ciphertext: string }
  | { readonly kind: "array"; readonly items: readonly ConfigNode[] }
  | { readonly kind: "object"; readonly members: Readonly<Record<string, ConfigNode>> };

/** The text Pulumi gives an unknown environment value. */
export const UNKNOWN_TEXT = "[unknown]";
/** What a redacted secret (or a ciphertext that was not decrypted) shows. */
export const SECRET_TEXT = "[secret]";

/**
 * An environment's `pulumiConfig` member as configuration (Pulumi's `envConfigValue`): unknowns become
 * the string `[unknown]` (secret if the unknown was), secret strings stay secret, and secret
 * non-strings become plain — Pulumi only has secret strings. Numbers that are not finite doubles stay text.
 */
export function configNodeFromValue(value: Value): ConfigNode {
  if (value.unknown) return { kind: "string", value: UNKNOWN_TEXT, secret: value.secret };
  const kind = value.kind;
  switch (kind.case) {
    case undefined:
    case "nullValue":
      return { kind: "null" };
    case "boolValue":
      return { kind: "boolean", value: kind.value };
    case "numberValue": {
      const n = Number(kind.value);
      return Number.isFinite(n) ? { kind: "number", value: n } : { kind: "string", value: kind.value, secret: false };
    }
    case "stringValue":
      return { kind: "string", value: kind.value, secret: value.secret };
    case "listValue":
      return { kind: "array", items: kind.value.values.map(configNodeFromValue) };
    case "objectValue": {
      const members: Record<string, ConfigNode> = {};
      for (const key of Object.keys(kind.value.fields).sort()) members[key] = configNodeFromValue(kind.value.fields[key] as Value);
      return { kind: "object", members };
    }
  }
}

/** A JSON value as configuration, nothing secret. */
export function configNodeFromJson(value: unknown): ConfigNode {
  if (value === null || value === undefined) return { kind: "null" };
  if (typeof value === "string") return { kind: "string", value, secret: false };
  if (typeof value === "number") return { kind: "number", value };
  if (typeof value === "boolean") return { kind: "boolean", value };
  if (Array.isArray(value)) return { kind: "array", items: value.map(configNodeFromJson) };
  if (typeof value === "object") {
    const members: Record<string, ConfigNode> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) members[k] = configNodeFromJson(v);
    return { kind: "object", members };
  }
  return { kind: "string", value: String(value), secret: false };
}

/**
 * Pulumi's `config.Value.Merge`: when both are objects, members are merged key by key (recursively)
 * with `over` winning; otherwise `over` wins whole (arrays are replaced, never concatenated).
 */
export function mergeConfigNodes(over: ConfigNode, base: ConfigNode): ConfigNode {
  if (over.kind !== "object" || base.kind !== "object") return over;
  const members: Record<string, ConfigNode> = { ...base.members };
  for (const [key, value] of Object.entries(over.members)) {
    const under = members[key];
    members[key] = under === undefined ? value : mergeConfigNodes(value, under);
  }
  return { kind: "object", members: sortedMembers(members) };
}

/** Whether the value is secret or holds a secret (Pulumi's `Secure()`). */
export function isSecretNode(node: ConfigNode): boolean {
  switch (node.kind) {
    case "string":
      return node.secret;
    case "ciphertext":
      return true;
    case "array":
      return node.items.some(isSecretNode);
    case "object":
      return Object.values(node.members).some(isSecretNode);
    default:
      return false;
  }
}

/** The value as JSON: secrets shown, or `[secret]` when `redact`; undecrypted ciphertext is always `[secret]`. */
export function configNodeToJson(node: ConfigNode, redact = false): Json {
  switch (node.kind) {
    case "string":
      return node.secret && redact ? SECRET_TEXT : node.value;
    case "number":
    case "boolean":
      return node.value;
    case "null":
      return null;
    case "ciphertext":
      return SECRET_TEXT;
    case "array":
      return node.items.map((item) => configNodeToJson(item, redact));
    case "object": {
      const out: { [key: string]: Json } = {};
      for (const [key, value] of Object.entries(node.members)) out[key] = configNodeToJson(value, redact);
      return out;
    }
  }
}

/**
 * The value as the one string Pulumi hands a program (`PULUMI_CONFIG`, `pulumi config get`): a string as
 * it is, anything else as compact JSON.
 */
export function configNodeToText(node: ConfigNode, redact = false): string {
  if (node.kind === "string") return node.secret && redact ? SECRET_TEXT : node.value;
  if (node.kind === "ciphertext") return SECRET_TEXT;
  return JSON.stringify(configNodeToJson(node, redact));
}

/** A path to one member: object keys and array indexes. */
export type ConfigPath = readonly (string | number)[];

/** The paths of the secret leaves (a secret scalar at the top is the empty path). */
export function secretPaths(node: ConfigNode, prefix: ConfigPath = []): ConfigPath[] {
  switch (node.kind) {
    case "string":
      return node.secret ? [prefix] : [];
    case "ciphertext":
      return [prefix];
    case "array":
      return node.items.flatMap((item, i) => secretPaths(item, [...prefix, i]));
    case "object":
      return Object.entries(node.members).flatMap(([key, value]) => secretPaths(value, [...prefix, key]));
    default:
      return [];
  }
}

function sortedMembers(members: Record<string, ConfigNode>): Record<string, ConfigNode> {
  const out: Record<string, ConfigNode> = {};
  for (const key of Object.keys(members).sort()) out[key] = members[key] as ConfigNode;
  return out;
}
