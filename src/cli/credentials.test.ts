import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { CliError } from "./context.js";
import { credentialsPath, normalizeServerUrl, readCredentials, writeCredentials } from "./credentials.js";

const dirs: string[] = [];
const home = () => {
  const dir = mkdtempSync(join(tmpdir(), "openesc-creds-"));
  dirs.push(dir);
  return { OPENESC_HOME: join(dir, ".openesc") };
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe("credentials", () => {
  it("reads nothing when there is no file", () => {
    expect(readCredentials(home())).toEqual({ servers: {} });
  });

  it("writes the file with mode 0600 in a 0700 folder under OPENESC_HOME, and reads it back", () => {
    const env = home();
    const creds = { current: "http://h:1", servers: { "http://h:1": { token: "t", org: "acme" } } };
    writeCredentials(env, creds);
    expect(statSync(credentialsPath(env)).mode & 0o777).toBe(0o600);
    expect(statSync(env.OPENESC_HOME).mode & 0o777).toBe(0o700);
    expect(readCredentials(env)).toEqual(creds);
  });

  it("says so when the file is broken", () => {
    const env = home();
    writeCredentials(env, { servers: {} });
    writeFileSync(credentialsPath(env), "{nope");
    expect(() => readCredentials(env)).toThrow(CliError);
  });
});

describe("normalizeServerUrl()", () => {
  it.each([
    ["http://127.0.0.1:8080", "http://127.0.0.1:8080"],
    ["http://127.0.0.1:8080/", "http://127.0.0.1:8080"],
    ["HTTPS://Esc.Example.com/base/", "https://esc.example.com/base"],
  ])("%s → %s", (text, url) => {
    expect(normalizeServerUrl(text)).toBe(url);
  });

  it.each(["127.0.0.1:8080", "ftp://x", "nope"])("refuses %s as a usage error", (text) => {
    expect(() => normalizeServerUrl(text)).toThrow(expect.objectContaining({ exitCode: 2 }));
  });
});
