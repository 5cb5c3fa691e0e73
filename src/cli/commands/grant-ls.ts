import { Command } from "commander";
import { GrantSchema } from "../../gen/openesc/v1/grant_pb.js";
import { parseGrantResource, parseSubject } from "../access-args.js";
import { createCliClient } from "../client.js";
import { withConnection, withExamples, withOutput, type ClientFlags } from "../command-options.js";
import type { CliContext } from "../context.js";
import { formatTime, messageJson, outputFormat, writeJson, writeTable } from "../output.js";

interface Flags extends ClientFlags {
  readonly subject?: string;
}

/** `openesc grant ls [RESOURCE] [--subject S]`: who has access to a resource, or what a subject can access. */
export function grantLsCommand(ctx: CliContext): Command {
  const cmd = new Command("ls")
    .alias("list")
    .summary("list grants")
    .description("list the grants that apply to a resource (who has access to it), or a subject's grants (what it can access)")
    .argument("[resource]", "ORG, ORG/PROJECT or ORG/PROJECT/ENVIRONMENT (default: your organization)")
    .option("--subject <subject>", "only this subject's grants: user:LOGIN, service-account:NAME, team:NAME or token:ID");
  withOutput(withConnection(cmd));
  withExamples(cmd, ["openesc grant ls acme/payments/prod", "openesc grant ls --subject user:ana", "openesc grant ls acme --output json"]);
  return cmd.action(async (resourceArg: string | undefined, flags: Flags) => {
    const format = outputFormat(flags);
    const subject = flags.subject === undefined ? "" : parseSubject(flags.subject);
    const client = createCliClient(ctx, flags);
    const resource = parseGrantResource(resourceArg ?? client.defaultOrg);
    const res = await client.grants.listGrants({ ...resource, subject });
    if (format === "json") return void writeJson(ctx, res.grants.map((g) => messageJson(GrantSchema, g)));
    writeTable(
      ctx,
      ["SUBJECT", "RESOURCE", "PERMISSION", "EDITOR", "UPDATED"],
      res.grants.map((g) => [g.subject, [g.org, g.project, g.environment].filter((s) => s !== "").join("/"), g.permission, g.editor, formatTime(g.updateTime)]),
    );
  });
}
