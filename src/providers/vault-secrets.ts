/**
 * `vault-secrets`: values read from Vault's KV engines (version 1 and 2) with a `vault-login`
 * output. `path` is the logical path (`secret/app`); for a KV v2 mount the `data/` segment is added
 * (a path that already has it is used as is), and the secret's data is returned, or one `field` of it.
 * Every value is secret.
 */
import { secret, type Json } from "../esc/index.js";
import type { BuiltinProvider } from "./builtin-provider.js";
import { ProviderError } from "./provider-error.js";
import { secretString, stringSchema } from "./schemas.js";
import { createVaultClient, type VaultClient } from "./vault-client.js";

interface ReadRef {
  readonly path: string;
  readonly field?: string;
}

interface Inputs {
  readonly login: { readonly address: string; readonly namespace?: string; readonly token: string };
  readonly read: Readonly<Record<string, ReadRef>>;
}

export const vaultSecrets: BuiltinProvider = {
  name: "vault-secrets",
  description: "values from Vault's KV secrets engines (v1 and v2), by name",
  inputSchema: {
    type: "object",
    properties: {
      login: {
        type: "object",
        description: "a vault-login output",
        properties: { address: stringSchema("Vault's address", { pattern: "^https?://" }), namespace: stringSchema("the namespace; empty for none"), token: secretString("a Vault token") },
        required: ["address", "token"],
      },
      read: {
        type: "object",
        description: "NAME: {path, field?} for each value to read (at most 100)",
        maxProperties: 100,
        additionalProperties: {
          type: "object",
          properties: {
            path: stringSchema("the secret's path, e.g. secret/app", { minLength: 1, pattern: "^[^/].*[^/]$|^[^/]$" }),
            field: stringSchema("one field of the secret; default the whole secret", { minLength: 1 }),
          },
          required: ["path"],
          additionalProperties: false,
        },
      },
    },
    required: ["login", "read"],
    additionalProperties: false,
  },
  outputSchema: { type: "object", additionalProperties: { secret: true }, secret: true },
  async open(raw, call) {
    const inputs = raw as unknown as Inputs;
    const vault = createVaultClient(inputs.login, inputs.login.token, call);
    const reads = Promise.all(
      Object.entries(inputs.read).map(async ([name, ref]): Promise<[string, Json]> => {
        const what = `reading ${JSON.stringify(ref.path)} (${name})`;
        const mount = await kvMountOf(vault, ref.path);
        const { path, nested } = dataPath(ref.path, mount);
        const res = await vault.read(path, what);
        const body = res.data ?? {};
        const data = (nested || (mount === undefined && isKv2Body(body)) ? (body["data"] as Record<string, Json> | null) : (body as Record<string, Json>)) ?? undefined;
        if (data === undefined) throw new ProviderError("not_found", `${what}: the secret is deleted or destroyed`);
        if (ref.field === undefined) return [name, data];
        if (!Object.hasOwn(data, ref.field)) throw new ProviderError("not_found", `${what}: no field ${JSON.stringify(ref.field)}`);
        return [name, data[ref.field] as Json];
      }),
    );
    try {
      return secret(Object.fromEntries(await reads));
    } finally {
      vault.close();
    }
  },
};

interface KvMount {
  /** The mount path with a trailing slash, e.g. `secret/`. */
  readonly path: string;
  readonly version: 1 | 2;
}

// Vault's own CLI asks sys/internal/ui/mounts which engine serves a path; without permission for
// that, the response shape tells KV v2 apart.
async function kvMountOf(vault: VaultClient, path: string): Promise<KvMount | undefined> {
  try {
    const d = (await vault.read(`sys/internal/ui/mounts/${path}`, "mount lookup")).data ?? {};
    const mountPath = typeof d["path"] === "string" ? d["path"] : undefined;
    const type = d["type"];
    const version = (d["options"] as { version?: string } | null | undefined)?.version;
    if (mountPath === undefined || (type !== "kv" && type !== "generic")) return undefined;
    return { path: mountPath, version: version === "2" ? 2 : 1 };
  } catch {
    return undefined;
  }
}

function dataPath(path: string, mount: KvMount | undefined): { path: string; nested: boolean } {
  if (mount === undefined || mount.version === 1 || !path.startsWith(mount.path)) return { path, nested: false };
  const rest = path.slice(mount.path.length);
  return { path: rest.startsWith("data/") ? path : `${mount.path}data/${rest}`, nested: true };
}

function isKv2Body(body: Record<string, unknown>): boolean {
  return typeof body["data"] === "object" && typeof body["metadata"] === "object" && Object.keys(body).length === 2;
}
