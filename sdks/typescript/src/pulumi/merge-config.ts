import { configNodeFromJson, mergeConfigNodes, type ConfigNode } from "./config-node.js";
import { invalidConfigKeyMessage, parseConfigKey } from "./config-key.js";
import type { ProjectFile } from "./project-file.js";
import type { StackDiagnostic } from "./stack-diagnostic.js";

/** The three sources of a stack's configuration, lowest precedence last. */
export interface ConfigSources {
  readonly project: ProjectFile;
  readonly stackName: string;
  /** The stack file's `config:` (keys as written). */
  readonly stackConfig: ReadonlyArray<readonly [string, ConfigNode]>;
  /** The environment's `pulumiConfig` members (keys as written), or none. */
  readonly environmentConfig: ReadonlyArray<readonly [string, ConfigNode]>;
}

/** The merged configuration by `namespace:name` key (sorted), and what was noticed on the way. */
export interface MergedConfig {
  readonly config: Readonly<Record<string, ConfigNode>>;
  readonly diagnostics: readonly StackDiagnostic[];
}

/** A configuration key Pulumi refuses. */
export class ConfigKeyError extends Error {
  override readonly name = "ConfigKeyError";
}

/**
 * Pulumi's `mergeConfig` (pkg/workspace/config.go): the stack file's config wins over the
 * environment's `pulumiConfig`, objects merged key by key (`config.Value.Merge`); then Pulumi.yaml's
 * `default:`/`value:` fill only keys still missing. Keys without a namespace belong to the project.
 * A key of the project's namespace with neither, still missing, is reported the way Pulumi words the
 * error `pulumi up` stops with (a warning here: `pulumi config` does not stop either).
 */
export function mergeStackConfig(sources: ConfigSources): MergedConfig {
  const project = sources.project.name;
  const config = new Map<string, ConfigNode>();
  for (const [raw, node] of sources.stackConfig) config.set(keyOf(raw, project), node);
  for (const [raw, envNode] of sources.environmentConfig) {
    const key = keyOf(raw, project);
    const stackNode = config.get(key);
    config.set(key, stackNode === undefined ? envNode : mergeConfigNodes(stackNode, envNode));
  }
  const missing: string[] = [];
  for (const raw of Object.keys(sources.project.config).sort()) {
    const entry = sources.project.config[raw];
    const key = keyOf(raw, project);
    if (entry === undefined || config.has(key)) continue;
    // `default:` wins over `value:` when a key has both; null counts as absent (Go's nil)
    const value = entry.default ?? entry.value;
    if (value !== undefined && value !== null) config.set(key, projectValueNode(value));
    else if (key.startsWith(`${project}:`)) missing.push(raw);
  }
  const diagnostics: StackDiagnostic[] = [];
  if (missing.length > 0) diagnostics.push({ severity: "warning", summary: missingKeysMessage(sources.stackName, missing) });
  const sorted: Record<string, ConfigNode> = {};
  for (const key of [...config.keys()].sort()) sorted[key] = config.get(key) as ConfigNode;
  return { config: sorted, diagnostics };
}

function keyOf(raw: string, project: string): string {
  const key = parseConfigKey(raw, project);
  if (key === undefined) throw new ConfigKeyError(invalidConfigKeyMessage(raw));
  return key;
}

// Pulumi's createConfigValue: a string, integer or boolean becomes its text (`false` → "false");
// anything else (a float, a list, an object) keeps its JSON shape.
function projectValueNode(value: unknown): ConfigNode {
  if (typeof value === "string" || typeof value === "boolean" || (typeof value === "number" && Number.isInteger(value))) {
    return { kind: "string", value: String(value), secret: false };
  }
  return configNodeFromJson(value);
}

// Pulumi's missingStackConfigurationKeysError: 'a'; 'a' and 'b'; 'a', 'b' and 'c' (sorted).
function missingKeysMessage(stack: string, keys: readonly string[]): string {
  if (keys.length === 1) return `Stack '${stack}' is missing configuration value '${keys[0]}'`;
  const quoted = [...keys].sort().map((k) => `'${k}'`);
  return `Stack '${stack}' is missing configuration values ${quoted.slice(0, -1).join(", ")} and ${quoted[quoted.length - 1]}`;
}
