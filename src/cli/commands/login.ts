import { resolve } from "node:path";
import { Command } from "commander";
import { createClientFor } from "../client.js";
import { withConnection, withExamples, type ClientFlags } from "../command-options.js";
import { CliError, usageError, type CliContext } from "../context.js";
import { normalizeServerUrl, readCredentials, writeCredentials, credentialsPath } from "../credentials.js";
import { rpcError } from "../errors.js";
import { promptHidden } from "../prompt.js";

/** The server `login` uses when none is named: the current one, else the local default. */
const DEFAULT_URL = "http://127.0.0.1:8080";

/** `openesc login [URL] [--token T]`: verifies the token with WhoAmI and stores it. */
export function loginCommand(ctx: CliContext): Command {
  const cmd = new Command("login")
    .summary("log in to a server")
    .description("log in to an OpenESC server: verify a token and store it in ~/.openesc/credentials.json")
    .argument("[url]", `server URL (default: the current server, else ${DEFAULT_URL})`);
  withConnection(cmd);
  withExamples(cmd, [
    "openesc login http://127.0.0.1:8080 --token \"$TOKEN\"",
    "OPENESC_TOKEN=… openesc login https://esc.example.com",
    "openesc login https://esc.example.com          # prompts for the token on a terminal",
  ]);
  return cmd.action(async (urlArg: string | undefined, flags: ClientFlags) => {
    const credentials = readCredentials(ctx.env);
    const url = normalizeServerUrl(urlArg ?? flags.url ?? nonEmpty(ctx.env.OPENESC_URL) ?? credentials.current ?? DEFAULT_URL);
    let token = flags.token;
    if (token === undefined) {
      if (ctx.stdin.isTTY === true) token = (await promptHidden(ctx, `Token for ${url}: `)).trim();
      else token = nonEmpty(ctx.env.OPENESC_TOKEN);
    }
    if (token === undefined || token === "") throw usageError("no token: pass --token, set OPENESC_TOKEN, or run on a terminal to be asked");
    const client = createClientFor(url, token, flags);
    let who;
    try {
      who = await client.identity.whoAmI({});
    } catch (e) {
      throw new CliError(`login to ${url} failed: ${rpcError(e).message}`);
    }
    writeCredentials(ctx.env, {
      current: url,
      servers: {
        ...credentials.servers,
        [url]: {
          token,
          org: who.org,
          ...(flags.insecure === true ? { insecure: true } : {}),
          ...(flags.caFile !== undefined ? { caFile: resolve(flags.caFile) } : {}),
        },
      },
    });
    ctx.stdout.write(`Logged in to ${url} as ${who.login} (org ${who.org}).\n`);
    ctx.stderr.write(`Credentials saved to ${credentialsPath(ctx.env)}.\n`);
  });
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === "" ? undefined : value;
}
