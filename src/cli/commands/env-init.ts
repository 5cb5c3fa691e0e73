import { Command } from "commander";
import { createCliClient } from "../client.js";
import { referenceArg, withConnection, withExamples, type ClientFlags } from "../command-options.js";
import type { CliContext } from "../context.js";
import { rpcError, writeWarnings } from "../errors.js";
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
  withConnection(cmd);
  withExamples(cmd, ["openesc env init default/payments/dev", "openesc env init payments/dev -f dev.yaml", "cat dev.yaml | openesc env init acme/payments/dev -f -"]);
  return cmd.action(async (refText: string, flags: Flags) => {
    const client = createCliClient(ctx, flags);
    const ref = referenceArg(refText, client.defaultOrg, "none");
    const definition = flags.file === undefined ? "" : await readInput(ctx, flags.file);
    const name = formatReference(ref);
    try {
      const created = await client.environments.createEnvironment({ ...refKey(ref), definition });
      writeWarnings(ctx, created.diagnostics, name);
    } catch (e) {
      throw rpcError(e, name);
    }
    ctx.stdout.write(`Environment ${name} created.\n`);
  });
}
