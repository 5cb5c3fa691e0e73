import { describe, expect, it } from "vitest";
import { evaluateEnvironment } from "./evaluate.js";
import { asPlugin, createPluginDecrypter, createPluginRegistry, definePlugin, jsonNumber, plain, secret, type Plugin } from "./plugin.js";
import { jsonOf } from "./testdata/harness.js";
import { toValue } from "./public-value.js";

const plugin = definePlugin({
  providers: {
    echo: { open: (inputs) => inputs },
    mixed: { open: (inputs) => ({ user: plain(inputs), token: secret("t0k3n"), n: 1.5, big: 1e21 }) },
    throws: { open: () => { throw new Error("exactly this message"); } },
    typed: { inputSchema: { type: "object", required: ["region"] }, outputSchema: { type: "object", properties: { id: { type: "string" } } }, open: () => ({ id: "x" }) },
  },
  rotators: {
    counter: {
      open: (_i, state) => ({ n: plain(state) }),
      rotate: (_i, state) => ({ n: Number((plain(state) as { n: number }).n) + 1 }),
    },
  },
  decrypt: (payload) => payload.map((b) => (b + 128) & 255),
});

describe("plugin contract (openesc/plugin)", () => {
  it("validates loaded modules", () => {
    expect(asPlugin({ default: plugin })).toBe(plugin);
    expect(asPlugin(plugin)).toBe(plugin);
    expect(() => asPlugin({ default: 3 })).toThrow("plugin must default-export an object");
    expect(() => asPlugin({ providers: { x: {} } })).toThrow("plugin providers.x must have a open function");
    expect(() => asPlugin({ rotators: { r: { open: () => 1 } } })).toThrow("plugin rotators.r must have a rotate function");
    expect(() => asPlugin({ decrypt: 1 })).toThrow("plugin decrypt must be a function");
  });

  it("echo keeps per-value secret flags; plain() reveals; secret() marks everything", async () => {
    const providers = createPluginRegistry([plugin]);
    const r = await evaluateEnvironment("values:\n  pw: {fn::secret: p}\n  e: {fn::open::echo: {a: \"${pw}\", b: [1, x]}}\n  m: {fn::open::mixed: {u: ana}}\n", { providers });
    expect(jsonOf(r)).toBe('{"e":{"a":"[secret]","b":[1,"x"]},"m":{"big":1e+21,"n":1.5,"token":"[secret]","user":{"u":"ana"}},"pw":"[secret]"}');
  });

  it("turns a thrown Error into a diagnostic with exactly its message", async () => {
    const r = await evaluateEnvironment("values:\n  x: {fn::open::throws: {}}\n", { providers: createPluginRegistry([plugin]) });
    expect(r.diagnostics.map((d) => [d.summary, d.path])).toEqual([["exactly this message", "values.x"]]);
  });

  it("applies declared schemas", async () => {
    const r = await evaluateEnvironment("values:\n  x: {fn::open::typed: {}}\n  y: ${x.id.z}\n", { providers: createPluginRegistry([plugin]), mode: "check" });
    expect(r.diagnostics.map((d) => d.summary)).toEqual(["missing required properties: region", "receiver must be an array or an object"]);
  });

  it("adapts rotators and the decrypter", async () => {
    const plugins: Plugin[] = [plugin];
    const opts = { providers: createPluginRegistry(plugins), decrypter: createPluginDecrypter(plugins)! };
    const y = "values:\n  c: {fn::rotate::counter: {inputs: {}, state: {n: 1}}}\n  t: {fn::secret: {ciphertext: ZXNjeAAAAAHo9e705fKyKo30VQ==}}\n";
    expect(jsonOf(await evaluateEnvironment(y, opts), false)).toBe('{"c":{"n":{"n":1}},"t":"hunter2"}');
    const rotated = await evaluateEnvironment(y, { ...opts, mode: "rotate" });
    expect(rotated.patches.map((p) => plain(p.replacement))).toEqual([{ n: 2 }]);
    expect(createPluginDecrypter([{}])).toBeUndefined();
  });

  it("lets a later plugin override a provider of the same name", async () => {
    const other: Plugin = { providers: { echo: { open: () => "second" } } };
    const r = await evaluateEnvironment("values:\n  e: {fn::open::echo: {}}\n", { providers: createPluginRegistry([plugin, other]) });
    expect(jsonOf(r)).toBe('{"e":"second"}');
  });

  it("plain() turns values into JSON with numbers and unknown markers", () => {
    expect(plain(toValue({ a: [1, "x", null, true], b: jsonNumber("1.50") }))).toEqual({ a: [1, "x", null, true], b: 1.5 });
    // an object whose only key is `number` stays an object
    expect(plain(toValue({ o: { number: "five" } }))).toEqual({ o: { number: "five" } });
    expect(plain(secret({ a: 1 }))).toEqual({ a: 1 });
    expect(secret({ a: [1] }).secret && (secret({ a: [1] }).value as Record<string, { secret: boolean }>)["a"]?.secret).toBe(true);
  });
});
