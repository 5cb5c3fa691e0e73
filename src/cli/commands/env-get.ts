import { Command, Option } from "commander";
import { GetEnvironmentResponseSchema } from "../../gen/openesc/v1/environment_pb.js";
import { createCliClient } from "../client.js";
import { referenceArg, withConnection, withExamples, withOutput, type ClientFlags } from "../command-options.js";
import { usageError, type CliContext } from "../context.js";
import { GET_VALUE_FORMATS, writeCheckValue, type GetValueFormat } from "../env-get-value.js";
import { messageJson, outputFormat, writeJson } from "../output.js";
import { refKey } from "../reference.js";

interface Flags extends ClientFlags {
  readonly definition?: boolean;
  readonly value?: GetValueFormat;
  readonly showSecrets?: boolean;
}

/**
 * `openesc env get REF[@V] [PATH]`: with `--value` (or a PATH) the check-mode value, else the
 * definition YAML of one version (`--show-secrets` decrypts its secrets).
 */
export function envGetCommand(ctx: CliContext): Command {
  const cmd = new Command("get")
    .summary("print the definition or the check-mode value of a version")
    .description(
      "print an environment's definition YAML at a version (latest by default), or with --value (or a PATH) its " +
        "value in check mode: no provider is called (their outputs are [unknown]), secrets are [secret] unless " +
        "--show-secrets, and dotenv/shell write no file (file variables are [unknown])",
    )
    .argument("<ref>", "[org/][project/]env[@version]")
    .argument("[path]", "a property path such as db.hosts[0]: print only that value (--value json by default)")
    .option("--definition", "print the definition YAML (the default without --value and PATH)")
    .addOption(new Option("--value <format>", "print the check-mode value in this format").choices(GET_VALUE_FORMATS))
    .option("--show-secrets", "show secrets: the definition with its secrets decrypted; values unredacted");
  withOutput(withConnection(cmd));
  withExamples(cmd, [
    "openesc env get default/payments/dev --definition",
    "openesc env get payments/dev@3 --definition",
    "openesc env get payments/dev@stable --output json",
    "openesc env get payments/dev --value dotenv",
    "openesc env get payments/dev db.hosts[0] --value string",
  ]);
  return cmd.action(async (refText: string, path: string | undefined, flags: Flags) => {
    const format = outputFormat(flags);
    if (flags.definition === true && (flags.value !== undefined || path !== undefined)) {
      throw usageError("--definition prints the whole definition: it takes neither --value nor a PATH");
    }
    const client = createCliClient(ctx, flags);
    const ref = referenceArg(refText, client.defaultOrg, "optional");
    if (flags.value !== undefined || path !== undefined) {
      await writeCheckValue(ctx, client, ref, path, flags.value ?? "json", flags.showSecrets === true);
      return;
    }
    const got = await client.environments.getEnvironment({ ...refKey(ref), version: ref.version ?? "", reveal: flags.showSecrets === true });
    if (format === "json") {
      writeJson(ctx, messageJson(GetEnvironmentResponseSchema, got));
      return;
    }
    const definition = got.revision?.definition ?? "";
    ctx.stdout.write(definition === "" || definition.endsWith("\n") ? definition : `${definition}\n`);
  });
}
