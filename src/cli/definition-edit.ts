import { isMap, isScalar, isSeq, parseDocument, type Document, type ToStringOptions } from "yaml";
import { CliError } from "./context.js";
import { formatValuePath, type ValuePath } from "./value-path.js";

/** How `env set` writes a value: as given, as `fn::secret`, or keeping an existing secret secret. */
export type SecretMode = "secret" | "plaintext" | "keep";

/**
 * Sets `values.PATH` in a definition, keeping the comments and layout of everything else.
 * A value that is currently `{fn::secret: …}` stays secret unless `mode` is "plaintext".
 * Throws a CliError when the definition does not parse or the path crosses a scalar.
 */
export function setDefinitionValue(definition: string, path: ValuePath, value: unknown, mode: SecretMode): string {
  const doc = load(definition);
  const full = ["values", ...path];
  const existing = doc.getIn(full, true);
  const secret = mode === "secret" || (mode === "keep" && isSecretNode(existing));
  const node = doc.createNode(secret ? { "fn::secret": value } : value);
  try {
    doc.setIn(full, node);
  } catch {
    throw new CliError(`cannot set values.${formatValuePath(path)}: ${blocker(doc, full)} is not a mapping or sequence`);
  }
  return dump(doc, definition);
}

/** Deletes `values.PATH`; throws a CliError when there is no value there. */
export function deleteDefinitionValue(definition: string, path: ValuePath): string {
  const doc = load(definition);
  const full = ["values", ...path];
  let found = false;
  try {
    found = doc.hasIn(full);
  } catch {
    found = false;
  }
  if (!found) throw new CliError(`no value at values.${formatValuePath(path)}`);
  doc.deleteIn(full);
  return dump(doc, definition);
}

function load(definition: string): Document {
  // the unparsed Document type, so that new nodes may replace the parsed root
  const doc: Document = parseDocument(definition);
  if (doc.errors.length > 0) {
    throw new CliError(`the current definition does not parse (${doc.errors[0]?.message.split("\n")[0]}); fix it with \`openesc env edit\``);
  }
  if (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null)) {
    doc.contents = doc.createNode({});
  }
  if (!isMap(doc.contents)) throw new CliError("the current definition is not a mapping; fix it with `openesc env edit`");
  // `{}` (an empty environment) would keep new keys in flow style
  if (doc.contents.items.length === 0) doc.contents.flow = false;
  return doc;
}

function isSecretNode(node: unknown): boolean {
  return isMap(node) && node.items.length === 1 && isScalar(node.items[0]?.key) && node.items[0]?.key.value === "fn::secret";
}

function blocker(doc: Document, full: readonly (string | number)[]): string {
  for (let n = full.length - 1; n > 0; n--) {
    const node = doc.getIn(full.slice(0, n), true);
    if (node !== undefined && !isMap(node) && !isSeq(node)) return formatValuePath(full.slice(0, n));
  }
  return formatValuePath(full.slice(0, -1));
}

/** Prints the document with the source's indentation and sequence style, without folding lines. */
function dump(doc: Document, source: string): string {
  return doc.toString(layoutOf(source));
}

function layoutOf(source: string): ToStringOptions {
  const lines = source.split("\n");
  let indent = 0;
  let indentSeq = true;
  for (let i = 0; i + 1 < lines.length; i++) {
    const line = lines[i] as string;
    const next = lines[i + 1] as string;
    const m = /^( *)[^ #-][^#]*:\s*(#.*)?$/.exec(line);
    if (m === null) continue;
    const own = (m[1] as string).length;
    const nextIndent = (/^( *)/.exec(next)?.[1] as string).length;
    if (/^ *- /.test(next) && nextIndent === own) indentSeq = false;
    else if (indent === 0 && nextIndent > own && next.trim() !== "") indent = nextIndent - own;
  }
  return { indent: indent > 0 && indent <= 8 ? indent : 2, indentSeq, lineWidth: 0 };
}
