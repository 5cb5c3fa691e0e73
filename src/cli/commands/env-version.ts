import { Command } from "commander";
import { RevisionSchema } from "../../gen/openesc/v1/revision_pb.js";
import { createCliClient } from "../client.js";
import { referenceArg, withConnection, withExamples, withOutput, type ClientFlags } from "../command-options.js";
import type { CliContext } from "../context.js";
import { messageJson, outputFormat, writeJson } from "../output.js";
import { refKey } from "../reference.js";
import { writeRevisionHeader } from "../views.js";

/** `openesc env version REF@V`: one revision (retracted ones included) with its definition. */
export function envVersionCommand(ctx: CliContext): Command {
  const cmd = new Command("version")
    .summary("show a revision; manage revisions")
    .description("show one revision of an environment: number, tags, author, date, retraction and definition")
    .argument("[ref]", "[org/][project/]env@version");
  withOutput(withConnection(cmd));
  withExamples(cmd, [
    "openesc env version default/payments/dev@2",
    "openesc env version payments/dev@stable --output json",
    "openesc env version history payments/dev",
    "openesc env version tag payments/dev@stable @2",
  ]);
  return cmd.action(async (refText: string | undefined, flags: ClientFlags) => {
    if (refText === undefined) return void cmd.help({ error: true });
    const format = outputFormat(flags);
    const client = createCliClient(ctx, flags);
    const ref = referenceArg(refText, client.defaultOrg, "required");
    const got = await client.revisions.getRevision({ ...refKey(ref), version: ref.version ?? "", includeRetracted: true });
    const revision = got.revision;
    if (revision === undefined) return;
    if (format === "json") return void writeJson(ctx, messageJson(RevisionSchema, revision));
    writeRevisionHeader(ctx, revision);
    const definition = revision.definition;
    ctx.stdout.write(`\n${definition}${definition === "" || definition.endsWith("\n") ? "" : "\n"}`);
  });
}
