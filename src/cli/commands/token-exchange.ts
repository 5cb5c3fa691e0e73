import { readFileSync } from "node:fs";
import { Command } from "commander";
import { timestampDate } from "@bufbuild/protobuf/wkt";
import { createClientFor, NO_SERVER_MESSAGE, resolveConnection } from "../client.js";
import { withConnection, withExamples, withOutput, type ClientFlags } from "../command-options.js";
import { CliError, usageError, type CliContext } from "../context.js";
import { formatTime, outputFormat, writeJson } from "../output.js";
import { parseExpiry } from "./admin-token-create.js";

interface Flags extends ClientFlags {
  readonly org?: string;
  readonly oidcToken?: string;
  readonly oidcTokenFile?: string;
  readonly policy?: string;
  readonly lifetime?: string;
}

/** `openesc token exchange`: trade an OIDC token (CI) for a short-lived API token; needs no API token. */
export function tokenExchangeCommand(ctx: CliContext): Command {
  const cmd = new Command("exchange")
    .summary("exchange an OIDC token for an API token")
    .description("trade an OIDC token (GitHub Actions, GitLab, Kubernetes…) for a short-lived API token under an organization's trust policy; prints the secret on stdout")
    .option("--org <org>", "the organization whose trust policies apply (default: the org stored at login, else default)")
    .option("--oidc-token <jwt>", "the OIDC token (env OPENESC_OIDC_TOKEN)")
    .option("--oidc-token-file <file>", "read the OIDC token from a file")
    .option("--policy <name>", "the trust policy to use (default: the first that accepts the token)")
    .option("--lifetime <duration>", "a shorter lifetime than the policy's maximum: 5m, 1h…");
  withOutput(withConnection(cmd));
  withExamples(cmd, ['export OPENESC_TOKEN=$(openesc token exchange --url https://esc.example.com --org acme --oidc-token "$ID_TOKEN")']);
  return cmd.action(async (flags: Flags) => {
    const format = outputFormat(flags);
    if (flags.oidcToken !== undefined && flags.oidcTokenFile !== undefined) throw usageError("give either --oidc-token or --oidc-token-file, not both");
    let jwt = flags.oidcToken ?? ctx.env.OPENESC_OIDC_TOKEN;
    if (flags.oidcTokenFile !== undefined) {
      try {
        jwt = readFileSync(flags.oidcTokenFile, "utf8").trim();
      } catch (e) {
        throw new CliError(`cannot read --oidc-token-file ${flags.oidcTokenFile}: ${(e as Error).message}`, 2);
      }
    }
    if (jwt === undefined || jwt === "") throw usageError("no OIDC token: pass --oidc-token, --oidc-token-file or set OPENESC_OIDC_TOKEN");
    const lifetime = flags.lifetime === undefined ? undefined : parseExpiry(flags.lifetime);
    if (lifetime === 0n || (flags.lifetime !== undefined && lifetime === undefined)) throw usageError(`invalid --lifetime "${flags.lifetime}": expected a duration such as 15m`);
    // The OIDC token is the credential: no API token is needed (or sent).
    const c = resolveConnection(ctx, flags);
    if (c.url === undefined) throw new CliError(NO_SERVER_MESSAGE);
    const client = createClientFor(c.url, "", c.tls, c.defaultOrg);
    const res = await client.trustPolicies.exchangeToken({
      org: flags.org ?? c.defaultOrg,
      oidcToken: jwt,
      policy: flags.policy ?? "",
      ...(lifetime === undefined ? {} : { lifetime: { seconds: lifetime } }),
    });
    const t = res.token;
    if (format === "json") {
      return void writeJson(ctx, {
        token: res.secret,
        id: t?.id ?? "",
        org: t?.org ?? "",
        identity: t?.identity ?? "",
        policy: res.policy,
        expires: t?.expireTime === undefined ? null : timestampDate(t.expireTime).toISOString(),
      });
    }
    ctx.stderr.write(`Exchanged for token ${t?.id ?? ""} of ${t?.identity ?? ""} (policy ${res.policy}, expires ${formatTime(t?.expireTime)}).\n`);
    ctx.stdout.write(`${res.secret}\n`);
  });
}
