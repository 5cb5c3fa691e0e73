import { create } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { createOpenEscClient } from "../../sdks/typescript/src/create-client.js";
import { OpenService } from "../../sdks/typescript/src/gen/openesc/v1/open_pb.js";
import { ValueSchema, type Value } from "../../sdks/typescript/src/gen/openesc/v1/value_pb.js";
import { configNodeFromValue, mergeConfigNodes, type ConfigNode } from "../../sdks/typescript/src/pulumi/config-node.js";
import {
  automationConfig,
  configNodeToJson,
  createPassphraseCrypter,
  INCORRECT_PASSPHRASE,
  isSecretNode,
  newEncryptionSalt,
  parseConfigKey,
  propertyPath,
  pulumiConfigVariables,
  secretPaths,
  type ConfigEntry,
  type StackEnvironmentClient,
} from "../../sdks/typescript/src/pulumi/index.js";

// Pulumi's own test vector (pkg/secrets/passphrase/manager_test.go): the salt state of passphrase "password".
const PULUMI_SALT = "v1:fozI5u6B030=:v1:F+6ZduKKd8G0/V7L:PGMFeIzwobWRKmEAzUdaQHqC5mMRIQ==";

describe("createPassphraseCrypter()", () => {
  it("opens a salt written by the Pulumi CLI with the right passphrase only", async () => {
    const crypter = await createPassphraseCrypter("password", PULUMI_SALT);
    expect(crypter.encryptionSalt).toBe(PULUMI_SALT);
    await expect(createPassphraseCrypter("Password", PULUMI_SALT)).rejects.toThrow(INCORRECT_PASSPHRASE);
    await expect(createPassphraseCrypter("password", "v1:abc")).rejects.toThrow("bad encryption salt");
  });

  it("writes v1:<12-byte nonce>:<ciphertext‖16-byte tag> values that decrypt, each with a fresh nonce", async () => {
    const crypter = await createPassphraseCrypter("password", PULUMI_SALT);
    const a = crypter.encrypt("hunter2");
    const b = crypter.encrypt("hunter2");
    expect(a).toMatch(/^v1:[A-Za-z0-9+/]{16}:[A-Za-z0-9+/=]+$/);
    expect(a).not.toBe(b);
    const [, nonce, sealed] = a.split(":") as [string, string, string];
    expect(Buffer.from(nonce, "base64")).toHaveLength(12);
    expect(Buffer.from(sealed, "base64")).toHaveLength("hunter2".length + 16);
    expect(crypter.decrypt(a)).toBe("hunter2");
    expect(crypter.decrypt("v1:x5WGbvKVk7iYbTbq:FAIUGryX20LtE/xI7bzWH2FuvHex/J8hX4c=")).toBe("from-stack");
    const tampered = `${a.slice(0, -4)}AAA=`;
    expect(() => crypter.decrypt(tampered)).toThrow("value does not decrypt with this passphrase");
  });

  it("makes new salts the same way", async () => {
    const salt = await newEncryptionSalt("s3cret");
    expect(salt).toMatch(/^v1:[A-Za-z0-9+/]{11}=:v1:[A-Za-z0-9+/]{16}:[A-Za-z0-9+/=]+$/);
    const crypter = await createPassphraseCrypter("s3cret", salt);
    expect(crypter.decrypt(crypter.encrypt("x"))).toBe("x");
  });
});

const v = (init: Parameters<typeof create<typeof ValueSchema>>[1]): Value => create(ValueSchema, init);

describe("configNodeFromValue() — Pulumi's envConfigValue", () => {
  it.each<[string, Value, ConfigNode]>([
    ["an unknown becomes [unknown]", v({ unknown: true, kind: { case: "stringValue", value: "" } }), { kind: "string", value: "[unknown]", secret: false }],
    ["a secret unknown stays secret", v({ unknown: true, secret: true }), { kind: "string", value: "[unknown]", secret: true }],
    ["a secret string stays secret", v({ secret: true, kind: { case: "stringValue", value: "pw" } }), { kind: "string", value: "pw", secret: true }],
    ["a secret number becomes plain", v({ secret: true, kind: { case: "numberValue", value: "42" } }), { kind: "number", value: 42 }],
    ["a secret boolean becomes plain", v({ secret: true, kind: { case: "boolValue", value: true } }), { kind: "boolean", value: true }],
    ["null", v({ kind: { case: "nullValue", value: 0 } }), { kind: "null" }],
    ["a number that is no double stays text", v({ kind: { case: "numberValue", value: "1e999" } }), { kind: "string", value: "1e999", secret: false }],
  ])("%s", (_, value, node) => {
    expect(configNodeFromValue(value)).toEqual(node);
  });

  it("keeps member flags in objects and arrays (an object's own flag does not reach its non-strings)", () => {
    const node = configNodeFromValue(
      v({
        secret: true,
        kind: {
          case: "objectValue",
          value: { fields: { b: v({ secret: true, kind: { case: "numberValue", value: "1" } }), a: v({ kind: { case: "listValue", value: { values: [v({ secret: true, kind: { case: "stringValue", value: "s" } })] } } }) } },
        },
      }),
    );
    expect(node).toEqual({ kind: "object", members: { a: { kind: "array", items: [{ kind: "string", value: "s", secret: true }] }, b: { kind: "number", value: 1 } } });
    expect(isSecretNode(node)).toBe(true);
    expect(secretPaths(node)).toEqual([["a", 0]]);
  });
});

describe("mergeConfigNodes() — config.Value.Merge", () => {
  const obj = (members: Record<string, ConfigNode>): ConfigNode => ({ kind: "object", members });
  const s = (value: string, secret = false): ConfigNode => ({ kind: "string", value, secret });
  it("merges objects key by key, the first argument winning, and replaces everything else whole", () => {
    const stack = obj({ a: s("stack"), nested: obj({ x: s("sx") }) });
    const env = obj({ a: s("env"), b: s("eb", true), nested: obj({ x: s("ex"), y: s("ey") }) });
    expect(configNodeToJson(mergeConfigNodes(stack, env))).toEqual({ a: "stack", b: "eb", nested: { x: "sx", y: "ey" } });
    expect(mergeConfigNodes(s("scalar"), env)).toEqual(s("scalar"));
    expect(mergeConfigNodes({ kind: "array", items: [s("1")] }, { kind: "array", items: [s("2"), s("3")] })).toEqual({ kind: "array", items: [s("1")] });
    expect(configNodeToJson(mergeConfigNodes(stack, env), true)).toEqual({ a: "stack", b: "[secret]", nested: { x: "sx", y: "ey" } });
  });
});

describe("parseConfigKey()", () => {
  it.each([
    ["name", "shop:name"],
    ["aws:region", "aws:region"],
    ["shop:name", "shop:name"],
    ["other:config:name", "other:name"],
    ["a:b:c", undefined],
    ["a:b:c:d", undefined],
  ])("%s → %s", (raw, key) => {
    expect(parseConfigKey(raw, "shop")).toBe(key);
  });
});

const entry = (node: ConfigNode): ConfigEntry => ({ node, value: configNodeToJson(node), secret: isSecretNode(node) });

describe("automation helpers", () => {
  it("automationConfig: scalars as text, no paths when nothing is structured", () => {
    const config = { "shop:a": entry({ kind: "string", value: "x", secret: true }), "shop:n": entry({ kind: "number", value: 5 }), "shop:b": entry({ kind: "boolean", value: false }) };
    expect(automationConfig({ config })).toEqual({
      config: { "shop:a": { value: "x", secret: true }, "shop:n": { value: "5", secret: false }, "shop:b": { value: "false", secret: false } },
      path: false,
    });
  });

  it("automationConfig: structured values become one property path per leaf", () => {
    const config = {
      "shop:db": entry({ kind: "object", members: { host: { kind: "string", value: "h", secret: false }, "a.b": { kind: "string", value: "pw", secret: true } } }),
      "shop:hosts": entry({ kind: "array", items: [{ kind: "string", value: "x", secret: false }] }),
      "shop:plain": entry({ kind: "string", value: "p", secret: false }),
    };
    expect(automationConfig({ config })).toEqual({
      config: {
        "shop:db.host": { value: "h", secret: false },
        'shop:db["a.b"]': { value: "pw", secret: true },
        "shop:hosts[0]": { value: "x", secret: false },
        "shop:plain": { value: "p", secret: false },
      },
      path: true,
    });
    expect(propertyPath("odd:na.me", ["k"])).toBe('["odd:na.me"].k');
  });

  it("pulumiConfigVariables: PULUMI_CONFIG texts and the secret keys", () => {
    const config = {
      "shop:db": entry({ kind: "object", members: { pw: { kind: "string", value: "s", secret: true } } }),
      "shop:n": entry({ kind: "number", value: 1.5 }),
    };
    expect(pulumiConfigVariables({ config })).toEqual({ PULUMI_CONFIG: '{"shop:db":"{\\"pw\\":\\"s\\"}","shop:n":"1.5"}', PULUMI_CONFIG_SECRET_KEYS: '["shop:db"]' });
    expect(pulumiConfigVariables({ config }, { redact: true }).PULUMI_CONFIG).toBe('{"shop:db":"{\\"pw\\":\\"[secret]\\"}","shop:n":"1.5"}');
  });
});

it("the SDK client's OpenService is a StackEnvironmentClient (checked by tsc)", () => {
  const client: StackEnvironmentClient = createOpenEscClient({ url: "http://127.0.0.1:1", token: "oesc_x_y" }).service(OpenService);
  expect(typeof client.resolveAnonymousEnvironment).toBe("function");
});
