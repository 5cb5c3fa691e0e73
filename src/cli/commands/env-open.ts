import { Command, Option } from "commander";
import type { ProjectedEntry } from "../../esc/index.js";
import { createCliClient } from "../client.js";
import { referenceArg, withConnection, withExamples, type ClientFlags } from "../command-options.js";
import { usageError, type CliContext } from "../context.js";
import { writeWarnings } from "../errors.js";
import { openForCli, parseDuration } from "../open-environment.js";
import { formatReference } from "../reference.js";
import { writePrivateTempFile } from "../temp-files.js";
import { checkPath, isProjectionFormat, renderProjection, renderValue, selectValue, VALUE_FORMATS, type ValueFormat } from "../value-views.js";

interface Flags extends ClientFlags {
  readonly format: ValueFormat;
  readonly lifetime?: string;
}

const HELP = `
Output (stdout) in --format, secrets shown (esc-language.md §18.4):
  json      the plain JSON of the value, two-space indent (the default)
  yaml      the same value as YAML, three-space indent
  detailed  the Value tree with its secret/unknown flags
  string    the value as one string
  dotenv    NAME="VALUE" lines of environmentVariables, then of files; each file is written to a new
            private file esc-* in the OS temp directory and left there
  shell     the dotenv lines prefixed by "export "
A PATH such as db.hosts[0] or a["b.c"] prints only that value ("null" in json when it does not exist);
dotenv and shell print the whole environment's projections and take no PATH.
Warnings go to stderr; an environment with errors prints them as ENV:LINE:COLUMN: error: … and exits 1.`;

/** `openesc env open REF[@V] [PATH]`: the environment in open mode, secrets shown (cli.md, §18.4). */
export function envOpenCommand(ctx: CliContext): Command {
  const cmd = new Command("open")
    .summary("open an environment: providers called, secrets shown")
    .description("open an environment (providers called, secrets decrypted) and print its value or a value at PATH")
    .argument("<ref>", "[org/][project/]env[@version]")
    .argument("[path]", "a property path such as db.hosts[0]")
    .addOption(new Option("-f, --format <format>", "output format").choices(VALUE_FORMATS).default("json"))
    .option("-l, --lifetime <duration>", "open a session that lives this long (1s to 24h, e.g. 30m or 2h)");
  cmd.addHelpText("after", HELP);
  withConnection(cmd);
  withExamples(cmd, [
    "openesc env open default/payments/dev",
    "openesc env open payments/dev@stable db.password -f string",
    "openesc env open payments/dev -f shell",
    "openesc env open payments/dev -f yaml -l 2h",
  ]);
  return cmd.action(async (refText: string, path: string | undefined, flags: Flags) => {
    if (path !== undefined && isProjectionFormat(flags.format)) {
      throw usageError(`output format '${flags.format}' may not be used with a property path`);
    }
    checkPath(path);
    const duration = flags.lifetime === undefined ? undefined : parseDuration(flags.lifetime);
    const client = createCliClient(ctx, flags);
    const ref = referenceArg(refText, client.defaultOrg, "optional");
    const opened = await openForCli(client, ref, duration);
    writeWarnings(ctx, opened.warnings, formatReference(ref));
    if (isProjectionFormat(flags.format)) {
      // esc open writes the files and leaves them in place (§18.2)
      const paths = opened.files.map((f): ProjectedEntry => ({ name: f.name, value: writePrivateTempFile(f.value), secret: false }));
      ctx.stdout.write(renderProjection(flags.format, opened.variables, paths, false));
      return;
    }
    ctx.stdout.write(renderValue(selectValue(opened.value, path), flags.format, false));
  });
}
