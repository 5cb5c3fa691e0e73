import type { EnvironmentTag } from "../gen/openesc/v1/environment_tag_pb.js";
import type { Revision } from "../gen/openesc/v1/revision_pb.js";
import type { CliContext } from "./context.js";
import { formatTime } from "./output.js";

/** `Name: …`, `Value: …`, `Last updated at … by …` for one environment tag. */
export function writeEnvironmentTag(ctx: CliContext, tag: EnvironmentTag | undefined): void {
  if (tag === undefined) return;
  ctx.stdout.write(`Name: ${tag.name}\nValue: ${tag.value}\nLast updated at ${formatTime(tag.updateTime)} by ${tag.editor}\n`);
}

/** A git-log-like block for one revision: number and tags, author, date, retraction. */
export function writeRevisionHeader(ctx: CliContext, revision: Revision): void {
  const tags = revision.tags.length > 0 ? ` (tag: ${revision.tags.join(", ")})` : "";
  let out = `revision ${revision.number}${tags}\nAuthor: ${revision.author}\nDate:   ${formatTime(revision.createTime)}\n`;
  if (revision.retracted) {
    out += `Retracted at ${formatTime(revision.retractTime)} by ${revision.retractedBy}`;
    if (revision.replacementRevision > 0n) out += `, replaced by revision ${revision.replacementRevision}`;
    out += revision.retractionReason !== "" ? `: ${revision.retractionReason}\n` : "\n";
  }
  ctx.stdout.write(out);
}
