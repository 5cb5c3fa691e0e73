/**
 * A Vault (or OpenBao) client for one provider call, over node-vault: only the address, namespace
 * and token the inputs name — never the server's own VAULT_ADDR/VAULT_TOKEN/VAULT_NAMESPACE, which
 * node-vault would otherwise fall back to — and each request bounded by the call's time left.
 */
import vault from "node-vault";
import type { ProviderCall } from "./builtin-provider.js";
import { describeVaultError } from "./provider-error.js";

export interface VaultLocation {
  readonly address: string;
  readonly namespace?: string;
}

export interface VaultClient {
  read(path: string, what: string): Promise<VaultResponse>;
  write(path: string, data: Record<string, unknown>, what: string): Promise<VaultResponse>;
}

/** The parts of Vault's response bodies the providers read. */
export interface VaultResponse {
  readonly data?: Record<string, unknown>;
  readonly auth?: { readonly client_token?: string };
}

export function createVaultClient(location: VaultLocation, token: string | undefined, call: ProviderCall): VaultClient {
  const client = vault({ apiVersion: "v1", endpoint: location.address.replace(/\/+$/, "") });
  // Set after construction: the constructor treats a missing value as "use the process environment".
  client.token = token ?? "";
  (client as { pathPrefix?: string }).pathPrefix = "";
  (client as { namespace?: string }).namespace = location.namespace === "" ? undefined : location.namespace;
  const options = () => ({ timeout: Math.max(1, call.remainingMs()) });
  const guard = async (what: string, run: () => Promise<unknown>): Promise<VaultResponse> => {
    try {
      return ((await run()) ?? {}) as VaultResponse;
    } catch (err) {
      throw describeVaultError(what, err);
    }
  };
  return {
    read: (path, what) => guard(what, () => client.read(path, options())),
    write: (path, data, what) => guard(what, () => client.write(path, data, options())),
  };
}
