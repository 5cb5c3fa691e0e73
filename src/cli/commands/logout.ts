import { Command } from "commander";
import { withExamples } from "../command-options.js";
import { CliError, usageError, type CliContext } from "../context.js";
import { normalizeServerUrl, readCredentials, writeCredentials } from "../credentials.js";

/** `openesc logout [URL|--all]`: forgets the stored token of one server, or of all. */
export function logoutCommand(ctx: CliContext): Command {
  const cmd = new Command("logout")
    .summary("forget a stored token")
    .description("forget the stored token of a server (default: the current one)")
    .argument("[url]", "server URL (default: the current server)")
    .option("--all", "forget every stored server");
  withExamples(cmd, ["openesc logout", "openesc logout https://esc.example.com", "openesc logout --all"]);
  return cmd.action((urlArg: string | undefined, flags: { all?: boolean }) => {
    const credentials = readCredentials(ctx.env);
    if (flags.all === true) {
      if (urlArg !== undefined) throw usageError("pass a URL or --all, not both");
      writeCredentials(ctx.env, { servers: {} });
      ctx.stdout.write(`Logged out of ${Object.keys(credentials.servers).length} server(s).\n`);
      return;
    }
    const raw = urlArg ?? credentials.current;
    if (raw === undefined) throw new CliError("not logged in");
    const url = normalizeServerUrl(raw);
    if (credentials.servers[url] === undefined) throw new CliError(`not logged in to ${url}`);
    const servers = { ...credentials.servers };
    delete servers[url];
    const current = credentials.current === url ? undefined : credentials.current;
    writeCredentials(ctx.env, current === undefined ? { servers } : { current, servers });
    ctx.stdout.write(`Logged out of ${url}.\n`);
  });
}
