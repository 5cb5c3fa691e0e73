import { Command } from "commander";
import { EnvironmentSchema } from "../../gen/openesc/v1/environment_pb.js";
import { createCliClient } from "../client.js";
import { referenceArg, withConnection, withExamples, withOutput, type ClientFlags } from "../command-options.js";
import { CliError, usageError, type CliContext } from "../context.js";
import { deleteDefinitionValue } from "../definition-edit.js";
import { readLatestDefinition, writeDefinition } from "../definition-update.js";
import { outputFormat, writeJson, writeMessage } from "../output.js";
import { confirm } from "../prompt.js";
import { formatReference, refKey } from "../reference.js";
import { formatValuePath, parseValuePath } from "../value-path.js";

interface Flags extends ClientFlags {
  readonly yes?: boolean;
}

/** `openesc env rm REF [PATH] [-y]`: deletes one value, or the whole environment after confirmation. */
export function envRmCommand(ctx: CliContext): Command {
  const cmd = new Command("rm")
    .summary("delete a value, or the environment")
    .description("delete a value under `values` (a new revision), or the whole environment with its history")
    .argument("<ref>", "[org/][project/]env")
    .argument("[path]", 'the path under values to delete: a.b[0].c, a["x.y"]')
    .option("-y, --yes", "delete the environment without asking");
  withOutput(withConnection(cmd));
  withExamples(cmd, [
    "openesc env rm payments/dev db.password",
    "openesc env rm default/payments/dev",
    "openesc env rm default/payments/dev -y",
    "openesc env rm payments/dev db.port --output json   # the environment after the change",
  ]);
  return cmd.action(async (refText: string, pathText: string | undefined, flags: Flags) => {
    const format = outputFormat(flags);
    const client = createCliClient(ctx, flags);
    const ref = referenceArg(refText, client.defaultOrg, "none");
    const name = formatReference(ref);
    if (pathText !== undefined) {
      const path = parseValuePath(pathText);
      if ("error" in path) throw usageError(path.error);
      const latest = await readLatestDefinition(client, ref);
      const definition = deleteDefinitionValue(latest.definition, path.value);
      const { revision, environment } = await writeDefinition(ctx, client, ref, definition, latest.revision);
      if (format === "json") return void writeMessage(ctx, EnvironmentSchema, environment);
      ctx.stdout.write(`Deleted values.${formatValuePath(path.value)} of ${name} (revision ${revision}).\n`);
      return;
    }
    if (flags.yes !== true) {
      if (ctx.stdin.isTTY !== true) throw usageError(`refusing to delete ${name} without confirmation: pass -y (standard input is not a terminal)`);
      const ok = await confirm(ctx, `Delete environment ${name} with all its revisions and tags? This cannot be undone.`);
      if (!ok) throw new CliError("not deleted");
    }
    await client.environments.deleteEnvironment(refKey(ref));
    if (format === "json") return void writeJson(ctx, { org: ref.org, project: ref.project, name: ref.environment, deleted: true });
    ctx.stdout.write(`Environment ${name} deleted.\n`);
  });
}
