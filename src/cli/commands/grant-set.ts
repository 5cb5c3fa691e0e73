import { Command } from "commander";
import { GrantSchema } from "../../gen/openesc/v1/grant_pb.js";
import { parseGrantResource, parsePermissionArg, parseSubject } from "../access-args.js";
import { createCliClient } from "../client.js";
import { withConnection, withExamples, withOutput, type ClientFlags } from "../command-options.js";
import type { CliContext } from "../context.js";
import { messageJson, outputFormat, writeJson } from "../output.js";

/** `openesc grant set SUBJECT RESOURCE PERMISSION`. */
export function grantSetCommand(ctx: CliContext): Command {
  const cmd = new Command("set")
    .summary("give a subject a permission")
    .description("give (or change) a subject's permission on an organization, a project or an environment (needs admin on it)")
    .argument("<subject>", "user:LOGIN, service-account:NAME, team:NAME or token:ID")
    .argument("<resource>", "ORG, ORG/PROJECT or ORG/PROJECT/ENVIRONMENT")
    .argument("<permission>", "read, open, write or admin");
  withOutput(withConnection(cmd));
  withExamples(cmd, ["openesc grant set user:ana acme/payments/prod open", "openesc grant set team:payments acme/payments write", "openesc grant set service-account:ci acme read"]);
  return cmd.action(async (subjectArg: string, resourceArg: string, permissionArg: string, flags: ClientFlags) => {
    const format = outputFormat(flags);
    const subject = parseSubject(subjectArg);
    const resource = parseGrantResource(resourceArg);
    const permission = parsePermissionArg(permissionArg);
    const res = await createCliClient(ctx, flags).grants.setGrant({ ...resource, subject, permission });
    if (format === "json") return void writeJson(ctx, res.grant === undefined ? null : messageJson(GrantSchema, res.grant));
    ctx.stdout.write(`Granted ${permission} on ${resourceArg} to ${subject}.\n`);
  });
}
