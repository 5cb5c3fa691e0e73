import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Code, ConnectError } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DiagnosticsSchema } from "../gen/openesc/v1/diagnostic_pb.js";
import { openStore, type Store } from "../store/index.js";
import { checkDefinitionForStore, MAX_DEFINITION_BYTES } from "./definition-check.js";

let dir: string;
let store: Store;
const key = { org: "default", project: "p", name: "dev" };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "openesc-defcheck-"));
  store = await openStore({ url: `sqlite:${join(dir, "db.sqlite")}` });
  await store.migrate();
  await store.organizations.create({ name: "default", description: "" });
  await store.environments.create({ key: { org: "default", project: "p", name: "base" }, definition: "values:\n  shared: 1\n", author: "t" });
});
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

async function refusal(definition: string): Promise<{ message: string; diagnostics: [string, number | undefined, number | undefined][] }> {
  try {
    await checkDefinitionForStore(store, key, definition);
  } catch (e) {
    const ce = ConnectError.from(e);
    expect(ce.code).toBe(Code.InvalidArgument);
    const diagnostics = (ce.findDetails(DiagnosticsSchema)[0]?.diagnostics ?? []).map(
      (d) => [d.summary, d.range?.begin?.line, d.range?.begin?.column] as [string, number | undefined, number | undefined],
    );
    return { message: ce.rawMessage, diagnostics };
  }
  throw new Error("expected a refusal");
}

describe("checkDefinitionForStore()", () => {
  it("accepts a mapping unchanged, returns warnings, and turns an empty definition into {}", async () => {
    expect(await checkDefinitionForStore(store, key, "values:\n  a: 1 # c\n")).toEqual({ definition: "values:\n  a: 1 # c\n", warnings: [] });
    expect((await checkDefinitionForStore(store, key, "")).definition).toBe("{}\n");
    const warned = await checkDefinitionForStore(store, key, "values: {}\nextra: 1\n");
    expect(warned.warnings.map((w) => [w.severity, w.summary])).toEqual([
      ["warning", "Field 'extra' does not exist on Object 'environment'. Existing fields are: 'imports', 'values', 'description'"],
    ]);
  });

  it("resolves imports against stored environments of the same org", async () => {
    expect((await checkDefinitionForStore(store, key, "imports: [p/base]\nvalues:\n  x: ${shared}\n")).warnings).toEqual([]);
    const r = await refusal("imports: [p/missing]\n");
    expect(r.message).toBe('definition: 1:11: environment "p/missing" not found');
  });

  it("refuses aliases and non-mapping roots with their position", async () => {
    expect((await refusal("values:\n  a: &x 1\n  b: *x\n")).diagnostics).toEqual([["alias nodes are not supported", 3, 6]]);
    expect((await refusal("- a\n")).message).toBe("definition: 1:3: environment must be an object");
  });

  it("refuses YAML that does not parse without echoing its text", async () => {
    const r = await refusal("values:\n  a: [1, 2\n  secret: hunter2\n");
    expect(r.message).toMatch(/^definition: yaml: /);
    expect(r.message).not.toContain("hunter2");
  });

  it("refuses more than 1 MiB and more than 64 levels of nesting", async () => {
    expect((await refusal(`values:\n  a: "${"x".repeat(MAX_DEFINITION_BYTES)}"\n`)).message).toMatch(/^definition: .*1048576/);
    const deep = "values:\n" + Array.from({ length: 70 }, (_, i) => `${"  ".repeat(i + 1)}k${i}:`).join("\n") + " 1\n";
    expect((await refusal(deep)).message).toMatch(/^definition: .*64/);
  });
});
