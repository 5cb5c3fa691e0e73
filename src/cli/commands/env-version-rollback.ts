import { Command } from "commander";
import { createCliClient } from "../client.js";
import { referenceArg, withConnection, withExamples, type ClientFlags } from "../command-options.js";
import type { CliContext } from "../context.js";
import { formatReference, isRevisionNumber, refKey } from "../reference.js";

/** `openesc env version rollback REF@V`: a new revision with the definition of an earlier one. */
export function envVersionRollbackCommand(ctx: CliContext): Command {
  const cmd = new Command("rollback")
    .summary("roll back to a revision")
    .description("write a new revision whose definition is that of an earlier revision")
    .argument("<ref>", "[org/][project/]env@version");
  withConnection(cmd);
  withExamples(cmd, ["openesc env version rollback default/payments/dev@1", "openesc env version rollback payments/dev@stable"]);
  return cmd.action(async (refText: string, flags: ClientFlags) => {
    const client = createCliClient(ctx, flags);
    const ref = referenceArg(refText, client.defaultOrg, "required");
    const res = await client.revisions.rollbackEnvironment({ ...refKey(ref), version: ref.version ?? "" });
    const to = isRevisionNumber(ref.version ?? "") ? `revision ${ref.version}` : ref.version;
    ctx.stdout.write(`Rolled back ${formatReference(ref)} to ${to}: wrote revision ${res.revision?.number ?? 0n}.\n`);
  });
}
