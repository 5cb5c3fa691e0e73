import { Command } from "commander";
import { EnvironmentTagSchema } from "../../gen/openesc/v1/environment_tag_pb.js";
import { createCliClient } from "../client.js";
import { referenceArg, withConnection, withExamples, withOutput, type ClientFlags } from "../command-options.js";
import type { CliContext } from "../context.js";
import { allPages, formatTime, messageJson, outputFormat, writeJson, writeTable } from "../output.js";
import { refKey } from "../reference.js";

/** `openesc env tag ls REF`: every environment tag, by name. */
export function envTagLsCommand(ctx: CliContext): Command {
  const cmd = new Command("ls").alias("list").description("list an environment's tags").argument("<ref>", "[org/][project/]env");
  withOutput(withConnection(cmd));
  withExamples(cmd, ["openesc env tag ls default/payments/dev", "openesc env tag ls payments/dev --output json"]);
  return cmd.action(async (refText: string, flags: ClientFlags) => {
    const format = outputFormat(flags);
    const client = createCliClient(ctx, flags);
    const ref = referenceArg(refText, client.defaultOrg, "none");
    const tags = await allPages(async (pageToken) => {
      const page = await client.environmentTags.listEnvironmentTags({ ...refKey(ref), pageSize: 1000, pageToken });
      return { items: page.tags, next: page.nextPageToken };
    });
    if (format === "json") return void writeJson(ctx, tags.map((t) => messageJson(EnvironmentTagSchema, t)));
    writeTable(ctx, ["NAME", "VALUE", "EDITOR", "UPDATED"], tags.map((t) => [t.name, t.value, t.editor, formatTime(t.updateTime)]));
  });
}
