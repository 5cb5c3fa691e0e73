import { Command, Option } from "commander";
import { withExamples, withOutput } from "../command-options.js";
import { CliError, usageError, type CliContext } from "../context.js";
import { outputFormat, writeJson } from "../output.js";
import { withProgress } from "../progress.js";

interface Flags {
  readonly database?: string;
  readonly dataDir?: string;
  readonly reencrypt?: boolean;
  readonly rewrapOnly?: boolean;
  readonly keyProvider?: string;
  readonly vaultAddress?: string;
  readonly vaultTransitMount?: string;
  readonly vaultTransitKey?: string;
  readonly output?: string;
}

/**
 * `openesc admin keys rotate`: a new key-encryption-key version (local key file) or a transit key
 * rotation, then every data key rewrapped under it, directly on the store (no server needed; running
 * servers keep decrypting). `--reencrypt` also gives every environment a new data key and writes its
 * latest definition again under it as a new revision (author `system:key-rotation`).
 */
export function adminKeysRotateCommand(ctx: CliContext): Command {
  const cmd = new Command("rotate")
    .summary("rotate the master key and rewrap every data key")
    .description(
      "create a new master key version (local) or rotate the Vault transit key, then rewrap every environment's data key under it; " +
        "old ciphertext keeps decrypting. With --reencrypt, every environment also gets a new data key and a new revision re-encrypted under it",
    )
    .option("--reencrypt", "also re-encrypt every environment's latest definition under a new data key (writes new revisions)")
    .option("--rewrap-only", "do not create a key version: rewrap under the newest one (after adding a version to OPENESC_MASTER_KEY)")
    .option("--database <url>", "sqlite:PATH or postgres://… (env OPENESC_DATABASE_URL; default sqlite:DATA_DIR/openesc.db)")
    .option("--data-dir <dir>", "data directory holding master.key (env OPENESC_DATA_DIR; default ./.openesc)")
    .addOption(new Option("--key-provider <name>", "key provider (env OPENESC_KEY_PROVIDER; default local)").choices(["local", "vault-transit"]))
    .option("--vault-address <url>", "Vault address for vault-transit (env OPENESC_VAULT_ADDR or VAULT_ADDR); the token comes from OPENESC_VAULT_TOKEN or VAULT_TOKEN")
    .option("--vault-transit-mount <path>", "transit mount (env OPENESC_VAULT_TRANSIT_MOUNT; default transit)")
    .option("--vault-transit-key <name>", "transit key (env OPENESC_VAULT_TRANSIT_KEY; default openesc)");
  withOutput(cmd);
  withExamples(cmd, [
    "openesc admin keys rotate",
    "openesc admin keys rotate --reencrypt --data-dir /var/lib/openesc",
    "VAULT_TOKEN=… openesc admin keys rotate --key-provider vault-transit --vault-address https://vault:8200",
    "openesc admin keys rotate --output json",
  ]);
  return cmd.action(async (flags: Flags) => {
    const format = outputFormat(flags);
    const { resolveServerConfig } = await import("../../server/index.js");
    const config = resolveServerConfig({ database: flags.database, dataDir: flags.dataDir }, { ...ctx.env, OPENESC_LISTEN: undefined });
    const crypto = await import("../../crypto/index.js");
    let resolved: ReturnType<typeof crypto.resolveKeyProvider>;
    try {
      resolved = crypto.resolveKeyProvider(flags, ctx.env, config.dataDir);
    } catch (err) {
      throw usageError((err as Error).message);
    }
    const { openStore } = await import("../../store/index.js");
    const store = await openStore({ url: config.databaseUrl });
    try {
      const migrated = await store.migrate();
      if (migrated.error !== undefined) throw new CliError(`migration failed on ${store.displayUrl}: ${migrated.error.message}`);
      const { provider } = resolved;
      // never rotate over a database written with another key
      await crypto.initKeyring({ keys: store.keys, provider, keySource: resolved.source });
      const secrets = crypto.createSecretCrypto({ keys: store.keys, provider });
      // every data key is rewrapped (and with --reencrypt every environment rewritten): show that it is working
      const result = await withProgress(ctx, flags.reencrypt === true ? "Rotating keys and re-encrypting environments" : "Rotating keys and rewrapping data keys", () =>
        crypto.rotateKeys({
          keys: store.keys,
          provider,
          rotateKek: flags.rewrapOnly !== true,
          ...(flags.reencrypt === true ? { reencrypt: { crypto: secrets, environments: store.environments } } : {}),
        }),
      );
      if (format === "json") return void writeJson(ctx, { database: store.displayUrl, ...result });
      const lines = [
        `${flags.rewrapOnly === true ? "Rewrapped under" : "Rotated to"} ${result.provider} key version ${result.activeVersion} on ${store.displayUrl}: ` +
          `${result.rewrapped} data key(s) rewrapped, ${result.unchanged} already current` +
          (result.foreign > 0 ? `, ${result.foreign} of another provider left alone` : "") +
          ".",
      ];
      if (flags.reencrypt === true) {
        lines.push(
          `Re-encrypted ${result.newDataKeys} environment(s) under new data keys: ${result.revisionsWritten} new revision(s) by ${crypto.KEY_ROTATION_AUTHOR}.`,
        );
      }
      ctx.stdout.write(`${lines.join("\n")}\n`);
    } catch (err) {
      if (err instanceof crypto.KeyringMismatchError || err instanceof crypto.KeyProviderError) throw new CliError(err.message);
      throw err;
    } finally {
      await store.close();
    }
  });
}
