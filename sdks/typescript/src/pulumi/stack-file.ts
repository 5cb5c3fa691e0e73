import { existsSync, readFileSync } from "node:fs";
import { extname, join } from "node:path";
import { Document, isMap, isScalar, isSeq, parseDocument, type Node } from "yaml";
import type { ConfigNode } from "./config-node.js";
import { PulumiFileError } from "./project-file.js";

/** How the stack encrypts its secrets, from the stack file's `secretsprovider` and `encryptionsalt`. */
export type StackSecretsProvider =
  | { readonly kind: "passphrase"; readonly encryptionSalt: string }
  /** Another provider (Pulumi Cloud, awskms://, azurekeyvault://, gcpkms://, hashivault://), or passphrase without a salt yet. */
  | { readonly kind: "other"; readonly name: string };

/** What the resolver needs from `Pulumi.<stack>.yaml`. */
export interface StackFile {
  readonly path: string;
  /** Whether the file exists (a missing stack file is an empty one, as for Pulumi). */
  readonly exists: boolean;
  /** The file's text ("" when missing), for rewriting it. */
  readonly text: string;
  /** `config:` as written: raw keys → values (`secure:` leaves as ciphertext). */
  readonly config: ReadonlyArray<readonly [string, ConfigNode]>;
  /** The `environment:` block as an ESC definition, or undefined when there is none. */
  readonly environment: string | undefined;
  readonly secretsProvider: StackSecretsProvider;
}

/**
 * The stack file: `Pulumi.<name><ext>` in the stack config directory, `name` being the last part of
 * `org/project/name` and `ext` that of the project file (`.yaml` or `.yml`), as Pulumi's ProjectStackPath.
 */
export function stackFilePath(stackConfigDir: string, stack: string, projectFile = "Pulumi.yaml"): string {
  const name = stack.split("/").pop() ?? stack;
  return join(stackConfigDir, `Pulumi.${name}${extname(projectFile) || ".yaml"}`);
}

/**
 * Reads a stack file. Top-level scalar config values are strings as Pulumi reads them (`5.0` stays
 * "5.0"); objects keep their JSON types; `{secure: …}` is a secret whose ciphertext is kept.
 * `environment:` is a list of names (→ `{"imports":[…]}`) or an inline definition (kept as written).
 */
export function readStackFile(path: string): StackFile {
  if (!existsSync(path)) {
    return { path, exists: false, text: "", config: [], environment: undefined, secretsProvider: { kind: "other", name: "default" } };
  }
  const text = readFileSync(path, "utf8");
  const doc = parseDocument(text);
  if (doc.errors.length > 0) throw new PulumiFileError(`${path}: ${doc.errors[0]?.message.split("\n")[0] ?? "invalid YAML"}`);
  if (doc.contents !== null && !isMap(doc.contents)) throw new PulumiFileError(`${path}: the stack file must be a mapping`);
  const configNode = doc.get("config", true) as Node | undefined;
  const config: (readonly [string, ConfigNode])[] = [];
  if (configNode !== undefined && !(isScalar(configNode) && configNode.value === null)) {
    if (!isMap(configNode)) throw new PulumiFileError(`${path}: config must be a mapping`);
    for (const pair of configNode.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      config.push([key, topLevelValue(pair.value as Node | null)]);
    }
  }
  return { path, exists: true, text, config, environment: environmentDefinition(doc, path), secretsProvider: secretsProviderOf(doc) };
}

function secretsProviderOf(doc: Document): StackSecretsProvider {
  const provider = doc.get("secretsprovider");
  const salt = doc.get("encryptionsalt");
  const name = typeof provider === "string" && provider !== "" ? provider : "default";
  if ((name === "passphrase" || name === "default") && typeof salt === "string" && salt !== "") return { kind: "passphrase", encryptionSalt: salt };
  return { kind: "other", name };
}

function environmentDefinition(doc: Document, path: string): string | undefined {
  const node = doc.get("environment", true) as Node | undefined;
  if (node === undefined || (isScalar(node) && node.value === null)) return undefined;
  if (isSeq(node)) {
    const names = node.items.map((item) => (isScalar(item) && typeof item.value === "string" ? item.value : undefined));
    if (names.some((n) => n === undefined)) throw new PulumiFileError(`${path}: environment: a list must hold environment names`);
    if (names.length === 0) return undefined;
    // as Pulumi's Environment.Definition: the list becomes the JSON text {"imports":[…]}
    return JSON.stringify({ imports: names });
  }
  if (isMap(node)) return new Document(node).toString();
  throw new PulumiFileError(`${path}: environment: must be a list of environment names or an environment definition`);
}

function topLevelValue(node: Node | null): ConfigNode {
  if (node === null) return { kind: "string", value: "", secret: false };
  if (isScalar(node)) {
    if (node.value === null) return { kind: "string", value: "", secret: false };
    return { kind: "string", value: typeof node.value === "string" ? node.value : (node.source ?? String(node.value)), secret: false };
  }
  return nestedValue(node.toJSON());
}

// A {secure: "…"} mapping is a secret; everything else keeps its JSON type.
function nestedValue(value: unknown): ConfigNode {
  if (value === null || value === undefined) return { kind: "null" };
  if (typeof value === "string") return { kind: "string", value, secret: false };
  if (typeof value === "number") return { kind: "number", value };
  if (typeof value === "boolean") return { kind: "boolean", value };
  if (Array.isArray(value)) return { kind: "array", items: value.map(nestedValue) };
  if (typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 1 && entries[0]?.[0] === "secure" && typeof entries[0][1] === "string") return { kind: "ciphertext", ciphertext: entries[0][1] };
    const members: Record<string, ConfigNode> = {};
    for (const [k, v] of entries) members[k] = nestedValue(v);
    return { kind: "object", members };
  }
  return { kind: "string", value: String(value), secret: false };
}
