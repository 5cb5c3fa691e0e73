import { Command } from "commander";
import { withExamples, withOutput } from "../command-options.js";
import { CliError, type CliContext } from "../context.js";
import { outputFormat, writeJson } from "../output.js";

interface Flags {
  readonly database?: string;
  readonly dataDir?: string;
  readonly output?: string;
}

/** `openesc admin migrate`: applies pending migrations directly on the store (no server needed). */
export function adminMigrateCommand(ctx: CliContext): Command {
  const cmd = new Command("migrate")
    .summary("apply database migrations")
    .description("apply pending database migrations (the server also does this at start)")
    .option("--database <url>", "sqlite:PATH or postgres://… (env OPENESC_DATABASE_URL; default sqlite:DATA_DIR/openesc.db)")
    .option("--data-dir <dir>", "data directory (env OPENESC_DATA_DIR; default ./.openesc)");
  withOutput(cmd);
  withExamples(cmd, [
    "openesc admin migrate",
    "openesc admin migrate --data-dir /var/lib/openesc",
    "openesc admin migrate --database postgres://openesc@db/openesc",
    "openesc admin migrate --output json   # {database, applied: [names]}",
  ]);
  return cmd.action(async (flags: Flags) => {
    const format = outputFormat(flags);
    // the server and store modules (and their database drivers) load only for this command
    const { resolveServerConfig } = await import("../../server/index.js");
    const config = resolveServerConfig({ database: flags.database, dataDir: flags.dataDir }, { ...ctx.env, OPENESC_LISTEN: undefined });
    if (config.databaseUrl.startsWith("sqlite:")) {
      const { mkdirSync } = await import("node:fs");
      const { dirname } = await import("node:path");
      mkdirSync(dirname(config.databaseUrl.slice("sqlite:".length)), { recursive: true });
    }
    const { openStore } = await import("../../store/index.js");
    const store = await openStore({ url: config.databaseUrl });
    try {
      const result = await store.migrate();
      if (result.error !== undefined) {
        throw new CliError(`migration failed after ${result.applied.length} step(s) on ${store.displayUrl}: ${result.error.message}`);
      }
      if (format === "json") return void writeJson(ctx, { database: store.displayUrl, applied: result.applied });
      ctx.stdout.write(
        result.applied.length === 0
          ? `${store.displayUrl} is up to date.\n`
          : `Applied ${result.applied.length} migration(s) to ${store.displayUrl}: ${result.applied.join(", ")}.\n`,
      );
    } finally {
      await store.close();
    }
  });
}
