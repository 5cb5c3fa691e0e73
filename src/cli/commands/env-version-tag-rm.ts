import { Command } from "commander";
import { createCliClient } from "../client.js";
import { referenceArg, withConnection, withExamples, type ClientFlags } from "../command-options.js";
import type { CliContext } from "../context.js";
import { formatReference, refKey } from "../reference.js";

/** `openesc env version tag rm REF@TAG`. */
export function envVersionTagRmCommand(ctx: CliContext): Command {
  const cmd = new Command("rm").description("delete a revision tag").argument("<ref>", "[org/][project/]env@tag");
  withConnection(cmd);
  withExamples(cmd, ["openesc env version tag rm default/payments/dev@stable"]);
  return cmd.action(async (refText: string, flags: ClientFlags) => {
    const client = createCliClient(ctx, flags);
    const ref = referenceArg(refText, client.defaultOrg, "required");
    await client.revisionTags.deleteRevisionTag({ ...refKey(ref), tag: ref.version as string });
    ctx.stdout.write(`Deleted tag ${ref.version} of ${formatReference(ref)}.\n`);
  });
}
