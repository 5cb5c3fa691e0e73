/**
 * A Vault (or OpenBao) client for one provider call, over node-vault: only the address, namespace
 * and token the inputs name — never the server's own VAULT_ADDR/VAULT_TOKEN/VAULT_NAMESPACE, which
 * node-vault would otherwise fall back to — and each request bounded by the call's time left.
 */
import * as http from "node:http";
import * as https from "node:https";
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
  /** Closes every connection (also done when the call's signal aborts). */
  close(): void;
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
  // Connections of this call only: a time-out or the end of the call closes them (axios's own time-out
  // leaves a socket open on an endpoint that never answers).
  const httpAgent = new http.Agent({ keepAlive: false });
  const httpsAgent = new https.Agent({ keepAlive: false });
  const close = () => {
    httpAgent.destroy();
    httpsAgent.destroy();
  };
  call.signal.addEventListener("abort", close, { once: true });
  // A second past the call's deadline: the call fails at its time-out first.
  const options = () => ({ timeout: Math.max(1, call.remainingMs()) + 1000, httpAgent, httpsAgent });
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
    close() {
      call.signal.removeEventListener("abort", close);
      close();
    },
  };
}
