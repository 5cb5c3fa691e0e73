import { Command } from "commander";
import { EnvironmentSchema } from "../../gen/openesc/v1/environment_pb.js";
import { createCliClient } from "../client.js";
import { referenceArg, withConnection, withExamples, withOutput, type ClientFlags } from "../command-options.js";
import { usageError, type CliContext } from "../context.js";
import { messageJson, outputFormat, writeJson } from "../output.js";
import { withProgress } from "../progress.js";
import { formatReference, refKey } from "../reference.js";

interface Flags extends ClientFlags {
  readonly preserveHistory?: boolean;
  readonly preserveRevTags?: boolean;
  readonly preserveEnvTags?: boolean;
  readonly preserveAccess?: boolean;
}

/** `openesc env clone SRC DST`: copies an environment within its org. */
export function envCloneCommand(ctx: CliContext): Command {
  const cmd = new Command("clone")
    .summary("copy an environment")
    .description("copy an environment to a new one in the same org (DST: env in the source project, or project/env)")
    .argument("<src>", "[org/][project/]env")
    .argument("<dst>", "[project/]env (or org/project/env with the source's org)")
    .option("--preserve-history", "copy every revision, not only the latest")
    .option("--preserve-rev-tags", "copy revision tags (needs --preserve-history)")
    .option("--preserve-env-tags", "copy environment tags")
    .option("--preserve-access", "copy the grants on the source to the copy (needs admin on both)");
  withOutput(withConnection(cmd));
  withExamples(cmd, [
    "openesc env clone payments/dev dev2",
    "openesc env clone default/payments/dev billing/dev --preserve-env-tags",
    "openesc env clone payments/dev dev-copy --preserve-history --preserve-rev-tags",
    "openesc env clone payments/dev dev3 --output json",
  ]);
  return cmd.action(async (srcText: string, dstText: string, flags: Flags) => {
    if (flags.preserveRevTags === true && flags.preserveHistory !== true) throw usageError("--preserve-rev-tags needs --preserve-history");
    const format = outputFormat(flags);
    const client = createCliClient(ctx, flags);
    const src = referenceArg(srcText, client.defaultOrg, "none");
    const parts = dstText.split("@")[0]?.split("/") ?? [];
    const parsed = referenceArg(dstText, src.org, "none");
    // one part is an env in the source project; three parts must stay in the source org
    const dst = parts.length === 1 ? { ...parsed, project: src.project } : parsed;
    if (dst.org !== src.org) throw usageError(`cannot clone across orgs (${src.org} → ${dst.org})`);
    // copying every revision re-encrypts each of them on the server: it can take a while
    const res = await withProgress(ctx, `Cloning ${formatReference(src)} to ${formatReference(dst)}`, () =>
      client.environments.cloneEnvironment({
        ...refKey(src),
        destProject: dst.project,
        destEnvironment: dst.environment,
        preserveHistory: flags.preserveHistory === true,
        preserveRevisionTags: flags.preserveRevTags === true,
        preserveEnvironmentTags: flags.preserveEnvTags === true,
        preserveAccess: flags.preserveAccess === true,
      }),
    );
    if (format === "json") return void (res.environment !== undefined && writeJson(ctx, messageJson(EnvironmentSchema, res.environment)));
    ctx.stdout.write(`Environment ${formatReference(src)} cloned to ${formatReference(dst)}.\n`);
  });
}
