import { Command } from "commander";
import { GetEnvironmentResponseSchema } from "../../gen/openesc/v1/environment_pb.js";
import { createCliClient } from "../client.js";
import { referenceArg, withConnection, withExamples, withOutput, type ClientFlags } from "../command-options.js";
import type { CliContext } from "../context.js";
import { messageJson, outputFormat, writeJson } from "../output.js";
import { refKey } from "../reference.js";

interface Flags extends ClientFlags {
  readonly definition?: boolean;
}

/** `openesc env get REF[@V] --definition`: the definition YAML of one version. */
export function envGetCommand(ctx: CliContext): Command {
  const cmd = new Command("get")
    .summary("print the definition of a version")
    .description(
      "print an environment's definition YAML at a version (latest by default). Evaluated value views " +
        "(--value, PATH) come with the language; until then, env get prints the definition with or without --definition",
    )
    .argument("<ref>", "[org/][project/]env[@version]")
    .option("--definition", "print the definition YAML (the default for now)");
  withOutput(withConnection(cmd));
  withExamples(cmd, [
    "openesc env get default/payments/dev --definition",
    "openesc env get payments/dev@3 --definition",
    "openesc env get payments/dev@stable --output json",
  ]);
  return cmd.action(async (refText: string, flags: Flags) => {
    const format = outputFormat(flags);
    const client = createCliClient(ctx, flags);
    const ref = referenceArg(refText, client.defaultOrg, "optional");
    const got = await client.environments.getEnvironment({ ...refKey(ref), version: ref.version ?? "" });
    if (format === "json") {
      writeJson(ctx, messageJson(GetEnvironmentResponseSchema, got));
      return;
    }
    const definition = got.revision?.definition ?? "";
    ctx.stdout.write(definition === "" || definition.endsWith("\n") ? definition : `${definition}\n`);
  });
}
