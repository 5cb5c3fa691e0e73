import { Command, Option } from "commander";
import { withExamples } from "../command-options.js";
import { CliError, usageError, type CliContext } from "../context.js";

interface Flags {
  readonly database?: string;
  readonly dataDir?: string;
  readonly keyProvider?: string;
  readonly vaultAddress?: string;
  readonly vaultTransitMount?: string;
  readonly vaultTransitKey?: string;
}

/**
 * `openesc admin oidc rotate-key`: a new OIDC signing key becomes active, directly on the store (no
 * server needed). Running servers sign with it within seconds; the previous key stays in their JWKS
 * for their grace period (--oidc-key-grace-seconds, default 24 h), so tokens it signed keep verifying.
 */
export function adminOidcRotateKeyCommand(ctx: CliContext): Command {
  const cmd = new Command("rotate-key")
    .summary("rotate the OIDC signing key")
    .description(
      "create a new OIDC signing key and make it the one new tokens are signed with; the previous key stays in the JWKS " +
        "for the servers' grace period (serve --oidc-key-grace-seconds), so tokens it signed keep verifying. The private key is sealed " +
        "with the server's key provider, like secrets",
    )
    .option("--database <url>", "sqlite:PATH or postgres://… (env OPENESC_DATABASE_URL; default sqlite:DATA_DIR/openesc.db)")
    .option("--data-dir <dir>", "data directory holding master.key (env OPENESC_DATA_DIR; default ./.openesc)")
    .addOption(new Option("--key-provider <name>", "key provider (env OPENESC_KEY_PROVIDER; default local)").choices(["local", "vault-transit"]))
    .option("--vault-address <url>", "Vault address for vault-transit (env OPENESC_VAULT_ADDR or VAULT_ADDR); the token comes from OPENESC_VAULT_TOKEN or VAULT_TOKEN")
    .option("--vault-transit-mount <path>", "transit mount (env OPENESC_VAULT_TRANSIT_MOUNT; default transit)")
    .option("--vault-transit-key <name>", "transit key (env OPENESC_VAULT_TRANSIT_KEY; default openesc)");
  withExamples(cmd, ["openesc admin oidc rotate-key", "openesc admin oidc rotate-key --database postgres://openesc@db/openesc"]);
  return cmd.action(async (flags: Flags) => {
    const { resolveServerConfig } = await import("../../server/index.js");
    const config = resolveServerConfig({ database: flags.database, dataDir: flags.dataDir }, { ...ctx.env, OPENESC_LISTEN: undefined });
    const crypto = await import("../../crypto/index.js");
    let resolved: ReturnType<typeof crypto.resolveKeyProvider>;
    try {
      resolved = crypto.resolveKeyProvider(flags, ctx.env, config.dataDir);
    } catch (err) {
      throw usageError((err as Error).message);
    }
    const { createOidcKeyRepository, openStore } = await import("../../store/index.js");
    const { rotateSigningKey } = await import("../../oidc/index.js");
    const store = await openStore({ url: config.databaseUrl });
    try {
      const migrated = await store.migrate();
      if (migrated.error !== undefined) throw new CliError(`migration failed on ${store.displayUrl}: ${migrated.error.message}`);
      // never seal a key under a master key the database was not written with
      await crypto.initKeyring({ keys: store.keys, provider: resolved.provider, keySource: resolved.source });
      const sealer = crypto.createSecretCrypto({ keys: store.keys, provider: resolved.provider });
      const result = await rotateSigningKey({ repository: createOidcKeyRepository(store.db), sealer });
      ctx.stdout.write(
        `Rotated the OIDC signing key on ${store.displayUrl}: new key ${result.kid}` +
          (result.retired === undefined ? "" : `; ${result.retired} stays in the JWKS for the grace period`) +
          ".\n",
      );
    } catch (err) {
      if (err instanceof crypto.KeyringMismatchError || err instanceof crypto.KeyProviderError) throw new CliError(err.message);
      throw err;
    } finally {
      await store.close();
    }
  });
}
