import { readFile } from "node:fs/promises";
import { isAbsolute, join, relative, resolve, sep } from "node:path";
import { isDeepStrictEqual } from "node:util";
import { isCollection, isMap, parseDocument, stringify, type Node, type YAMLMap } from "yaml";
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
 * Applies rotation patches (esc-language.md §14.3) to a definition's text: each patch's `state` mapping (document
 * path such as `values.db["fn::rotate::swap"].state`) is replaced by the new state, or added when the call has none.
 * Only the text of those mappings changes (a flow mapping stays a flow mapping, a block one a block); everything
 * else, comments included, is kept byte for byte. A secret string is written as `{fn::secret: "…"}`, a secret
 * non-string as `{fn::fromJSON: {fn::secret: "<compact JSON>"}}`, and secret leaves inside plain objects and arrays
 * are wrapped one by one. Local files are not encrypted, so these secrets are plaintext (§16.2's re-encryption is
 * the server's). When splicing cannot be done safely the document is re-printed by the `yaml` package (comments
 * kept, spacing normalised). Throws an `Error` when a path does not parse or does not lead to a rotator call.
 */
export function applyRotationPatches(definition: string, patches: readonly RotationPatch[]): string {
  const doc = parseDocument(definition);
  const targets = patches.map((patch) => {
    const parsed = parseValuePath(patch.path);
    if ("error" in parsed) throw new Error(`rotation patch ${patch.path}: ${parsed.error}`);
    const parent = doc.getIn(parsed.value.slice(0, -1), true);
    if (!isMap(parent)) throw new Error(`rotation patch ${patch.path}: no rotator call at this path`);
    return { path: parsed.value, parent, state: stateNode(patch.replacement) };
  });
  const spliced = spliceStates(definition, doc, targets);
  if (spliced !== undefined) return spliced;
  // a flow mapping `{ inputs: {}, state: {…} }` stays in flow style; a new state in a block mapping is a block
  for (const t of targets) doc.setIn(t.path, doc.createNode(t.state, { flow: t.parent.flow === true }));
  return doc.toString({ lineWidth: 0 });
}

interface PatchTarget {
  readonly path: readonly (string | number)[];
  readonly parent: YAMLMap;
  readonly state: unknown;
}

/** Replaces (or inserts) the state mappings in the text; undefined when the result would not mean the same. */
function spliceStates(source: string, doc: ReturnType<typeof parseDocument>, targets: readonly PatchTarget[]): string | undefined {
  const edits: { from: number; to: number; text: string }[] = [];
  for (const t of targets) {
    const existing = doc.getIn(t.path, true) as Node | undefined;
    if (existing !== undefined && existing !== null) {
      const range = existing.range;
      if (!range) return undefined;
      const [from, to] = range;
      const inFlow = t.parent.flow === true || (isCollection(existing) && existing.flow === true) || !isCollection(existing);
      if (inFlow) edits.push({ from, to, text: flowText(t.state) });
      else {
        const column = from - (source.lastIndexOf("\n", from - 1) + 1);
        const block = stringify(t.state, { lineWidth: 0, indent: 2 }).replace(/\n$/, "");
        const text = block.split("\n").map((l, i) => (i === 0 || l === "" ? l : " ".repeat(column) + l)).join("\n");
        edits.push({ from, to, text: source[to - 1] === "\n" ? `${text}\n` : text });
      }
      continue;
    }
    // no state yet: add `state` after the call's last entry
    const last = t.parent.items[t.parent.items.length - 1];
    const lastEnd = (last?.value as Node | null | undefined)?.range?.[1] ?? (last?.key as Node | null | undefined)?.range?.[1];
    if (last === undefined || lastEnd === undefined) return undefined;
    if (t.parent.flow === true) {
      edits.push({ from: lastEnd, to: lastEnd, text: `, state: ${flowText(t.state)}` });
      continue;
    }
    const keyStart = (last.key as Node | null | undefined)?.range?.[0];
    if (keyStart === undefined) return undefined;
    const indent = source.slice(source.lastIndexOf("\n", keyStart - 1) + 1, keyStart);
    if (indent.trim() !== "") return undefined;
    const at = source[lastEnd - 1] === "\n" ? lastEnd : source.indexOf("\n", lastEnd) < 0 ? source.length : source.indexOf("\n", lastEnd) + 1;
    const block = stringify({ state: t.state }, { lineWidth: 0, indent: 2 });
    const lines = block.split("\n").map((l) => (l === "" ? l : indent + l)).join("\n");
    edits.push({ from: at, to: at, text: (at > 0 && source[at - 1] !== "\n" ? "\n" : "") + lines });
  }
  edits.sort((a, b) => b.from - a.from);
  for (let i = 1; i < edits.length; i++) if ((edits[i] as { to: number }).to > (edits[i - 1] as { from: number }).from) return undefined;
  let text = source;
  for (const e of edits) text = text.slice(0, e.from) + e.text + text.slice(e.to);
  // the spliced text must parse and hold exactly the new states
  const check = parseDocument(text);
  if (check.errors.length > 0) return undefined;
  for (const t of targets) {
    if (!isDeepStrictEqual(toJs(check.getIn(t.path, true)), t.state)) return undefined;
  }
  return text;
}

function toJs(node: unknown): unknown {
  return node !== null && typeof node === "object" && "toJSON" in node ? (node as { toJSON(): unknown }).toJSON() : node;
}

/** One-line flow YAML of a state: `{ a: 1, b: [ x ] }`, strings quoted only when needed. */
function flowText(v: unknown): string {
  if (Array.isArray(v)) return v.length === 0 ? "[]" : `[ ${v.map(flowText).join(", ")} ]`;
  if (v !== null && typeof v === "object") {
    const entries = Object.entries(v as Record<string, unknown>);
    return entries.length === 0 ? "{}" : `{ ${entries.map(([k, e]) => `${flowScalar(k)}: ${flowText(e)}`).join(", ")} }`;
  }
  return flowScalar(v);
}

function flowScalar(v: unknown): string {
  const text = stringify(v, { lineWidth: 0 }).replace(/\n$/, "");
  // block scalars and plain text with flow indicators do not fit in a flow collection: JSON strings do
  if (typeof v === "string" && (text.includes("\n") || /[,[\]{}]/.test(text) && !/^["']/.test(text))) return JSON.stringify(v);
  return text;
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
