import { ConnectError } from "@connectrpc/connect";
import { Command, CommanderError } from "commander";
import { CliError, processContext, type CliContext } from "./context.js";
import { CommandExit } from "./command-exit.js";
import { withExamples } from "./command-options.js";
import { registerCommands } from "./commands/index.js";
import { rpcError } from "./errors.js";
import { CLI_VERSION } from "./version.js";

/**
 * The `openesc` entry point: parses argv, runs one command and returns the exit status
 * (0 ok, 1 failed operation, 2 bad usage). Errors print one `error: …` line to stderr.
 */
export async function main(argv: readonly string[], ctx: CliContext = processContext()): Promise<number> {
  const program = new Command("openesc")
    .description("OpenESC: environments, secrets and configuration")
    .version(CLI_VERSION, "-v, --version")
    .exitOverride()
    .enablePositionalOptions()
    .configureOutput({
      writeOut: (s) => ctx.stdout.write(s),
      writeErr: (s) => ctx.stderr.write(s),
      // usage errors are one `error: …` line like every other error: commander's suggestion joins it
      outputError: (s, write) => write(oneLine(s)),
    });
  withExamples(program, [
    "openesc serve                                   # a server on 127.0.0.1:8080 (SQLite in ./.openesc)",
    'openesc login http://127.0.0.1:8080 --token "$(cat .openesc/admin.token)"',
    "openesc doctor",
    "openesc env init payments/dev && openesc env set payments/dev db.host db.internal",
    "openesc run payments/dev -- ./deploy.sh",
    "source <(openesc completion bash)",
  ]);
  let work: Promise<void> | undefined;
  try {
    await registerCommands(
      program,
      ctx,
      (w) => {
        work = w;
      },
      argv,
    );
    await program.parseAsync([...argv], { from: "user" });
    if (work !== undefined) await work;
    return 0;
  } catch (e) {
    return report(e, ctx);
  }
}

/** `error: unknown command 'lss'\n(Did you mean ls?)\n` → `error: unknown command 'lss' (did you mean ls?)\n`. */
export function oneLine(message: string): string {
  return `${message.trimEnd().replace(/\n\(Did you mean (.*)\?\)$/, " (did you mean $1?)").replaceAll("\n", " ")}\n`;
}

function report(e: unknown, ctx: CliContext): number {
  if (e instanceof CommanderError) {
    // help and version exit 0; commander already printed usage errors
    return e.exitCode === 0 ? 0 : 2;
  }
  if (e instanceof CommandExit) return e.exitCode;
  if (e instanceof ConnectError) e = rpcError(e);
  if (e instanceof CliError) {
    for (const line of e.details) ctx.stderr.write(`${line}\n`);
    ctx.stderr.write(`error: ${e.message}\n`);
    return e.exitCode;
  }
  // the server's ConfigError, matched by name: the server module loads only for the commands that need it
  if (e instanceof Error && e.name === "ConfigError") {
    ctx.stderr.write(`error: ${e.message}\n`);
    return 2;
  }
  const message = e instanceof Error ? e.message : String(e);
  ctx.stderr.write(`error: ${message}\n`);
  return 1;
}
