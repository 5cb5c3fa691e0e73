import { Command } from "commander";
import { createCliClient, readCaFile, resolveConnection } from "../client.js";
import { withConnection, withExamples, withOutput, type ClientFlags } from "../command-options.js";
import { CliError, type CliContext } from "../context.js";
import { runDoctorChecks, type CheckResult } from "../doctor-checks.js";
import { outputFormat, writeJson } from "../output.js";
import { CLI_VERSION } from "../version.js";

interface Flags extends ClientFlags {
  readonly timeout?: string;
}

/**
 * `openesc doctor`: checks the server URL, that it answers (/healthz, /readyz), its TLS certificate,
 * the token (WhoAmI) and the server's version against the client's; one line per check, exit 1
 * when any check fails.
 */
export function doctorCommand(ctx: CliContext): Command {
  const cmd = new Command("doctor")
    .summary("check the connection, token, TLS and versions")
    .description(
      "check the connection to the server the other commands use: that it answers (/healthz, /readyz), " +
        "its TLS certificate (trusted, for how long), the token (WhoAmI) and the server's version against this " +
        "client's. Prints one line per check (ok, warn, fail, skip) and exits 1 when a check fails",
    )
    .option("--timeout <seconds>", "how long to wait for each network step", "10");
  withOutput(withConnection(cmd));
  withExamples(cmd, [
    "openesc doctor",
    "openesc doctor --url https://esc.example.com --ca-file ca.pem",
    "OPENESC_TOKEN=… openesc doctor --output json",
  ]);
  return cmd.action(async (flags: Flags) => {
    const format = outputFormat(flags);
    const seconds = Number(flags.timeout);
    if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 600) {
      throw new CliError(`invalid --timeout "${flags.timeout}": expected seconds between 0 and 600`, 2);
    }
    const connection = resolveConnection(ctx, flags);
    const ca = connection.tls.caFile === undefined ? undefined : readCaFile(connection.tls.caFile);
    const client = createCliClient(ctx, flags);
    const checks = await runDoctorChecks({
      connection,
      ...(ca !== undefined ? { ca } : {}),
      clientVersion: CLI_VERSION,
      whoAmI: () => client.identity.whoAmI({}, { timeoutMs: seconds * 1000 }),
      timeoutMs: seconds * 1000,
    });
    const failed = checks.filter((c) => c.status === "fail").length;
    if (format === "json") writeJson(ctx, { url: connection.url ?? null, clientVersion: CLI_VERSION, ok: failed === 0, checks });
    else ctx.stdout.write(formatChecks(checks));
    if (failed > 0) throw new CliError(`${failed} of ${checks.length} checks failed`);
  });
}

/** `STATUS  NAME        message`, aligned. */
export function formatChecks(checks: readonly CheckResult[]): string {
  const width = Math.max(...checks.map((c) => c.name.length));
  return checks.map((c) => `${c.status.padEnd(4)}  ${c.name.padEnd(width)}  ${c.message}\n`).join("");
}
