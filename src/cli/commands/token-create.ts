import { Command, Option } from "commander";
import { timestampDate } from "@bufbuild/protobuf/wkt";
import { createCliClient } from "../client.js";
import { parseScopeFlag } from "../access-args.js";
import { withConnection, withExamples, withOutput, type ClientFlags } from "../command-options.js";
import { usageError, type CliContext } from "../context.js";
import { formatTime, outputFormat, writeJson } from "../output.js";
import { parseExpiry } from "./admin-token-create.js";

interface Flags extends ClientFlags {
  readonly org?: string;
  readonly user?: string;
  readonly serviceAccount?: string;
  readonly role?: string;
  readonly expires?: string;
  readonly scope?: string;
  readonly description?: string;
}

/** `openesc token create`: a token for yourself, or (org admins) for a user or service account; the secret is shown once. */
export function tokenCreateCommand(ctx: CliContext): Command {
  const cmd = new Command("create")
    .summary("create an API token")
    .description(
      "create an API token for yourself, or (organization admins) for a user — created when missing — or a service account; " +
        "its secret is printed once on stdout",
    )
    .option("--org <org>", "the identity's organization (default: yours)")
    .option("--user <login>", "create the token for this user (created when missing)")
    .option("--service-account <name>", "create the token for this service account")
    .addOption(new Option("--role <role>", "the role of a user created now").choices(["admin", "member", "auditor"]))
    .option("--expires <duration>", "lifetime: 30d, 12h, 45m, 2w, or never", "never")
    .option("--scope <scope>", "narrow the token: PERMISSION (read|open|write|admin), PROJECT[/ENV],… or PERMISSION:PROJECT[/ENV],…")
    .option("--description <text>", "what the token is for");
  withOutput(withConnection(cmd));
  withExamples(cmd, [
    "openesc token create --org acme --user ana --role member --expires 30d",
    "openesc token create --service-account ci --scope open:payments/prod --expires 7d --output json",
    "openesc token create --scope read --description 'dashboard'",
  ]);
  return cmd.action(async (flags: Flags) => {
    const format = outputFormat(flags);
    if (flags.user !== undefined && flags.serviceAccount !== undefined) throw usageError("give either --user or --service-account, not both");
    if (flags.role !== undefined && flags.user === undefined) throw usageError("--role needs --user");
    const ttlSeconds = parseExpiry(flags.expires ?? "never");
    if (ttlSeconds === undefined) throw usageError(`invalid --expires "${flags.expires}": expected a number with s, m, h, d or w (30d, 12h), or never`);
    const scope = flags.scope === undefined ? undefined : parseScopeFlag(flags.scope);
    const client = createCliClient(ctx, flags);
    const res = await client.tokens.createToken({
      org: flags.org ?? "",
      user: flags.user ?? "",
      serviceAccount: flags.serviceAccount ?? "",
      role: flags.role ?? "",
      ttlSeconds,
      description: flags.description ?? "",
      ...(scope === undefined ? {} : { scope }),
    });
    const t = res.token;
    if (format === "json") {
      return void writeJson(ctx, {
        token: res.secret,
        id: t?.id ?? "",
        org: t?.org ?? "",
        identity: t?.identity ?? "",
        identityKind: t?.identityKind ?? "",
        description: t?.description ?? "",
        expires: t?.expireTime === undefined ? null : timestampDate(t.expireTime).toISOString(),
        scope: t?.scope === undefined ? null : { permission: t.scope.permission, resources: t.scope.resources },
      });
    }
    const expires = t?.expireTime === undefined ? "never expires" : `expires ${formatTime(t.expireTime)}`;
    ctx.stderr.write(`Created token ${t?.id ?? ""} for ${t?.identity ?? ""} (${expires}). Its secret is shown only this once:\n`);
    ctx.stdout.write(`${res.secret}\n`);
  });
}
