import { Command } from "commander";
import { RetractRevisionResponseSchema } from "../../gen/openesc/v1/revision_pb.js";
import { createCliClient } from "../client.js";
import { referenceArg, withConnection, withExamples, withOutput, type ClientFlags } from "../command-options.js";
import type { CliContext } from "../context.js";
import { messageJson, outputFormat, writeJson } from "../output.js";
import { formatReference, refKey } from "../reference.js";
import { resolveRevisionNumber } from "../revision-number.js";

interface Flags extends ClientFlags {
  readonly replaceWith?: string;
  readonly reason?: string;
}

/** `openesc env version retract REF@V [--replace-with @N] [--reason R]`. */
export function envVersionRetractCommand(ctx: CliContext): Command {
  const cmd = new Command("retract")
    .summary("retract a revision")
    .description(
      "retract a revision: it stays in the history but is no longer served. Retracting the latest revision " +
        "writes a new revision with the replacement's content",
    )
    .argument("<ref>", "[org/][project/]env@version")
    .option("--replace-with <version>", "the revision served instead (default: the newest earlier one not retracted)")
    .option("--reason <text>", "why the revision is retracted");
  withOutput(withConnection(cmd));
  withExamples(cmd, [
    "openesc env version retract default/payments/dev@3 --reason 'leaked a password'",
    "openesc env version retract payments/dev@3 --replace-with @1",
    "openesc env version retract payments/dev@4 --output json",
  ]);
  return cmd.action(async (refText: string, flags: Flags) => {
    const format = outputFormat(flags);
    const client = createCliClient(ctx, flags);
    const ref = referenceArg(refText, client.defaultOrg, "required");
    const revision = await resolveRevisionNumber(client, ref, ref.version as string);
    const replacement = flags.replaceWith === undefined ? 0n : await resolveRevisionNumber(client, ref, flags.replaceWith);
    const res = await client.revisions.retractRevision({ ...refKey(ref), revision, replacementRevision: replacement, reason: flags.reason ?? "" });
    // {revision: the retracted one, newRevision: the one written when it was the latest, else "0"}
    if (format === "json") return void writeJson(ctx, messageJson(RetractRevisionResponseSchema, res));
    const by = res.revision?.replacementRevision ?? 0n;
    let out = `Retracted revision ${revision} of ${formatReference(ref)}${by > 0n ? `, replaced by revision ${by}` : ""}.\n`;
    if (res.newRevision > 0n) out += `Wrote revision ${res.newRevision} with the content of revision ${by}.\n`;
    ctx.stdout.write(out);
  });
}
