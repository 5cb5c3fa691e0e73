import { Document, isMap, parseDocument, YAMLMap } from "yaml";
import type { ConfigNode, ConfigPath } from "./config-node.js";
import type { ResolvedStack } from "./resolve-stack.js";

/** A secret that could not be encrypted here: set it with `pulumi config set --secret [--path]`. */
export interface PendingSecret {
  /** The config key, `namespace:name`. */
  readonly key: string;
  /** The member inside the key's value (empty: the value itself). */
  readonly path: ConfigPath;
  readonly value: string;
}

/** A stack file holding the resolved configuration, and the secrets left for the secrets provider. */
export interface StackConfigFile {
  readonly text: string;
  readonly pendingSecrets: readonly PendingSecret[];
}

/**
 * The stack file as Pulumi should read it after resolution (`pulumi … --config-file FILE`): the
 * original file (other keys and comments kept) without `environment:`, with `config:` holding the
 * resolved configuration. Secrets become `secure:` values through `encrypt` (the stack's own provider);
 * without it they are left out and returned as pending. Ciphertext that was never decrypted is kept.
 */
export function renderStackConfigFile(resolved: Pick<ResolvedStack, "config" | "stackFile">, encrypt?: (plaintext: string) => string): StackConfigFile {
  const parsed = parseDocument(resolved.stackFile.text);
  const doc = isMap(parsed.contents) ? parsed : new Document(new YAMLMap());
  doc.delete("environment");
  const pending: PendingSecret[] = [];
  const config: Record<string, unknown> = {};
  for (const [key, entry] of Object.entries(resolved.config)) {
    const value = toYamlValue(entry.node, (path, plaintext) => {
      if (encrypt !== undefined) return { secure: encrypt(plaintext) };
      pending.push({ key, path, value: plaintext });
      return OMIT;
    }, []);
    if (value !== OMIT) config[key] = value;
  }
  doc.set("config", doc.createNode(config));
  return { text: doc.toString(), pendingSecrets: pending };
}

const OMIT = Symbol("omit");

function toYamlValue(node: ConfigNode, secret: (path: ConfigPath, plaintext: string) => unknown, path: (string | number)[]): unknown {
  switch (node.kind) {
    case "string":
      return node.secret ? secret(path, node.value) : node.value;
    case "number":
    case "boolean":
      return node.value;
    case "null":
      return null;
    case "ciphertext":
      return { secure: node.ciphertext };
    case "array":
      // an omitted element keeps its place: Pulumi sets it by index afterwards
      return node.items.map((item, i) => {
        const v = toYamlValue(item, secret, [...path, i]);
        return v === OMIT ? null : v;
      });
    case "object": {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(node.members)) {
        const value = toYamlValue(v, secret, [...path, k]);
        if (value !== OMIT) out[k] = value;
      }
      return out;
    }
  }
}
