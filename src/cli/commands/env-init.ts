import { Command } from "commander";
import { EnvironmentSchema, type Environment } from "../../gen/openesc/v1/environment_pb.js";
import { createCliClient } from "../client.js";
import { referenceArg, withConnection, withExamples, withOutput, type ClientFlags } from "../command-options.js";
import type { CliContext } from "../context.js";
import { rpcError, writeWarnings } from "../errors.js";
import { outputFormat, writeMessage } from "../output.js";
import { readInput } from "../read-input.js";
import { formatReference, refKey } from "../reference.js";

interface Flags extends ClientFlags {
  readonly file?: string;
}

/** `openesc env init REF [-f FILE|-]`: creates an environment, optionally with a definition. */
export function envInitCommand(ctx: CliContext): Command {
  const cmd = new Command("init")
    .summary("create an environment")
    .description("create an environment (empty, or with the definition in FILE)")
    .argument("<ref>", "[org/][project/]env")
    .option("-f, --file <file>", 'the YAML definition ("-" reads standard input)');
  withOutput(withConnection(cmd));
  withExamples(cmd, [
    "openesc env init default/payments/dev",
    "openesc env init payments/dev -f dev.yaml",
    "cat dev.yaml | openesc env init acme/payments/dev -f -",
    "openesc env init payments/qa --output json",
  ]);
  return cmd.action(async (refText: string, flags: Flags) => {
    const format = outputFormat(flags);
    const client = createCliClient(ctx, flags);
    const ref = referenceArg(refText, client.defaultOrg, "none");
    const definition = flags.file === undefined ? "" : await readInput(ctx, flags.file);
    const name = formatReference(ref);
    let environment: Environment | undefined;
    try {
      const created = await client.environments.createEnvironment({ ...refKey(ref), definition });
      writeWarnings(ctx, created.diagnostics, name);
      environment = created.environment;
    } catch (e) {
      throw rpcError(e, name);
    }
    if (format === "json") return void writeMessage(ctx, EnvironmentSchema, environment);
    ctx.stdout.write(`Environment ${name} created.\n`);
  });
}
