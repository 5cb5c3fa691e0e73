import { Code, ConnectError } from "@connectrpc/connect";
import { Command } from "commander";
import { RevisionTagSchema } from "../../gen/openesc/v1/revision_tag_pb.js";
import { createCliClient } from "../client.js";
import { referenceArg, withConnection, withExamples, withOutput, type ClientFlags } from "../command-options.js";
import { usageError, type CliContext } from "../context.js";
import { outputFormat, writeMessage } from "../output.js";
import { formatReference, isRevisionNumber, refKey } from "../reference.js";
import { resolveRevisionNumber } from "../revision-number.js";

/** `openesc env version tag REF@TAG [@REV]`: creates a revision tag, or moves it when it exists. */
export function envVersionTagCommand(ctx: CliContext): Command {
  const cmd = new Command("tag")
    .summary("tag a revision; manage revision tags")
    .description("point a revision tag at a revision (default: the latest), creating it or moving it")
    .argument("[ref]", "[org/][project/]env@tag")
    .argument("[revision]", "@N, N or @tag (default: the latest revision)");
  withOutput(withConnection(cmd));
  withExamples(cmd, [
    "openesc env version tag default/payments/dev@stable @2",
    "openesc env version tag payments/dev@stable            # the latest revision",
    "openesc env version tag ls payments/dev",
    "openesc env version tag rm payments/dev@stable",
    "openesc env version tag payments/dev@prod @3 --output json",
  ]);
  return cmd.action(async (refText: string | undefined, revisionText: string | undefined, flags: ClientFlags) => {
    if (refText === undefined) return void cmd.help({ error: true });
    const format = outputFormat(flags);
    const client = createCliClient(ctx, flags);
    const ref = referenceArg(refText, client.defaultOrg, "optional");
    if (ref.version === undefined) throw usageError(`"${refText}" names no tag: expected ${refText}@TAG`);
    const tag = ref.version as string;
    if (isRevisionNumber(tag)) throw usageError(`"${tag}" is a revision number, not a tag name`);
    if (tag === "latest") throw usageError(`the tag "latest" is built in and cannot be changed`);
    const revision = revisionText === undefined ? 0n : await resolveRevisionNumber(client, ref, revisionText);
    const request = { ...refKey(ref), tag, revision };
    let result;
    try {
      result = await client.revisionTags.createRevisionTag(request);
    } catch (e) {
      if (!(e instanceof ConnectError && e.code === Code.AlreadyExists)) throw e;
      result = await client.revisionTags.updateRevisionTag(request);
    }
    if (format === "json") return void writeMessage(ctx, RevisionTagSchema, result.tag);
    ctx.stdout.write(`Tagged revision ${result.tag?.revision ?? revision} of ${formatReference(ref)} as ${tag}.\n`);
  });
}
