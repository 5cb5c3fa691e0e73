import { Command } from "commander";
import { EnvironmentTagSchema } from "../../gen/openesc/v1/environment_tag_pb.js";
import { createCliClient } from "../client.js";
import { referenceArg, withConnection, withExamples, withOutput, type ClientFlags } from "../command-options.js";
import { usageError, type CliContext } from "../context.js";
import { messageJson, outputFormat, writeJson } from "../output.js";
import { refKey } from "../reference.js";
import { writeEnvironmentTag } from "../views.js";

/** `openesc env tag REF NAME VALUE`: creates an environment tag or changes its value. */
export function envTagCommand(ctx: CliContext): Command {
  const cmd = new Command("tag")
    .summary("set an environment tag; manage tags")
    .description("set an environment tag (key/value metadata such as team: payments)")
    .argument("[ref]", "[org/][project/]env")
    .argument("[name]", "the tag's name")
    .argument("[value]", "the tag's value");
  withOutput(withConnection(cmd));
  withExamples(cmd, [
    "openesc env tag default/payments/dev team payments",
    "openesc env tag get payments/dev team",
    "openesc env tag ls payments/dev",
    "openesc env tag mv payments/dev team owner",
    "openesc env tag rm payments/dev owner",
  ]);
  return cmd.action(async (refText: string | undefined, name: string | undefined, value: string | undefined, flags: ClientFlags) => {
    if (refText === undefined) return void cmd.help({ error: true });
    if (name === undefined || value === undefined) throw usageError("expected REF NAME VALUE, or one of: get, ls, mv, rm");
    const format = outputFormat(flags);
    const client = createCliClient(ctx, flags);
    const ref = referenceArg(refText, client.defaultOrg, "none");
    const res = await client.environmentTags.setEnvironmentTag({ ...refKey(ref), name, value });
    if (format === "json") return void (res.tag !== undefined && writeJson(ctx, messageJson(EnvironmentTagSchema, res.tag)));
    writeEnvironmentTag(ctx, res.tag);
  });
}
