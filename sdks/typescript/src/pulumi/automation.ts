import { configNodeToText, isSecretNode, type ConfigNode, type ConfigPath } from "./config-node.js";
import type { ResolvedStack } from "./resolve-stack.js";

/** The argument of the Automation API's `stack.setAllConfig(config, path)`. */
export interface AutomationConfig {
  readonly config: Readonly<Record<string, { readonly value: string; readonly secret: boolean }>>;
  /** Pass as `setAllConfig`'s `path`: true when a structured value was flattened into property paths. */
  readonly path: boolean;
}

/**
 * The resolved configuration for `stack.setAllConfig(c.config, c.path)`. Scalars become their text.
 * Objects and arrays cannot be passed whole, so when there is one every key becomes a Pulumi property
 * path (`proj:db.host`, `proj:hosts[0]`, `["proj:a.b"]`) with one entry per leaf, each leaf keeping its
 * own secret flag. (With `--path`, Pulumi turns leaf texts `true`, `false` and integers back into
 * booleans and numbers; empty objects and arrays have no leaf and are left out.)
 */
export function automationConfig(resolved: Pick<ResolvedStack, "config">): AutomationConfig {
  const entries = Object.entries(resolved.config);
  const structured = entries.some(([, e]) => e.node.kind === "object" || e.node.kind === "array");
  const config: Record<string, { value: string; secret: boolean }> = {};
  for (const [key, entry] of entries) {
    if (!structured) {
      config[key] = { value: configNodeToText(entry.node), secret: entry.secret };
      continue;
    }
    for (const [path, leaf] of leaves(entry.node, [])) {
      config[propertyPath(key, path)] = { value: configNodeToText(leaf), secret: isSecretNode(leaf) };
    }
  }
  return { config, path: structured };
}

/**
 * `PULUMI_CONFIG` (a JSON object: key → text, objects as JSON text) and `PULUMI_CONFIG_SECRET_KEYS`
 * (a JSON array of the keys holding a secret), the variables through which the Pulumi engine hands
 * configuration to a program — for running a program or its tests without the CLI. `redact` puts
 * `[secret]` in place of secrets.
 */
export function pulumiConfigVariables(resolved: Pick<ResolvedStack, "config">, options: { readonly redact?: boolean } = {}): { PULUMI_CONFIG: string; PULUMI_CONFIG_SECRET_KEYS: string } {
  const values: Record<string, string> = {};
  const secretKeys: string[] = [];
  for (const [key, entry] of Object.entries(resolved.config)) {
    values[key] = configNodeToText(entry.node, options.redact === true);
    if (entry.secret) secretKeys.push(key);
  }
  return { PULUMI_CONFIG: JSON.stringify(values), PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(secretKeys) };
}

/** A Pulumi property path for a config key and a member path. */
export function propertyPath(key: string, path: ConfigPath): string {
  let out = /^[^.[\]"]+$/.test(key) ? key : `[${JSON.stringify(key)}]`;
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += /^[A-Za-z_][A-Za-z0-9_-]*$/.test(part) ? `.${part}` : `[${JSON.stringify(part)}]`;
  }
  return out;
}

function leaves(node: ConfigNode, path: (string | number)[]): [ConfigPath, ConfigNode][] {
  if (node.kind === "object") return Object.entries(node.members).flatMap(([k, v]) => leaves(v, [...path, k]));
  if (node.kind === "array") return node.items.flatMap((v, i) => leaves(v, [...path, i]));
  return [[path, node]];
}
