import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { evaluateEnvironment, renderJson } from "../esc/index.js";
import { loadPlugin, loadPlugins } from "./plugin-loader.js";

const PLUGINS = join(import.meta.dirname, "../../test/eval-cli/fixtures/plugins");

describe("loadPlugins", () => {
  it("loads a plugin by path (relative to cwd) and validates it", async () => {
    const p = await loadPlugin("test.mjs", PLUGINS);
    expect(Object.keys(p.providers ?? {})).toContain("echo");
    expect(typeof p.decrypt).toBe("function");
  });

  it("an echo provider keeps per-value secret flags", async () => {
    const { registry } = await loadPlugins([join(PLUGINS, "test.mjs")]);
    const yaml = 'values:\n  pw: { fn::secret: hunter2 }\n  e: { fn::open::echo: { user: u, pw: "${pw}" } }\n';
    const r = await evaluateEnvironment(yaml, { name: "env", providers: registry });
    expect(r.diagnostics).toEqual([]);
    expect(renderJson(r.environment?.properties["e"])).toBe('{\n  "pw": "[secret]",\n  "user": "u"\n}\n');
  });

  it("a provider that throws gives a diagnostic whose text is exactly its message", async () => {
    const { registry } = await loadPlugins([join(PLUGINS, "test.mjs")]);
    const r = await evaluateEnvironment("values:\n  f: { fn::open::fail: { why: boom } }\n", { name: "env", providers: registry });
    expect(r.diagnostics.map((d) => d.summary)).toEqual(["the fail provider failed: boom"]);
  });

  it("decrypts with the plugin's decrypt (the §16.1 test envelope)", async () => {
    const { decrypter } = await loadPlugins([join(PLUGINS, "test.mjs")]);
    expect(decrypter).toBeDefined();
    const yaml = "values:\n  pw: { fn::secret: { ciphertext: ZXNjeAAAAAHo9e705fKyKo30VQ== } }\n";
    const r = await evaluateEnvironment(yaml, { name: "env", ...(decrypter ? { decrypter } : {}) });
    expect(r.diagnostics).toEqual([]);
    expect(renderJson(r.environment?.value, { redact: false })).toBe('{\n  "pw": "hunter2"\n}\n');
  });

  it("merges plugins in order: the later definition wins", async () => {
    const a = await loadPlugins([join(PLUGINS, "test.mjs"), join(PLUGINS, "override.mjs")]);
    const b = await loadPlugins([join(PLUGINS, "override.mjs"), join(PLUGINS, "test.mjs")]);
    const ctx = { environment: "e", rootEnvironment: "e", context: undefined as never, signal: new AbortController().signal };
    expect(await a.registry.provider("echo")?.open({ x: 1 } as never, ctx)).toEqual({ from: "override" });
    expect(await b.registry.provider("echo")?.open({ x: 1 } as never, ctx)).toEqual({ x: 1 });
    // a plugin without decrypt does not hide an earlier one's
    expect(a.decrypter).toBeDefined();
    expect((await loadPlugins([join(PLUGINS, "override.mjs")])).decrypter).toBeUndefined();
  });

  it("no plugins: no providers, no decrypter", async () => {
    const { registry, decrypter } = await loadPlugins([]);
    expect(registry.provider("echo")).toBeUndefined();
    expect(decrypter).toBeUndefined();
  });

  it("names the file when a plugin cannot be loaded or is not a plugin", async () => {
    await expect(loadPlugin("missing.mjs", PLUGINS)).rejects.toThrow("cannot load plugin missing.mjs: no such file");
    await expect(loadPlugin("throws-on-load.mjs", PLUGINS)).rejects.toThrow("cannot load plugin throws-on-load.mjs: plugin refuses to load");
    await expect(loadPlugin("not-a-plugin.mjs", PLUGINS)).rejects.toThrow(/^invalid plugin not-a-plugin\.mjs: plugin providers\.bad must have a/);
  });
});
