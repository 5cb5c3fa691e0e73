import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { asPlugin, createPluginDecrypter, createPluginRegistry, type Decrypter, type Plugin, type ProviderRegistry } from "../esc/index.js";
import { CliError } from "./context.js";

/** The plugins of one `openesc env eval` run, merged. */
export interface LoadedPlugins {
  readonly plugins: readonly Plugin[];
  /** Providers and rotators of every plugin; for a name defined by several plugins, the last one given wins. */
  readonly registry: ProviderRegistry;
  /** The `decrypt` of the last plugin that has one, or undefined (ciphertext is then a diagnostic). */
  readonly decrypter: Decrypter | undefined;
}

/**
 * Loads `--plugin FILE.mjs` modules (issue 3, deliverable 4) with `import(pathToFileURL(abs))`, relative paths
 * against `cwd`, and validates each default export with the language module's adapter ({@link asPlugin}).
 * Plugins merge in order: a provider, rotator or decrypter defined again by a later plugin replaces the earlier
 * one (like `PATH`, so a test plugin can override a single provider of a shared one).
 *
 * Throws a CliError (exit 1) naming the file when a module cannot be imported (missing file, syntax error, a
 * throwing top level) or its default export is not a plugin.
 */
export async function loadPlugins(files: readonly string[], cwd: string = process.cwd()): Promise<LoadedPlugins> {
  const plugins: Plugin[] = [];
  for (const file of files) plugins.push(await loadPlugin(file, cwd));
  return { plugins, registry: createPluginRegistry(plugins), decrypter: createPluginDecrypter(plugins) };
}

/** Loads and validates one plugin module; see {@link loadPlugins}. */
export async function loadPlugin(file: string, cwd: string = process.cwd()): Promise<Plugin> {
  const path = resolve(cwd, file);
  if (!existsSync(path)) throw new CliError(`cannot load plugin ${file}: no such file`);
  let loaded: unknown;
  try {
    loaded = await import(pathToFileURL(path).href);
  } catch (e) {
    throw new CliError(`cannot load plugin ${file}: ${firstLine(e)}`);
  }
  try {
    return asPlugin(loaded);
  } catch (e) {
    throw new CliError(`invalid plugin ${file}: ${firstLine(e)}`);
  }
}

function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split("\n")[0] ?? "";
}
