/**
 * The at-rest transformation of definitions (esc-language.md §16.2), done on the YAML text so that
 * everything but the rewritten secrets stays byte for byte (comments, quoting, indentation):
 *
 * - encrypt: every single-key `fn::secret` mapping anywhere whose argument is a string scalar gets
 *   `{ciphertext: ENVELOPE}`; the raw scalar text is sealed (no `$$` unescaping, `${x}` included).
 * - reveal: every `fn::secret: {ciphertext: …}` under the top-level `values` becomes the plaintext;
 *   one that does not decrypt fails the whole reveal.
 * - reencrypt: every ciphertext anywhere that opens under the source environment is sealed again
 *   under the destination (clone, key rotation); others are copied as they are.
 *
 * Arguments of other shapes (numbers, sequences, other mappings, aliases) are never touched.
 */
import { isAlias, isMap, isScalar, isSeq, parse, parseDocument, type Node, type Pair, type YAMLMap } from "yaml";
import { openEnvelope, sealEnvelope } from "../esc/index.js";
import type { EnvironmentKey } from "../store/index.js";
import { DefinitionRewriteError } from "./crypto-errors.js";
import { environmentName } from "./secret-payload.js";

/** Payload-level sealing, as SecretCrypto provides it. */
export interface PayloadCipher {
  encrypt(env: EnvironmentKey, plaintext: Uint8Array): Promise<Uint8Array>;
  decrypt(env: EnvironmentKey, payload: Uint8Array): Promise<Uint8Array>;
}

interface Edit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

interface SecretSite {
  /** The `fn::secret` pair. */
  readonly pair: Pair<Node, Node>;
  /** Path of the mapping holding `fn::secret`, for messages (`values.db.password`). */
  readonly path: string;
  /** Whether the mapping is under the top-level `values`. */
  readonly underValues: boolean;
  /** Whether the mapping is a flow mapping (`{fn::secret: …}`). */
  readonly flow: boolean;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Seals plaintext secrets of `text` for `env`. Throws DefinitionRewriteError for invalid YAML. */
export async function encryptDefinition(cipher: PayloadCipher, text: string, env: EnvironmentKey): Promise<string> {
  const edits: Edit[] = [];
  for (const site of secretSites(text)) {
    const plaintext = stringArgument(text, site.pair.value);
    if (plaintext === undefined) continue;
    const envelope = sealEnvelope(await cipher.encrypt(env, encoder.encode(plaintext)));
    edits.push(replaceArgument(text, site, `{ciphertext: ${envelope}}`));
  }
  return applyEdits(text, edits);
}

/**
 * Opens ciphertexts under `values` (those elsewhere stay). Throws DefinitionRewriteError naming the
 * path and the reason (never a value) when one does not decrypt.
 */
export async function revealDefinition(cipher: PayloadCipher, text: string, env: EnvironmentKey): Promise<string> {
  const edits: Edit[] = [];
  for (const site of secretSites(text)) {
    const ciphertext = site.underValues ? ciphertextOf(site.pair.value) : undefined;
    if (ciphertext === undefined) continue;
    let plaintext: string;
    try {
      plaintext = decoder.decode(await cipher.decrypt(env, payloadOf(ciphertext)));
    } catch (err) {
      throw new DefinitionRewriteError(
        `cannot reveal the secret at ${site.path} of "${environmentName(env)}": ${(err as Error).message}`,
        { cause: err },
      );
    }
    edits.push(replaceArgument(text, site, formatScalar(plaintext, site.flow)));
  }
  return applyEdits(text, edits);
}

/** Seals every ciphertext that opens under `from` again under `to`; the rest is copied unchanged. */
export async function reencryptDefinition(cipher: PayloadCipher, text: string, from: EnvironmentKey, to: EnvironmentKey): Promise<string> {
  const edits: Edit[] = [];
  for (const site of secretSites(text)) {
    const ciphertext = ciphertextOf(site.pair.value);
    if (ciphertext === undefined) continue;
    let plaintext: Uint8Array;
    try {
      plaintext = await cipher.decrypt(from, payloadOf(ciphertext));
    } catch {
      continue; // already unreadable in the source: the copy stays exactly as unreadable
    }
    const envelope = sealEnvelope(await cipher.encrypt(to, plaintext));
    const value = site.pair.value as YAMLMap<Node, Node>;
    const inner = value.items[0]?.value as Node;
    const range = inner.range as [number, number, number];
    edits.push({ start: range[0], end: range[1], text: envelope });
  }
  return applyEdits(text, edits);
}

/**
 * The text of a string-scalar argument. A plain scalar that overflows to an infinite float
 * (`1e999`) is a string for ESC (Go's ParseFloat fails and go-yaml keeps the text), so it is sealed
 * too rather than left in the clear.
 */
function stringArgument(text: string, arg: Node | null): string | undefined {
  if (!isScalar(arg)) return undefined;
  if (typeof arg.value === "string") return arg.value;
  if (arg.type !== "PLAIN" || typeof arg.value !== "number" || Number.isFinite(arg.value) || arg.range == null) return undefined;
  const source = text.slice(arg.range[0], arg.range[1]).trim();
  return /^[-+]?\.(?:inf|Inf|INF)$|^\.(?:nan|NaN|NAN)$/.test(source) ? undefined : source;
}

function payloadOf(ciphertext: string): Uint8Array {
  const opened = openEnvelope(ciphertext);
  if ("error" in opened) throw new Error(`invalid ciphertext: ${opened.error}`);
  return opened.payload;
}

/** The ciphertext text of a `{ciphertext: STRING}` argument. */
function ciphertextOf(arg: Node | null): string | undefined {
  if (!isMap(arg) || arg.items.length !== 1) return undefined;
  const pair = arg.items[0] as Pair<Node, Node>;
  if (!isScalar(pair.key) || pair.key.value !== "ciphertext") return undefined;
  return isScalar(pair.value) && typeof pair.value.value === "string" ? pair.value.value : undefined;
}

/** Every single-key `fn::secret` mapping of the document, in document order. */
function secretSites(text: string): SecretSite[] {
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: false });
  const error = doc.errors[0];
  if (error !== undefined) {
    // the parser's message quotes the source line, which may hold a plaintext secret
    const before = text.slice(0, error.pos[0]).split("\n");
    const at = `line ${before.length}, column ${(before[before.length - 1] as string).length + 1}`;
    throw new DefinitionRewriteError(`definition is not valid YAML (${at}): ${error.code}`);
  }
  const sites: SecretSite[] = [];
  const walk = (node: unknown, path: string, underValues: boolean): void => {
    if (isSeq(node)) {
      node.items.forEach((item, i) => walk(item, `${path}[${i}]`, underValues));
      return;
    }
    if (!isMap(node)) return;
    const only = node.items.length === 1 ? (node.items[0] as Pair<Node, Node>) : undefined;
    if (only !== undefined && isScalar(only.key) && only.key.value === "fn::secret") {
      sites.push({ pair: only, path: path === "" ? "(root)" : path, underValues, flow: node.flow === true });
      return; // the argument of fn::secret is data, not more definitions
    }
    for (const item of node.items as Pair<Node, Node>[]) {
      const key = isScalar(item.key) ? String(item.key.value) : "?";
      walk(item.value, path === "" ? key : `${path}.${key}`, underValues || (path === "" && key === "values"));
    }
  };
  walk(doc.contents, "", false);
  return sites;
}

/**
 * Replaces the argument of `fn::secret` with `replacement`. When only `:`, blanks, a tag or an
 * anchor separate key and argument, the whole gap is rewritten (`fn::secret: REPLACEMENT`, the
 * anchor kept, a tag such as `!!str` dropped); otherwise only the argument is.
 */
function replaceArgument(text: string, site: SecretSite, replacement: string): Edit {
  const key = site.pair.key;
  const arg = site.pair.value;
  if (arg === null || isAlias(arg) || key.range === undefined || key.range === null || arg.range === undefined || arg.range === null) {
    throw new Error("a fn::secret argument without a source range");
  }
  const [start, end] = arg.range;
  const gapStart = key.range[1];
  const gap = text.slice(gapStart, start);
  // a block scalar's range ends after its last line break: keep one
  const tail = text.slice(start, end).endsWith("\n") ? "\n" : "";
  if (/^[ \t]*:(?:\s+(?:![^\s]*|&[^\s,{}[\]]+))*\s*$/.test(gap)) {
    const anchor = arg.anchor === undefined ? "" : `&${arg.anchor} `;
    return { start: gapStart, end, text: `: ${anchor}${replacement}${tail}` };
  }
  return { start, end, text: `${replacement}${tail}` };
}

/** A YAML scalar whose value is exactly `s`: plain when that is unambiguous, else double quoted. */
export function formatScalar(s: string, flow: boolean): string {
  const plain =
    /^[A-Za-z0-9_./+=@^~-][A-Za-z0-9_ ./+=@^~:-]*$/.test(s) &&
    !s.endsWith(" ") &&
    !s.includes(": ") &&
    !s.endsWith(":") &&
    (!flow || !/[,[\]{}]/.test(s)) &&
    safeParse(s) === s;
  return plain ? s : JSON.stringify(s);
}

function safeParse(s: string): unknown {
  try {
    return parse(s);
  } catch {
    return undefined;
  }
}

function applyEdits(text: string, edits: readonly Edit[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}
