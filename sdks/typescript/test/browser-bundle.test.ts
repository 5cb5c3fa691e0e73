import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./support/server.js";

// The package as a browser bundler sees it: the built dist/ (npm run build), resolved with the
// "browser" conditions and field, for platform "browser", where a node: import cannot resolve.
const PACKAGE = resolve(import.meta.dirname, "..");

let server: TestServer;
let bundle: string;
const dir = mkdtempSync(join(tmpdir(), "openesc-browser-"));

beforeAll(async () => {
  server = await startTestServer();
  const result = await build({
    stdin: { contents: 'export * from "@openesc/sdk";', resolveDir: PACKAGE, loader: "js" },
    bundle: true,
    platform: "browser",
    format: "esm",
    write: false,
    logLevel: "silent",
  });
  bundle = result.outputFiles[0]?.text ?? "";
});
afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe("the browser entry", () => {
  it("bundles without Node built-ins or the Node transport", () => {
    expect(bundle.length).toBeGreaterThan(0);
    expect(bundle).not.toMatch(/from\s*["']node:|require\(["']node:/);
    expect(bundle).not.toContain("http2");
    expect(bundle).toContain("createConnectTransport");
  });

  it("opens an environment over fetch with the bundled client", async () => {
    const file = join(dir, "bundle.mjs");
    writeFileSync(file, bundle);
    const sdk = (await import(pathToFileURL(file).href)) as typeof import("../src/index.js");
    const esc = sdk.createOpenEscClient({ url: server.url, token: server.token });
    await esc.service(sdk.EnvironmentService).createEnvironment({
      org: "default", project: "web", environment: "dev", definition: "values:\n  api: https://api.example.com\n  key:\n    fn::secret: s3cret\n",
    });
    const env = await esc.open("default/web/dev");
    expect(env.get("api")).toBe("https://api.example.com");
    expect(String(env.get("key"))).toBe("[secret]");
    expect(sdk.reveal(env.get("key"))).toBe("s3cret");
    const missing = await esc.open("default/web/missing").catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(sdk.NotFoundError);
  });

  it("needs a URL: there is no environment or credentials file in a browser", async () => {
    const sdk = (await import(pathToFileURL(join(dir, "bundle.mjs")).href)) as typeof import("../src/index.js");
    expect(() => sdk.createOpenEscClient({})).toThrow("no OpenESC server: pass `url`");
  });
});
