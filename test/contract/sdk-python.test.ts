import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { ROOT, SETUP_TOOLS_FIX, missingFiles, missingToolchain, run } from "./support.js";

const PYTHON = ".tools/venv/bin/python";
const GENERATED = "sdks/python/src/openesc/v1";

describe("Python SDK (sdks/python)", () => {
  test("pyproject.toml pins the Connect runtime that the pinned generator targets", () => {
    const pyproject = readFileSync(join(ROOT, "sdks/python/pyproject.toml"), "utf8");
    const setup = readFileSync(join(ROOT, "scripts/setup-tools.sh"), "utf8");
    const generator = /"protoc-gen-connectrpc==([\d.]+)"/.exec(setup)?.[1];
    expect(generator, "protoc-gen-connectrpc pin in scripts/setup-tools.sh").toBeDefined();
    expect(pyproject).toContain(`"connectrpc==${generator}"`);
  });

  test("the package and every generated module import in the tools venv", (ctx) => {
    if (missingFiles([PYTHON]).length > 0) {
      missingToolchain(ctx, `the Python tools venv (${PYTHON}) is missing`, SETUP_TOOLS_FIX);
    }
    const modules = readdirSync(join(ROOT, GENERATED))
      .filter((f) => f.endsWith(".py") && f !== "__init__.py")
      .map((f) => `openesc.v1.${f.slice(0, -3)}`)
      .sort();
    expect(modules.length).toBeGreaterThan(0);
    const script = [
      "import importlib, sys",
      "import openesc, openesc.v1",
      "assert openesc.__version__, 'openesc.__version__ is empty'",
      "for name in sys.argv[1:]:",
      "    importlib.import_module(name)",
      "print(f'imported openesc {openesc.__version__} and {len(sys.argv) - 1} generated modules')",
    ].join("\n");
    const py = run(PYTHON, ["-c", script, ...modules], {
      // No __pycache__ in the source tree: the regeneration check compares that folder.
      env: { PYTHONPATH: join(ROOT, "sdks/python/src"), PYTHONDONTWRITEBYTECODE: "1", PYTHONNOUSERSITE: "1" },
      timeoutMs: 120_000,
    });
    expect(py.status, py.report).toBe(0);
  }, 150_000);
});
