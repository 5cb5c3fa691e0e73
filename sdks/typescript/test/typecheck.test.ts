import { spawnSync } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterAll, expect, it } from "vitest";

// The tests run untyped under vitest; this compiles them (and the README's example as a TypeScript
// module) with the strict settings, so that what users write type-checks as the README shows it.
const PACKAGE = resolve(import.meta.dirname, "..");
const example = join(PACKAGE, "test", `.readme-example-${process.pid}.ts`);
afterAll(() => rmSync(example, { force: true }));

it("the tests and the README example type-check (tsc -p tsconfig.test.json)", () => {
  const block = /```ts\n([\s\S]*?)```/.exec(readFileSync(join(PACKAGE, "README.md"), "utf8"))?.[1] ?? "";
  writeFileSync(example, block.replace('from "@openesc/sdk"', 'from "../src/index.js"'));
  const tsc = spawnSync(process.execPath, [join(PACKAGE, "../../node_modules/typescript/bin/tsc"), "-p", join(PACKAGE, "tsconfig.test.json")], { encoding: "utf8" });
  expect(tsc.stdout + tsc.stderr).toBe("");
  expect(tsc.status).toBe(0);
}, 180_000);
