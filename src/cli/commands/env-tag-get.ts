import { Command } from "commander";
import { EnvironmentTagSchema } from "../../gen/openesc/v1/environment_tag_pb.js";
import { createCliClient } from "../client.js";
import { referenceArg, withConnection, withExamples, withOutput, type ClientFlags } from "../command-options.js";
import type { CliContext } from "../context.js";
import { messageJson, outputFormat, writeJson } from "../output.js";
import { refKey } from "../reference.js";
import { writeEnvironmentTag } from "../views.js";

/** `openesc env tag get REF NAME`. */
export function envTagGetCommand(ctx: CliContext): Command {
  const cmd = new Command("get").description("show one environment tag").argument("<ref>", "[org/][project/]env").argument("<name>", "the tag's name");
  withOutput(withConnection(cmd));
  withExamples(cmd, ["openesc env tag get default/payments/dev team", "openesc env tag get payments/dev team --output json"]);
  return cmd.action(async (refText: string, name: string, flags: ClientFlags) => {
    const format = outputFormat(flags);
    const client = createCliClient(ctx, flags);
    const ref = referenceArg(refText, client.defaultOrg, "none");
    const res = await client.environmentTags.getEnvironmentTag({ ...refKey(ref), name });
    if (format === "json") return void (res.tag !== undefined && writeJson(ctx, messageJson(EnvironmentTagSchema, res.tag)));
    writeEnvironmentTag(ctx, res.tag);
  });
}
