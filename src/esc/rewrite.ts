import { isMap, isScalar, isSeq, parseDocument, visit, type Document, type Node as YamlNode, type YAMLMap } from "yaml";
import { openEnvelope, sealEnvelope } from "./ciphertext.js";
import type { RotationPatch } from "./interfaces.js";
import { jsonText, type Json, jsonNumber } from "./json-text.js";
import { resolvePlainScalar } from "./number-format.js";
import type { Value } from "./public-value.js";

/** Outcome of a definition rewrite: the new text, or an error message (the text is then unusable). */
export type RewriteResult = { readonly text: string } | { readonly error: string };

const OPTIONS = { schema: "failsafe", uniqueKeys: false, merge: false, keepSourceTokens: false } as const;

function load(text: string): Document | string {
  const doc = parseDocument(text, OPTIONS);
  return doc.errors[0] ? `yaml: ${doc.errors[0].message.split("\n")[0] as string}` : doc;
}

function isStringScalar(n: unknown): n is { value: string; type?: string } {
  if (!isScalar(n) || typeof n.value !== "string") return false;
  return n.type !== "PLAIN" || resolvePlainScalar(n.value).kind === "string";
}

function singleKey(map: YAMLMap, key: string): YamlNode | null | undefined {
  const only = map.items.length === 1 ? map.items[0] : undefined;
  if (!only || !isScalar(only.key) || only.key.value !== key) return undefined;
  return only.value as YamlNode | null;
}

/**
 * At-rest encryption (esc-language.md §16.2): every `fn::secret: <string>` anywhere in the document becomes
 * `fn::secret: {ciphertext: <envelope>}`, encrypting the raw scalar text (no `$$` unescaping). Comments are kept.
 * `encrypt` maps plaintext bytes to the envelope payload.
 */
export async function encryptDefinition(text: string, encrypt: (plaintext: Uint8Array) => Promise<Uint8Array> | Uint8Array): Promise<RewriteResult> {
  const doc = load(text);
  if (typeof doc === "string") return { error: doc };
  const targets: YAMLMap[] = [];
  visit(doc, { Map(_k, map) { if (isStringScalar(singleKey(map, "fn::secret"))) targets.push(map); } });
  for (const map of targets) {
    const pair = map.items[0]!;
    const plaintext = (pair.value as { value: string }).value;
    const payload = await encrypt(new TextEncoder().encode(plaintext));
    const node = doc.createNode({ ciphertext: sealEnvelope(payload) });
    node.flow = true;
    pair.value = node;
  }
  return { text: doc.toString() };
}

/**
 * Display with secrets shown (§16.2): ciphertexts under `values` become plaintext again; any ciphertext that cannot be
 * decrypted fails the whole rewrite. `decrypt` maps an envelope payload to plaintext bytes.
 */
export async function decryptDefinition(text: string, decrypt: (payload: Uint8Array) => Promise<Uint8Array> | Uint8Array): Promise<RewriteResult> {
  const doc = load(text);
  if (typeof doc === "string") return { error: doc };
  const root = doc.contents;
  if (!isMap(root)) return { text };
  const values = root.items.find((p) => isScalar(p.key) && String(p.key.value).toLowerCase() === "values")?.value;
  if (!values) return { text };
  const targets: YAMLMap[] = [];
  visit(values as YamlNode, {
    Map(_k, map) {
      const arg = singleKey(map, "fn::secret");
      if (isMap(arg) && isStringScalar(singleKey(arg, "ciphertext"))) targets.push(map);
    },
  });
  for (const map of targets) {
    const pair = map.items[0]!;
    const ct = (singleKey(pair.value as YAMLMap, "ciphertext") as { value: string }).value;
    const env = openEnvelope(ct);
    if ("error" in env) return { error: `invalid ciphertext: ${env.error}` };
    try {
      pair.value = doc.createNode(new TextDecoder().decode(await decrypt(env.payload)));
    } catch (e) {
      return { error: `decrypting: ${e instanceof Error ? e.message : String(e)}` };
    }
  }
  return { text: doc.toString() };
}

/** Splits a document path (§1.5) into keys and indices. */
export function parseDocPath(path: string): Array<string | number> | undefined {
  const out: Array<string | number> = [];
  const re = /\.?([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]|\["((?:[^"\\]|\\")*)"\]/y;
  let i = 0;
  while (i < path.length) {
    re.lastIndex = i;
    const m = re.exec(path);
    if (!m || (m.index === 0 && path[0] === ".")) return undefined;
    out.push(m[1] ?? (m[2] !== undefined ? Number(m[2]) : (m[3] as string).replace(/\\"/g, '"')));
    i = re.lastIndex;
  }
  return out;
}

/** The YAML form of a rotated state (§14.3 write-back): secrets wrapped in `fn::secret`, non-strings via `fn::fromJSON`. */
function stateJson(v: Value): unknown {
  const plainOf = (x: Value): Json => {
    if (x.kind === "array") return (x.value as Value[]).map(plainOf);
    if (x.kind === "object") return Object.fromEntries(Object.entries(x.value as Record<string, Value>).map(([k, e]) => [k, plainOf(e)]));
    if (x.kind === "number") return jsonNumber(x.value as string);
    return x.value as Json;
  };
  if (v.secret) {
    if (v.kind === "string") return { "fn::secret": v.value };
    return { "fn::fromJSON": { "fn::secret": jsonText(plainOf(v)) } };
  }
  if (v.kind === "array") return (v.value as Value[]).map(stateJson);
  if (v.kind === "object") return Object.fromEntries(Object.entries(v.value as Record<string, Value>).map(([k, e]) => [k, stateJson(e)]));
  if (v.kind === "number") return Number(v.value);
  return v.value;
}

/**
 * Applies rotation patches (§14.3): each replaces the `state` mapping at its document path. The caller re-encrypts the
 * result with {@link encryptDefinition} before storing it.
 */
export function applyRotationPatches(text: string, patches: readonly RotationPatch[]): RewriteResult {
  const doc = load(text);
  if (typeof doc === "string") return { error: doc };
  for (const p of patches) {
    const segs = parseDocPath(p.path);
    const last = segs?.pop();
    if (!segs || last === undefined) return { error: `invalid patch path ${p.path}` };
    let node: unknown = doc.contents;
    for (const s of segs) {
      if (typeof s === "number" && isSeq(node)) node = node.items[s];
      else if (typeof s === "string" && isMap(node)) node = node.items.find((it) => isScalar(it.key) && it.key.value === s)?.value;
      else node = undefined;
    }
    if (!isMap(node)) return { error: `patch path not found: ${p.path}` };
    const created = doc.createNode(stateJson(p.replacement));
    const existing = node.items.find((it) => isScalar(it.key) && it.key.value === last);
    if (existing) existing.value = created;
    else node.add(doc.createPair(last, created));
  }
  return { text: doc.toString() };
}
