import { Command } from "commander";
import { RevisionSchema } from "../../gen/openesc/v1/revision_pb.js";
import { createCliClient } from "../client.js";
import { referenceArg, withConnection, withExamples, withOutput, type ClientFlags } from "../command-options.js";
import type { CliContext } from "../context.js";
import { allPages, formatTime, messageJson, outputFormat, writeJson, writeTable } from "../output.js";
import { refKey } from "../reference.js";

/** `openesc env version history REF`: every revision, newest first. */
export function envVersionHistoryCommand(ctx: CliContext): Command {
  const cmd = new Command("history")
    .summary("list revisions")
    .alias("ls")
    .description("list an environment's revisions, newest first")
    .argument("<ref>", "[org/][project/]env");
  withOutput(withConnection(cmd));
  withExamples(cmd, ["openesc env version history default/payments/dev", "openesc env version history payments/dev --output json"]);
  return cmd.action(async (refText: string, flags: ClientFlags) => {
    const format = outputFormat(flags);
    const client = createCliClient(ctx, flags);
    const ref = referenceArg(refText, client.defaultOrg, "none");
    const revisions = await allPages(async (pageToken) => {
      const page = await client.revisions.listRevisions({ ...refKey(ref), pageSize: 1000, pageToken });
      return { items: page.revisions, next: page.nextPageToken };
    });
    if (format === "json") return void writeJson(ctx, revisions.map((r) => messageJson(RevisionSchema, r)));
    writeTable(
      ctx,
      ["REVISION", "AUTHOR", "TIME", "TAGS", "RETRACTED"],
      revisions.map((r) => [
        String(r.number),
        r.author,
        formatTime(r.createTime),
        r.tags.join(","),
        r.retracted ? `yes${r.replacementRevision > 0n ? ` (→ ${r.replacementRevision})` : ""}${r.retractionReason !== "" ? `: ${r.retractionReason}` : ""}` : "",
      ]),
    );
  });
}
