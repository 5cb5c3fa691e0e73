import { readFile } from "node:fs/promises";
import { isAbsolute, join, relative, resolve, sep } from "node:path";
import { isMap, parseDocument } from "yaml";
import { toPlainJson, type EnvironmentLoader, type Json, type LoadedDefinition, type RotationPatch, type Value } from "../esc/index.js";
import { parseValuePath } from "./value-path.js";

/**
 * Environments as YAML files in one directory, for `openesc env eval DIR NAME` (issue 3, deliverable 5).
 *
 * An environment named `foo/bar` is the file `DIR/foo/bar.yaml`; the name is also the environment's name in ranges
 * and in `context.currentEnvironment.name` (esc-language.md §3.2). Names are relative paths that must stay inside
 * DIR: empty, absolute (`/x`, `C:\x`), `.`/`..` or empty segments, backslashes and NUL are refused. Symbolic links
 * inside DIR are followed (the check is on the name, not on the resolved target).
 */

/** Why a name cannot be a file inside the directory, or undefined when it can. */
export function invalidNameReason(name: string): string | undefined {
  if (name === "") return "the name is empty";
  if (name.includes("\0")) return "the name contains a NUL character";
  if (name.includes("\\")) return 'the name contains "\\"; separate folders with "/"';
  if (isAbsolute(name) || /^[A-Za-z]:/.test(name)) return "the name is an absolute path";
  const segments = name.split("/");
  if (segments.some((s) => s === "" || s === "." || s === "..")) return 'a name may not have empty, "." or ".." parts';
  return undefined;
}

/**
 * The file of environment `name` in `dir`, or `{error}` with the loader's message when the name would leave the
 * directory: `invalid environment name "NAME": REASON`.
 */
export function environmentFile(dir: string, name: string): { file: string } | { error: string } {
  const reason = invalidNameReason(name);
  if (reason !== undefined) return { error: `invalid environment name "${name}": ${reason}` };
  const root = resolve(dir);
  const file = join(root, ...name.split("/")) + ".yaml";
  const rel = relative(root, file);
  // belt and braces: the checks above already keep the file inside the directory
  if (rel === "" || rel.startsWith(`..${sep}`) || rel === ".." || isAbsolute(rel)) {
    return { error: `invalid environment name "${name}": the name leaves the directory` };
  }
  return { file };
}

/**
 * Reads the definition of environment `name` in `dir`. Rejects with an `Error` whose message is reported verbatim
 * at the import (§3.2): `environment "NAME" not found` when there is no such file (the text hosted ESC and the
 * server use), `invalid environment name "NAME": …` for names that leave the directory, and
 * `environment "NAME": cannot read FILE: …` for other read failures.
 */
export async function readEnvironment(dir: string, name: string): Promise<string> {
  const found = environmentFile(dir, name);
  if ("error" in found) throw new Error(found.error);
  try {
    return await readFile(found.file, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") throw new Error(`environment "${name}" not found`);
    throw new Error(`environment "${name}": cannot read ${found.file}: ${code ?? (e as Error).message}`);
  }
}

/**
 * An {@link EnvironmentLoader} over the YAML files of `dir`. Versions do not exist locally: `name@latest` is the
 * file itself, any other version is refused with `environment "NAME@VERSION" not found: local environments have no
 * versions other than latest`.
 */
export function createDirectoryLoader(dir: string): EnvironmentLoader {
  return {
    async load(name: string, version: string | undefined): Promise<LoadedDefinition> {
      if (version !== undefined && version !== "latest") {
        throw new Error(`environment "${name}@${version}" not found: local environments have no versions other than latest`);
      }
      return { yaml: await readEnvironment(dir, name) };
    },
  };
}

/**
 * Applies rotation patches (esc-language.md §14.3) to a definition's text, keeping comments: each patch's `state`
 * mapping (document path such as `values.db["fn::rotate::swap"].state`) is replaced by the new state. A secret
 * string is written as `{fn::secret: "…"}`, a secret non-string as `{fn::fromJSON: {fn::secret: "<compact JSON>"}}`,
 * and secret leaves inside plain objects and arrays are wrapped one by one. Local files are not encrypted, so the
 * secrets are plaintext (§16.2's re-encryption is the server's). Throws an `Error` when a path does not parse or
 * does not lead to a mapping in the definition.
 */
export function applyRotationPatches(definition: string, patches: readonly RotationPatch[]): string {
  const doc = parseDocument(definition);
  for (const patch of patches) {
    const parsed = parseValuePath(patch.path);
    if ("error" in parsed) throw new Error(`rotation patch ${patch.path}: ${parsed.error}`);
    const parent = doc.getIn(parsed.value.slice(0, -1), true);
    if (!isMap(parent)) throw new Error(`rotation patch ${patch.path}: no rotator call at this path`);
    // a flow mapping `{ inputs: {}, state: {…} }` stays in flow style; a new state in a block mapping is a block
    doc.setIn(parsed.value, doc.createNode(stateNode(patch.replacement), { flow: parent.flow === true }));
  }
  return doc.toString({ lineWidth: 0 });
}

/** The YAML form of a new rotation state: plain JSON with secrets wrapped as `fn::secret`. */
function stateNode(v: Value): unknown {
  if (v.secret) {
    const plainValue = plainJson(v);
    return typeof plainValue === "string" ? { "fn::secret": plainValue } : { "fn::fromJSON": { "fn::secret": compactJson(plainValue) } };
  }
  if (v.kind === "array" && Array.isArray(v.value)) return (v.value as readonly Value[]).map(stateNode);
  if (v.kind === "object" && v.value !== null && typeof v.value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, e] of Object.entries(v.value as Record<string, Value>)) out[k] = stateNode(e);
    return out;
  }
  return plainJson(v);
}

type PlainJson = null | boolean | number | string | PlainJson[] | { [k: string]: PlainJson };

function plainJson(v: Value): PlainJson {
  return fromJson(toPlainJson(v, { redact: false }));
}

function fromJson(j: Json): PlainJson {
  if (j === null || typeof j === "boolean" || typeof j === "number" || typeof j === "string") return j;
  if (Array.isArray(j)) return (j as readonly Json[]).map(fromJson);
  if ("number" in j && typeof j.number === "string" && Object.keys(j).length === 1) return Number(j.number);
  const out: Record<string, PlainJson> = {};
  for (const [k, e] of Object.entries(j as Record<string, Json>)) out[k] = fromJson(e);
  return out;
}

function compactJson(j: PlainJson): string {
  if (Array.isArray(j)) return `[${j.map(compactJson).join(",")}]`;
  if (j !== null && typeof j === "object") {
    return `{${Object.keys(j).sort().map((k) => `${JSON.stringify(k)}:${compactJson(j[k] as PlainJson)}`).join(",")}}`;
  }
  return JSON.stringify(j);
}
