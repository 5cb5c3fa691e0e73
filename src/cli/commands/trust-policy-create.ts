import { Command } from "commander";
import { TrustPolicySchema } from "../../gen/openesc/v1/trust_policy_pb.js";
import { parseScopeFlag } from "../access-args.js";
import { createCliClient } from "../client.js";
import { withConnection, withExamples, withOutput, type ClientFlags } from "../command-options.js";
import { usageError, type CliContext } from "../context.js";
import { messageJson, outputFormat, writeJson } from "../output.js";
import { parseExpiry } from "./admin-token-create.js";

interface Flags extends ClientFlags {
  readonly org?: string;
  readonly issuer: string;
  readonly audience: string;
  readonly subject: string;
  readonly claim?: string[];
  readonly identity: string;
  readonly maxLifetime?: string;
  readonly scope?: string;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** `openesc trust-policy create NAME`: trust an OIDC issuer's tokens for one identity. */
export function trustPolicyCreateCommand(ctx: CliContext): Command {
  const cmd = new Command("create")
    .summary("trust an OIDC issuer's tokens")
    .description("let workloads with OIDC tokens from an issuer (GitHub Actions, GitLab, Kubernetes…) exchange them for short-lived API tokens of one identity (needs organization admin)")
    .argument("<name>", "the policy's name")
    .option("--org <org>", "the organization (default: yours)")
    .requiredOption("--issuer <url>", "the issuer (iss), https")
    .requiredOption("--audience <aud>", "the audience the tokens must carry")
    .requiredOption("--subject <glob>", "a glob the sub claim must match (* any run, ? one character)")
    .option("--claim <name=glob>", "a claim that must match a glob (repeatable)", collect)
    .requiredOption("--identity <subject>", "user:LOGIN or service-account:NAME")
    .option("--max-lifetime <duration>", "the longest an exchanged token lives: 15m, 1h… (1m–12h)", "1h")
    .option("--scope <scope>", "a scope for exchanged tokens: PERMISSION, PROJECT[/ENV],… or PERMISSION:PROJECT[/ENV],…");
  withOutput(withConnection(cmd));
  withExamples(cmd, [
    "openesc trust-policy create gha --issuer https://token.actions.githubusercontent.com --audience openesc --subject 'repo:acme/app:ref:refs/heads/main' --claim repository=acme/app --identity service-account:deployer --max-lifetime 15m",
    "openesc trust-policy create gitlab --issuer https://gitlab.com --audience openesc --subject 'project_path:acme/app:*' --identity service-account:ci --scope open:payments",
  ]);
  return cmd.action(async (name: string, flags: Flags) => {
    const format = outputFormat(flags);
    const claimConditions: Record<string, string> = {};
    for (const c of flags.claim ?? []) {
      const eq = c.indexOf("=");
      if (eq <= 0) throw usageError(`invalid --claim "${c}": expected NAME=GLOB`);
      claimConditions[c.slice(0, eq)] = c.slice(eq + 1);
    }
    const seconds = parseExpiry(flags.maxLifetime ?? "1h");
    if (seconds === undefined || seconds === 0n) throw usageError(`invalid --max-lifetime "${flags.maxLifetime}": expected a duration such as 15m or 1h`);
    const client = createCliClient(ctx, flags);
    const res = await client.trustPolicies.createTrustPolicy({
      policy: {
        org: flags.org ?? client.defaultOrg,
        name,
        issuer: flags.issuer,
        audience: flags.audience,
        subjectPattern: flags.subject,
        claimConditions,
        identity: flags.identity,
        maxLifetime: { seconds },
        ...(flags.scope === undefined ? {} : { scope: parseScopeFlag(flags.scope) }),
      },
    });
    if (format === "json") return void writeJson(ctx, res.policy === undefined ? null : messageJson(TrustPolicySchema, res.policy));
    ctx.stdout.write(`Created trust policy ${name}.\n`);
  });
}
