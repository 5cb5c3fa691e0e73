import { Command } from "commander";
import { RevisionSchema } from "../../gen/openesc/v1/revision_pb.js";
import { createCliClient } from "../client.js";
import { referenceArg, withConnection, withExamples, withOutput, type ClientFlags } from "../command-options.js";
import type { CliContext } from "../context.js";
import { outputFormat, writeMessage } from "../output.js";
import { formatReference, isRevisionNumber, refKey } from "../reference.js";

/** `openesc env version rollback REF@V`: a new revision with the definition of an earlier one. */
export function envVersionRollbackCommand(ctx: CliContext): Command {
  const cmd = new Command("rollback")
    .summary("roll back to a revision")
    .description("write a new revision whose definition is that of an earlier revision")
    .argument("<ref>", "[org/][project/]env@version");
  withOutput(withConnection(cmd));
  withExamples(cmd, [
    "openesc env version rollback default/payments/dev@1",
    "openesc env version rollback payments/dev@stable",
    "openesc env version rollback payments/dev@2 --output json   # the new revision",
  ]);
  return cmd.action(async (refText: string, flags: ClientFlags) => {
    const format = outputFormat(flags);
    const client = createCliClient(ctx, flags);
    const ref = referenceArg(refText, client.defaultOrg, "required");
    const res = await client.revisions.rollbackEnvironment({ ...refKey(ref), version: ref.version ?? "" });
    if (format === "json") return void writeMessage(ctx, RevisionSchema, res.revision);
    const to = isRevisionNumber(ref.version ?? "") ? `revision ${ref.version}` : ref.version;
    ctx.stdout.write(`Rolled back ${formatReference(ref)} to ${to}: wrote revision ${res.revision?.number ?? 0n}.\n`);
  });
}
