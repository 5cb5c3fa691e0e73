import { spawnSync } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createOpenEscClient, EnvironmentService, OrganizationService } from "../src/index.js";
import { startTestServer, type TestServer } from "./support/server.js";

const PACKAGE = resolve(import.meta.dirname, "..");
// The README's first code block, run as a module inside the package (so that "@openesc/sdk" resolves to dist/).
const example = /```ts\n([\s\S]*?)```/.exec(readFileSync(join(PACKAGE, "README.md"), "utf8"))?.[1] ?? "";
const file = join(PACKAGE, `.readme-example-${process.pid}.mjs`);

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
  const esc = createOpenEscClient({ url: server.url, token: server.token, env: {} });
  await esc.service(OrganizationService).createOrganization({ name: "acme" });
  await esc.service(EnvironmentService).createEnvironment({
    org: "acme", project: "payments", environment: "prod", definition: "values:\n  db:\n    password:\n      fn::secret: hunter2\n",
  });
});
afterAll(async () => {
  rmSync(file, { force: true });
  await server?.stop();
});

it("the README's open-and-read example prints the secret redacted, then revealed", () => {
  expect(example).toContain("createOpenEscClient()");
  writeFileSync(file, example);
  const run = spawnSync(process.execPath, [file], {
    encoding: "utf8",
    env: { ...process.env, OPENESC_URL: server.url, OPENESC_TOKEN: server.token, OPENESC_HOME: join(PACKAGE, ".no-home") },
  });
  expect(run.stderr).toBe("");
  expect(run.stdout).toBe("[secret]\nhunter2\n");
});
