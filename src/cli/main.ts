import { ConnectError } from "@connectrpc/connect";
import { Command, CommanderError } from "commander";
import { ConfigError, SERVER_VERSION } from "../server/index.js";
import { CliError, processContext, type CliContext } from "./context.js";
import { registerCommands } from "./commands/index.js";
import { rpcError } from "./errors.js";

/**
 * The `openesc` entry point: parses argv, runs one command and returns the exit status
 * (0 ok, 1 failed operation, 2 bad usage). Errors print one `error: …` line to stderr.
 */
export async function main(argv: readonly string[], ctx: CliContext = processContext()): Promise<number> {
  const program = new Command("openesc")
    .description("OpenESC: environments, secrets and configuration")
    .version(SERVER_VERSION, "-v, --version")
    .exitOverride()
    .enablePositionalOptions()
    .configureOutput({
      writeOut: (s) => ctx.stdout.write(s),
      writeErr: (s) => ctx.stderr.write(s),
    });
  let work: Promise<void> | undefined;
  registerCommands(program, ctx, (w) => {
    work = w;
  });
  try {
    await program.parseAsync([...argv], { from: "user" });
    if (work !== undefined) await work;
    return 0;
  } catch (e) {
    return report(e, ctx);
  }
}

function report(e: unknown, ctx: CliContext): number {
  if (e instanceof CommanderError) {
    // help and version exit 0; commander already printed usage errors
    return e.exitCode === 0 ? 0 : 2;
  }
  if (e instanceof ConnectError) e = rpcError(e);
  if (e instanceof CliError) {
    for (const line of e.details) ctx.stderr.write(`${line}\n`);
    ctx.stderr.write(`error: ${e.message}\n`);
    return e.exitCode;
  }
  if (e instanceof ConfigError) {
    ctx.stderr.write(`error: ${e.message}\n`);
    return 2;
  }
  const message = e instanceof Error ? e.message : String(e);
  ctx.stderr.write(`error: ${message}\n`);
  return 1;
}
