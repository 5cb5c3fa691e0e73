import { describe, expect, it } from "vitest";
import * as esc from "./index.js";
import * as plugin from "./plugin.js";

describe("public surface", () => {
  it("index.ts exports exactly the documented runtime names", () => {
    expect(Object.keys(esc).sort()).toEqual([
      "DEFAULT_LIMITS", "ESC_VALUE", "JsonNumber", "applyRotationPatches", "asPlugin", "checkDefinition", "createPluginDecrypter", "createPluginRegistry", "createValue",
      "decryptDefinition", "definePlugin", "encryptDefinition", "environmentVariables", "evaluateEnvironment", "files",
      "formatDiagnostic", "goQuote", "hasErrors", "interpolateArgs", "isValue", "jsonNumber", "openEnvelope", "parseDocPath", "plain",
      "pulumiConfig", "redactSecrets", "renderDetailed", "renderDotenv", "renderJson", "renderShell", "renderString", "sealEnvelope",
      "secret", "selectPath", "toPlainJson", "toValue", "valueToString",
    ]);
  });

  it("plugin.ts (openesc/plugin) exports the plugin helpers", () => {
    expect(Object.keys(plugin).sort()).toEqual([
      "JsonNumber", "asPlugin", "createPluginDecrypter", "createPluginRegistry", "definePlugin", "isValue", "jsonNumber", "plain", "secret", "toValue",
    ]);
  });

  it("checkDefinition reports ranges, paths and severities and returns the check-mode value", async () => {
    const r = await esc.checkDefinition("values:\n  a: ${b}\n  c: {fn::open::x: {}}\n", "proj/env");
    expect(r.hasErrors).toBe(true);
    expect(r.diagnostics).toEqual([
      { severity: "error", summary: 'unknown property "b"', path: "values.a", range: { environment: "proj/env", begin: { line: 2, column: 8, byte: 15 }, end: { line: 2, column: 9, byte: 16 } } },
      { severity: "error", summary: 'unknown provider "x"', path: "values.c", range: { environment: "proj/env", begin: { line: 3, column: 7, byte: 24 }, end: { line: 3, column: 20, byte: 37 } } },
    ]);
    expect(esc.renderJson(r.environment?.value)).toBe('{\n  "a": "[unknown]",\n  "c": "[unknown]"\n}\n');
    expect(r.diagnostics.map((d) => esc.formatDiagnostic(d, "proj/env"))).toEqual([
      'proj/env:2:8: error: unknown property "b"', 'proj/env:3:7: error: unknown provider "x"',
    ]);
  });
});
