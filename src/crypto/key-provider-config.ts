/**
 * Chooses and builds the key provider from flags and `OPENESC_*` variables (flags win), in one place
 * for `openesc serve` and `openesc admin keys rotate`:
 *
 * | setting | flag | variable | default |
 * | --- | --- | --- | --- |
 * | provider | `--key-provider local\|vault-transit` | `OPENESC_KEY_PROVIDER` | `local` |
 * | local key | — | `OPENESC_MASTER_KEY` (base64, or `V:BASE64,…`) | `DATA_DIR/master.key` |
 * | Vault address | `--vault-address` | `OPENESC_VAULT_ADDR`, then `VAULT_ADDR` | required |
 * | Vault token | — (never on a command line) | `OPENESC_VAULT_TOKEN`, then `VAULT_TOKEN` | required |
 * | transit mount | `--vault-transit-mount` | `OPENESC_VAULT_TRANSIT_MOUNT` | `transit` |
 * | transit key | `--vault-transit-key` | `OPENESC_VAULT_TRANSIT_KEY` | `openesc` |
 * | namespace | — | `OPENESC_VAULT_NAMESPACE`, then `VAULT_NAMESPACE` | none |
 */
import { KeyProviderError } from "./crypto-errors.js";
import type { KeyProvider } from "./key-provider.js";
import { createLocalKeyProvider, MASTER_KEY_FILE, MASTER_KEY_VARIABLE } from "./local-key-provider.js";
import { createVaultTransitKeyProvider } from "./vault-transit-key-provider.js";
import { join } from "node:path";

export interface KeyProviderFlags {
  readonly keyProvider?: string;
  readonly vaultAddress?: string;
  readonly vaultTransitMount?: string;
  readonly vaultTransitKey?: string;
}

export interface ResolvedKeyProvider {
  readonly provider: KeyProvider;
  /** Where the key comes from, for operator messages (`DATA_DIR/master.key`, `OPENESC_MASTER_KEY`, Vault …). */
  readonly source: string;
}

/** Builds the configured provider; throws KeyProviderError naming the missing or invalid setting. */
export function resolveKeyProvider(flags: KeyProviderFlags, env: NodeJS.ProcessEnv, dataDir: string): ResolvedKeyProvider {
  const kind = flags.keyProvider ?? env.OPENESC_KEY_PROVIDER ?? "local";
  if (kind === "local") {
    const masterKey = env[MASTER_KEY_VARIABLE];
    if (masterKey !== undefined && masterKey !== "") {
      return { provider: createLocalKeyProvider({ dataDir, masterKey }), source: MASTER_KEY_VARIABLE };
    }
    const file = join(dataDir, MASTER_KEY_FILE);
    return { provider: createLocalKeyProvider({ dataDir }), source: `the master key file ${file}` };
  }
  if (kind === "vault-transit") {
    const address = flags.vaultAddress ?? env.OPENESC_VAULT_ADDR ?? env.VAULT_ADDR;
    const token = env.OPENESC_VAULT_TOKEN ?? env.VAULT_TOKEN;
    if (address === undefined || address === "") throw new KeyProviderError("vault-transit needs --vault-address or OPENESC_VAULT_ADDR");
    if (token === undefined || token === "") throw new KeyProviderError("vault-transit needs a token in OPENESC_VAULT_TOKEN or VAULT_TOKEN");
    const mount = flags.vaultTransitMount ?? env.OPENESC_VAULT_TRANSIT_MOUNT ?? "transit";
    const keyName = flags.vaultTransitKey ?? env.OPENESC_VAULT_TRANSIT_KEY ?? "openesc";
    const namespace = env.OPENESC_VAULT_NAMESPACE ?? env.VAULT_NAMESPACE;
    const provider = createVaultTransitKeyProvider({ address, token, mount, keyName, ...(namespace ? { namespace } : {}) });
    return { provider, source: `the Vault transit key ${mount}/${keyName} at ${address}` };
  }
  throw new KeyProviderError(`unknown key provider "${kind}" (use local or vault-transit)`);
}
