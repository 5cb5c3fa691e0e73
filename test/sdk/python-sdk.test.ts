import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { ROOT, SETUP_TOOLS_FIX, missingFiles, missingToolchain, onPath, run } from "../contract/support.js";
import { startTestServer } from "../support/server.js";

const PYTHON = ".tools/venv/bin/python";
// No bytecode or pytest cache in the source tree: the regeneration check compares sdks/python/src/openesc/v1.
const QUIET = { PYTHONDONTWRITEBYTECODE: "1", PYTHONNOUSERSITE: "1" };

describe("Python SDK suite (pytest in sdks/python)", () => {
  test("passes against a real server", (ctx) => {
    if (missingFiles([PYTHON]).length > 0) missingToolchain(ctx, `the Python tools venv (${PYTHON}) is missing: the Python SDK suite cannot run`, SETUP_TOOLS_FIX);
    if (!onPath("openssl")) missingToolchain(ctx, "openssl is not installed: the Python SDK's TLS test needs it", "install openssl");
    const result = run(join(ROOT, PYTHON), ["-m", "pytest", "-p", "no:cacheprovider", "-q"], { cwd: "sdks/python", env: QUIET, timeoutMs: 600_000 });
    expect(result.status, result.report).toBe(0);
    expect(result.stdout).toMatch(/^\d+ passed/m);
    expect(result.stdout).not.toMatch(/skipped|failed|error/);
  }, 620_000);

  test("the built wheel installs and runs the README example", async (ctx) => {
    if (missingFiles([PYTHON]).length > 0) missingToolchain(ctx, `the Python tools venv (${PYTHON}) is missing`, SETUP_TOOLS_FIX);
    const tmp = mkdtempSync(join(tmpdir(), "openesc-pywheel-run-"));
    const server = await startTestServer();
    try {
      // Built from a copy: setuptools writes build/ and *.egg-info beside the sources.
      const src = join(tmp, "python");
      cpSync(join(ROOT, "sdks/python"), src, { recursive: true, filter: (p) => !/(__pycache__|\.egg-info|[\\/]build|[\\/]dist|[\\/]tests)$/.test(p) });
      const wheels = join(tmp, "wheels");
      const build = run(join(ROOT, PYTHON), ["-m", "pip", "wheel", "--no-build-isolation", "--no-deps", "--no-index", "--disable-pip-version-check", "--wheel-dir", wheels, src], { env: QUIET, timeoutMs: 180_000 });
      expect(build.status, build.report).toBe(0);
      const wheel = readdirSync(wheels).find((f) => f.endsWith(".whl"));
      expect(wheel).toMatch(/^openesc-0\.1\.0-py3-none-any\.whl$/);
      const site = join(tmp, "site");
      const install = run(join(ROOT, PYTHON), ["-m", "pip", "install", "--no-deps", "--no-index", "--disable-pip-version-check", "--target", site, join(wheels, wheel!)], { env: QUIET, timeoutMs: 180_000 });
      expect(install.status, install.report).toBe(0);

      const setup = [
        "import sys",
        "from openesc import Client",
        "from openesc.v1.organization_connect import OrganizationServiceClientSync",
        "from openesc.v1.organization_pb2 import CreateOrganizationRequest",
        "from openesc.v1.environment_connect import EnvironmentServiceClientSync",
        "from openesc.v1.environment_pb2 import CreateEnvironmentRequest",
        "import openesc; assert openesc.__file__.startswith(sys.argv[1]), openesc.__file__",
        "with Client() as esc:",
        "    esc.service(OrganizationServiceClientSync).create_organization(CreateOrganizationRequest(name='acme'))",
        "    esc.service(EnvironmentServiceClientSync).create_environment(CreateEnvironmentRequest(org='acme', project='payments', environment='prod', definition='values:\\n  db:\\n    password:\\n      fn::secret: hunter2\\n'))",
      ].join("\n");
      const env = { ...QUIET, PYTHONPATH: site, OPENESC_URL: server.url, OPENESC_TOKEN: server.token, OPENESC_HOME: join(tmp, "home") };
      const created = run(join(ROOT, PYTHON), ["-c", setup, site], { cwd: "..", env, timeoutMs: 60_000 });
      expect(created.status, created.report).toBe(0);
      const example = /```python\n([\s\S]*?)```/.exec(readFileSync(join(ROOT, "sdks/python/README.md"), "utf8"))?.[1] ?? "";
      const ran = run(join(ROOT, PYTHON), ["-c", example], { cwd: "..", env, timeoutMs: 60_000 });
      expect(ran.status, ran.report).toBe(0);
      expect(ran.stdout).toBe("[secret]\nhunter2\n");
    } finally {
      await server.stop();
      rmSync(tmp, { recursive: true, force: true });
    }
  }, 300_000);
});
