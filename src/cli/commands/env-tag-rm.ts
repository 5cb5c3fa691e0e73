import { Command } from "commander";
import { createCliClient } from "../client.js";
import { referenceArg, withConnection, withExamples, type ClientFlags } from "../command-options.js";
import type { CliContext } from "../context.js";
import { formatReference, refKey } from "../reference.js";

/** `openesc env tag rm REF NAME`. */
export function envTagRmCommand(ctx: CliContext): Command {
  const cmd = new Command("rm").description("delete an environment tag").argument("<ref>", "[org/][project/]env").argument("<name>", "the tag's name");
  withConnection(cmd);
  withExamples(cmd, ["openesc env tag rm default/payments/dev team"]);
  return cmd.action(async (refText: string, name: string, flags: ClientFlags) => {
    const client = createCliClient(ctx, flags);
    const ref = referenceArg(refText, client.defaultOrg, "none");
    await client.environmentTags.deleteEnvironmentTag({ ...refKey(ref), name });
    ctx.stdout.write(`Deleted tag ${name} of ${formatReference(ref)}.\n`);
  });
}
