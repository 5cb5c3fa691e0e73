import { Command } from "commander";
import { parseGrantResource, parseSubject } from "../access-args.js";
import { createCliClient } from "../client.js";
import { withConnection, withExamples, type ClientFlags } from "../command-options.js";
import type { CliContext } from "../context.js";

/** `openesc grant rm SUBJECT RESOURCE`. */
export function grantRmCommand(ctx: CliContext): Command {
  const cmd = new Command("rm")
    .summary("remove a grant")
    .description("remove a subject's grant on a resource (needs admin on it)")
    .argument("<subject>", "user:LOGIN, service-account:NAME, team:NAME or token:ID")
    .argument("<resource>", "ORG, ORG/PROJECT or ORG/PROJECT/ENVIRONMENT");
  withConnection(cmd);
  withExamples(cmd, ["openesc grant rm user:ana acme/payments/prod"]);
  return cmd.action(async (subjectArg: string, resourceArg: string, flags: ClientFlags) => {
    const subject = parseSubject(subjectArg);
    await createCliClient(ctx, flags).grants.removeGrant({ ...parseGrantResource(resourceArg), subject });
    ctx.stdout.write(`Removed the grant of ${subject} on ${resourceArg}.\n`);
  });
}
