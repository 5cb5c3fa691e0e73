import { Command } from "commander";
import { EnvironmentTagSchema } from "../../gen/openesc/v1/environment_tag_pb.js";
import { createCliClient } from "../client.js";
import { referenceArg, withConnection, withExamples, withOutput, type ClientFlags } from "../command-options.js";
import type { CliContext } from "../context.js";
import { messageJson, outputFormat, writeJson } from "../output.js";
import { refKey } from "../reference.js";
import { writeEnvironmentTag } from "../views.js";

/** `openesc env tag mv REF NAME NEW`: renames a tag, keeping its value. */
export function envTagMvCommand(ctx: CliContext): Command {
  const cmd = new Command("mv")
    .description("rename an environment tag, keeping its value")
    .argument("<ref>", "[org/][project/]env")
    .argument("<name>", "the tag's name")
    .argument("<new-name>", "its new name");
  withOutput(withConnection(cmd));
  withExamples(cmd, ["openesc env tag mv default/payments/dev team owner"]);
  return cmd.action(async (refText: string, name: string, newName: string, flags: ClientFlags) => {
    const format = outputFormat(flags);
    const client = createCliClient(ctx, flags);
    const ref = referenceArg(refText, client.defaultOrg, "none");
    const res = await client.environmentTags.renameEnvironmentTag({ ...refKey(ref), name, newName });
    if (format === "json") return void (res.tag !== undefined && writeJson(ctx, messageJson(EnvironmentTagSchema, res.tag)));
    writeEnvironmentTag(ctx, res.tag);
  });
}
