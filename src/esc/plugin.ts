/**
 * The plugin contract (`openesc/plugin`). A plugin is an ES module whose default export is a {@link Plugin}:
 *
 * ```js
 * import { plain, secret } from "openesc/plugin";
 * export default {
 *   providers: { echo: { open: (inputs) => inputs } },          // echoes keep per-value secret flags
 *   rotators: { swap: { open: (i, s) => s, rotate: (i, s) => ({ a: plain(s).b, b: plain(s).a }) } },
 *   decrypt: (payload) => payload.map((b) => (b + 128) & 255),
 * };
 * ```
 *
 * Inputs and state arrive as {@link Value}s; a provider may return plain JSON, Values, or a mix. Throwing an `Error`
 * reports exactly its message as a diagnostic on the call.
 */
import type { Decrypter, Provider, ProviderContext, ProviderRegistry, Rotator } from "./interfaces.js";
import type { Json } from "./json-text.js";
import type { Value } from "./public-value.js";

export { plain, secret, isValue, toValue } from "./public-value.js";
export type { Value, ValueKind, Trace } from "./public-value.js";
export type { ProviderContext } from "./interfaces.js";
export type { Json } from "./json-text.js";
export { JsonNumber, jsonNumber } from "./json-text.js";

/** A plugin provider: optional JSON Schemas (omitted = anything) and `open`. */
export interface PluginProvider {
  readonly inputSchema?: Json;
  readonly outputSchema?: Json;
  open(inputs: Value, context: ProviderContext): unknown;
}

/** A plugin rotator: schemas, `open` with the current state, `rotate` returning the new state. */
export interface PluginRotator {
  readonly inputSchema?: Json;
  readonly stateSchema?: Json;
  readonly outputSchema?: Json;
  open(inputs: Value, state: Value | undefined, context: ProviderContext): unknown;
  rotate(inputs: Value, state: Value | undefined, context: ProviderContext): unknown;
}

/** The default export of a plugin module. */
export interface Plugin {
  readonly providers?: Readonly<Record<string, PluginProvider>>;
  readonly rotators?: Readonly<Record<string, PluginRotator>>;
  decrypt?(payload: Uint8Array): Promise<Uint8Array> | Uint8Array;
}

/** Identity helper that types a plugin object. */
export function definePlugin(plugin: Plugin): Plugin {
  return plugin;
}

/**
 * Validates a loaded plugin module (its namespace object or its default export) and returns the plugin.
 * Throws an `Error` naming the problem when the shape is wrong (a host error, not a user diagnostic).
 */
export function asPlugin(loaded: unknown): Plugin {
  const candidate = loaded && typeof loaded === "object" && "default" in loaded ? (loaded as { default: unknown }).default : loaded;
  if (!candidate || typeof candidate !== "object") throw new Error("plugin must default-export an object");
  const p = candidate as Record<string, unknown>;
  const table = (key: string, methods: string[]): void => {
    const t = p[key];
    if (t === undefined) return;
    if (!t || typeof t !== "object") throw new Error(`plugin ${key} must be an object`);
    for (const [name, impl] of Object.entries(t as Record<string, unknown>)) {
      for (const m of methods) {
        if (!impl || typeof (impl as Record<string, unknown>)[m] !== "function") throw new Error(`plugin ${key}.${name} must have a ${m} function`);
      }
    }
  };
  table("providers", ["open"]);
  table("rotators", ["open", "rotate"]);
  if (p["decrypt"] !== undefined && typeof p["decrypt"] !== "function") throw new Error("plugin decrypt must be a function");
  return candidate as Plugin;
}

/** Builds a provider registry from plugins; a later plugin's provider of the same name wins. */
export function createPluginRegistry(plugins: readonly Plugin[]): ProviderRegistry {
  const providers = new Map<string, Provider>();
  const rotators = new Map<string, Rotator>();
  for (const p of plugins) {
    for (const [n, impl] of Object.entries(p.providers ?? {})) providers.set(n, impl);
    for (const [n, impl] of Object.entries(p.rotators ?? {})) rotators.set(n, impl);
  }
  return { provider: (n) => providers.get(n), rotator: (n) => rotators.get(n) };
}

/** The decrypter of the last plugin that has one, or undefined. */
export function createPluginDecrypter(plugins: readonly Plugin[]): Decrypter | undefined {
  const withDecrypt = [...plugins].reverse().find((p) => typeof p.decrypt === "function");
  if (!withDecrypt) return undefined;
  return { decrypt: (payload) => (withDecrypt.decrypt as (b: Uint8Array) => Promise<Uint8Array> | Uint8Array)(payload) };
}
