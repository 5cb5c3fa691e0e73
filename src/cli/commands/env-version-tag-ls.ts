import { Command } from "commander";
import { RevisionTagSchema } from "../../gen/openesc/v1/revision_tag_pb.js";
import { createCliClient } from "../client.js";
import { referenceArg, withConnection, withExamples, withOutput, type ClientFlags } from "../command-options.js";
import type { CliContext } from "../context.js";
import { allPages, formatTime, messageJson, outputFormat, writeJson, writeTable } from "../output.js";
import { refKey } from "../reference.js";

/** `openesc env version tag ls REF`: the revision tags, `latest` included. */
export function envVersionTagLsCommand(ctx: CliContext): Command {
  const cmd = new Command("ls")
    .alias("list")
    .description("list an environment's revision tags (latest included)")
    .argument("<ref>", "[org/][project/]env");
  withOutput(withConnection(cmd));
  withExamples(cmd, ["openesc env version tag ls default/payments/dev", "openesc env version tag ls payments/dev --output json"]);
  return cmd.action(async (refText: string, flags: ClientFlags) => {
    const format = outputFormat(flags);
    const client = createCliClient(ctx, flags);
    const ref = referenceArg(refText, client.defaultOrg, "none");
    const tags = await allPages(async (pageToken) => {
      const page = await client.revisionTags.listRevisionTags({ ...refKey(ref), pageSize: 1000, pageToken });
      return { items: page.tags, next: page.nextPageToken };
    });
    if (format === "json") return void writeJson(ctx, tags.map((t) => messageJson(RevisionTagSchema, t)));
    writeTable(
      ctx,
      ["NAME", "REVISION", "EDITOR", "UPDATED"],
      tags.map((t) => [t.name, String(t.revision), t.editor, formatTime(t.updateTime)]),
    );
  });
}
