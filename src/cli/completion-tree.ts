import type { Command } from "commander";

/** One option as completion scripts see it. */
export interface CompletionOption {
  /** `-o`, `--output`: every spelling. */
  readonly flags: readonly string[];
  readonly description: string;
  /** Whether the next word is its value (`--url <url>`; not `[value]`, which must be attached). */
  readonly takesValue: boolean;
  /** The allowed values (`--output table|json`). */
  readonly choices: readonly string[];
  /** Its value is a path: complete file names (`<file>`, `<dir>`). */
  readonly path: boolean;
}

/** One command of the tree, with its subcommands. */
export interface CompletionCommand {
  readonly name: string;
  /** The name and its aliases (`history`, `ls`). */
  readonly names: readonly string[];
  readonly description: string;
  /** Space-separated canonical names from the root: "" for the root, "env version tag". */
  readonly path: string;
  readonly options: readonly CompletionOption[];
  /** The allowed values of each positional argument, in order ([] when any value goes). */
  readonly argumentChoices: readonly (readonly string[])[];
  /** Which positional arguments are environment references (completed from the server). */
  readonly argumentRefs: readonly boolean[];
  readonly subcommands: readonly CompletionCommand[];
}

/** Positional arguments, by name, that take an existing environment's reference. */
const REF_ARGUMENTS: ReadonlySet<string> = new Set(["ref", "src", "other"]);

const HELP: CompletionOption = { flags: ["-h", "--help"], description: "display help for command", takesValue: false, choices: [], path: false };

/** Reads the commander tree (every registered command, option and alias) into plain data. */
export function completionTree(program: Command): CompletionCommand {
  return walk(program, "");
}

function walk(cmd: Command, path: string): CompletionCommand {
  const options: CompletionOption[] = cmd.options
    .filter((o) => !o.hidden)
    .map((o) => ({
      flags: [o.short, o.long].filter((f): f is string => f !== undefined),
      description: o.description,
      takesValue: o.required,
      choices: o.argChoices ?? [],
      path: /<(file|dir|path)[^>]*>/.test(o.flags),
    }));
  return {
    name: cmd.name(),
    names: [cmd.name(), ...cmd.aliases()],
    description: firstLine(cmd.summary() || cmd.description()),
    path,
    options: [...options, HELP],
    argumentChoices: cmd.registeredArguments.map((a) => a.argChoices ?? []),
    // (`env init` names a new environment: nothing to complete from the server)
    argumentRefs: cmd.registeredArguments.map((a) => REF_ARGUMENTS.has(a.name()) && path !== "env init"),
    // hidden helpers (`__complete-refs`) are not offered
    subcommands: cmd.commands.filter((c) => !c.name().startsWith("__")).map((c) => walk(c, path === "" ? c.name() : `${path} ${c.name()}`)),
  };
}

/** Every command of the tree, root first, depth first. */
export function allCommands(root: CompletionCommand): CompletionCommand[] {
  return [root, ...root.subcommands.flatMap(allCommands)];
}

function firstLine(text: string): string {
  return (text.split("\n")[0] ?? "").trim();
}
