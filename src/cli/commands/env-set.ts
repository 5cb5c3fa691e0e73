import { Command } from "commander";
import { parse as parseYaml } from "yaml";
import { EnvironmentSchema } from "../../gen/openesc/v1/environment_pb.js";
import { createCliClient } from "../client.js";
import { referenceArg, withConnection, withExamples, withOutput, type ClientFlags } from "../command-options.js";
import { usageError, type CliContext } from "../context.js";
import { setDefinitionValue, type SecretMode } from "../definition-edit.js";
import { readLatestDefinition, writeDefinition } from "../definition-update.js";
import { outputFormat, writeMessage } from "../output.js";
import { readInput } from "../read-input.js";
import { formatReference } from "../reference.js";
import { formatValuePath, parseValuePath } from "../value-path.js";

interface Flags extends ClientFlags {
  readonly string?: boolean;
  readonly secret?: boolean;
  readonly plaintext?: boolean;
  readonly file?: string;
}

/** `openesc env set REF PATH VALUE`: read-modify-write of `values.PATH`, keeping comments. */
export function envSetCommand(ctx: CliContext): Command {
  const cmd = new Command("set")
    .summary("set one value, keeping comments")
    .description("set one value under `values` of an environment's definition, keeping its comments and layout")
    .argument("<ref>", "[org/][project/]env")
    .argument("<path>", 'the path under values: a.b[0].c, a["x.y"]')
    .argument("[value]", "the value, parsed as YAML unless --string")
    .option("--string", "take the value as a plain string instead of YAML")
    .option("--secret", "write the value as {fn::secret: VALUE}")
    .option("--plaintext", "write the value in plaintext, even where a secret was")
    .option("-f, --file <file>", 'read the value from FILE ("-" reads standard input); YAML unless --string, so pass --string for text such as a certificate');
  withOutput(withConnection(cmd));
  withExamples(cmd, [
    "openesc env set default/payments/dev db.host db.internal",
    "openesc env set payments/dev db.port 5432",
    "openesc env set payments/dev db.password hunter2 --secret",
    "openesc env set payments/dev 'hosts[0]' '{name: a, port: 80}'",
    "openesc env set payments/dev 'labels[\"app.kubernetes.io/name\"]' payments --string",
    "openesc env set payments/dev tls.cert --string -f cert.pem",
    "openesc env set payments/dev db.port 5433 --output json   # the environment after the change",
  ]);
  return cmd.action(async (refText: string, pathText: string, valueText: string | undefined, flags: Flags) => {
    if (flags.secret === true && flags.plaintext === true) throw usageError("--secret and --plaintext cannot be used together");
    if ((valueText === undefined) === (flags.file === undefined)) throw usageError("give either VALUE or -f FILE");
    const format = outputFormat(flags);
    const path = parseValuePath(pathText);
    if ("error" in path) throw usageError(path.error);
    const client = createCliClient(ctx, flags);
    const ref = referenceArg(refText, client.defaultOrg, "none");
    const text = valueText ?? (await readInput(ctx, flags.file as string));
    const value = flags.string === true ? text : parseValue(text);
    const mode: SecretMode = flags.secret === true ? "secret" : flags.plaintext === true ? "plaintext" : "keep";
    const latest = await readLatestDefinition(client, ref);
    const definition = setDefinitionValue(latest.definition, path.value, value, mode);
    const name = formatReference(ref);
    if (definition === latest.definition) {
      if (format === "json") return void writeMessage(ctx, EnvironmentSchema, latest.environment);
      ctx.stdout.write(`No changes: values.${formatValuePath(path.value)} of ${name} already has this value.\n`);
      return;
    }
    const { revision, environment } = await writeDefinition(ctx, client, ref, definition, latest.revision);
    if (format === "json") return void writeMessage(ctx, EnvironmentSchema, environment);
    ctx.stdout.write(`Set values.${formatValuePath(path.value)} of ${name} (revision ${revision}).\n`);
  });
}

function parseValue(text: string): unknown {
  try {
    return parseYaml(text, { uniqueKeys: true }) as unknown;
  } catch (e) {
    const why = ((e as Error).message.split("\n")[0] ?? "").replace(/ at line \d+, column \d+:?$/, "");
    throw usageError(`VALUE is not valid YAML (${why}); pass --string to take it as text`);
  }
}
