import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { isMap, parseDocument } from "yaml";
import type { Json } from "./config-node.js";
import { isProjectKey } from "./config-key.js";

/** One `config:` entry of Pulumi.yaml (`ProjectConfigType`), after Pulumi's shorthand rewrite. */
export interface ProjectConfigEntry {
  /** `default:` — for the project's own keys. */
  readonly default?: Json;
  /** `value:` — a value for every stack (keys of other namespaces use this form). */
  readonly value?: Json;
  readonly type?: string;
}

/** What the resolver needs from Pulumi.yaml. */
export interface ProjectFile {
  readonly path: string;
  readonly name: string;
  /** Where the stack files are: `stackConfigDir` resolved against the project directory. */
  readonly stackConfigDir: string;
  /** `config:` by key as written (bare or namespaced). */
  readonly config: Readonly<Record<string, ProjectConfigEntry>>;
}

/** A stack or project file that cannot be used; the message names the file. */
export class PulumiFileError extends Error {
  override readonly name = "PulumiFileError";
}

const PROJECT_FILES = ["Pulumi.yaml", "Pulumi.yml"];

/**
 * Reads `Pulumi.yaml` (or `Pulumi.yml`) in `projectDir` or, as Pulumi looks for it, the closest folder
 * above. A scalar or list under `config:` is Pulumi's shorthand: the default of a project key, the
 * value of any other namespace's key.
 */
export function readProjectFile(projectDir: string): ProjectFile {
  const start = resolve(projectDir);
  const path = findProjectFile(start);
  if (path === undefined) throw new PulumiFileError(`no Pulumi.yaml project file found in ${start} or above`);
  const dir = dirname(path);
  const doc = parseDocument(readFileSync(path, "utf8"));
  if (doc.errors.length > 0) throw new PulumiFileError(`${path}: ${doc.errors[0]?.message.split("\n")[0] ?? "invalid YAML"}`);
  const raw: unknown = doc.toJS();
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) throw new PulumiFileError(`${path}: the project file must be a mapping`);
  const project = raw as Record<string, unknown>;
  if (typeof project.name !== "string" || project.name === "") throw new PulumiFileError(`${path}: project is missing a 'name' attribute`);
  const name = project.name;
  const config: Record<string, ProjectConfigEntry> = {};
  const rawConfig = project.config;
  if (rawConfig !== undefined && rawConfig !== null) {
    if (!isMap(doc.get("config", true))) throw new PulumiFileError(`${path}: config must be a mapping`);
    for (const [key, entry] of Object.entries(rawConfig as Record<string, unknown>)) {
      config[key] = projectConfigEntry(key, entry, name);
    }
  }
  const stackConfigDir = typeof project.stackConfigDir === "string" ? resolve(dir, project.stackConfigDir) : dir;
  return { path, name, stackConfigDir, config };
}

function projectConfigEntry(key: string, entry: unknown, project: string): ProjectConfigEntry {
  if (entry === null || typeof entry !== "object" || Array.isArray(entry)) {
    // Pulumi's RewriteShorthandConfigValues
    return isProjectKey(key, project) ? { default: entry as Json } : { value: entry as Json };
  }
  const typed = entry as Record<string, unknown>;
  return {
    ...("default" in typed ? { default: typed.default as Json } : {}),
    ...("value" in typed ? { value: typed.value as Json } : {}),
    ...(typeof typed.type === "string" ? { type: typed.type } : {}),
  };
}

function findProjectFile(start: string): string | undefined {
  for (let dir = start; ; dir = dirname(dir)) {
    const found = PROJECT_FILES.map((f) => join(dir, f)).find((p) => existsSync(p));
    if (found !== undefined || dirname(dir) === dir) return found;
  }
}
