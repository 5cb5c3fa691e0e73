import { Command, Option } from "commander";
import type { ConnectionFlags } from "./client.js";
import { usageError } from "./context.js";
import { parseReference, type EnvironmentRef } from "./reference.js";

/** The flags of every client command. */
export interface ClientFlags extends ConnectionFlags {
  readonly output?: string;
}

/** Adds `--url`, `--token`, `--insecure` and `--ca-file`. */
export function withConnection(cmd: Command): Command {
  return cmd
    .option("--url <url>", "server URL (env OPENESC_URL; default: the server of the last login)")
    .option("--token <token>", "API token (env OPENESC_TOKEN; default: the token stored at login)")
    .option("--insecure", "do not verify the server's TLS certificate")
    .option("--ca-file <file>", "trust the CA certificates in this PEM file");
}

/** Adds `--output table|json`. */
export function withOutput(cmd: Command): Command {
  return cmd.addOption(new Option("-o, --output <format>", "output format").choices(["table", "json"]).default("table"));
}

/** Appends an Examples section to the command's help. */
export function withExamples(cmd: Command, examples: readonly string[]): Command {
  return cmd.addHelpText("after", `\nExamples:\n${examples.map((e) => `  ${e}\n`).join("")}`);
}

/** What a command accepts after `@` in a reference. */
export type VersionRule = "none" | "optional" | "required";

/** Parses a reference argument; bad input and a version where none belongs are usage errors. */
export function referenceArg(text: string, defaultOrg: string, rule: VersionRule): EnvironmentRef {
  const parsed = parseReference(text, defaultOrg);
  if ("error" in parsed) throw usageError(parsed.error);
  const ref = parsed.value;
  if (rule === "none" && ref.version !== undefined) throw usageError(`"${text}" names a version; this command takes an environment (drop "@${ref.version}")`);
  if (rule === "required" && ref.version === undefined) throw usageError(`"${text}" names no version: expected ${text}@VERSION`);
  return ref;
}
