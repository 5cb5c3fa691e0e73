import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
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

  test("builds a wheel that ships py.typed and every generated module and stub", (ctx) => {
    if (missingFiles([PYTHON]).length > 0) {
      missingToolchain(ctx, `the Python tools venv (${PYTHON}) is missing`, SETUP_TOOLS_FIX);
    }
    // Build from a copy: setuptools writes build/ and *.egg-info beside the sources.
    const tmp = mkdtempSync(join(tmpdir(), "openesc-pywheel-"));
    try {
      const src = join(tmp, "python");
      cpSync(join(ROOT, "sdks/python"), src, {
        recursive: true,
        filter: (p) => !/(__pycache__|\.egg-info|[\\/]build|[\\/]dist)$/.test(p),
      });
      const wheelDir = join(tmp, "wheel");
      const wheel = run(
        PYTHON,
        ["-m", "pip", "wheel", "--no-build-isolation", "--no-deps", "--no-index", "--disable-pip-version-check",
          "--wheel-dir", wheelDir, src],
        { timeoutMs: 180_000 },
      );
      expect(wheel.status, wheel.report).toBe(0);
      const built = readdirSync(wheelDir).filter((f) => f.endsWith(".whl"));
      expect(built).toHaveLength(1);
      const list = run(PYTHON, ["-c", "import sys, zipfile; print('\\n'.join(zipfile.ZipFile(sys.argv[1]).namelist()))",
        join(wheelDir, built[0]!)]);
      expect(list.status, list.report).toBe(0);
      const inWheel = new Set(list.stdout.split("\n").filter((l) => l !== ""));
      const expected = [
        "openesc/__init__.py",
        "openesc/py.typed",
        ...readdirSync(join(ROOT, GENERATED))
          .filter((f) => f.endsWith(".py") || f.endsWith(".pyi"))
          .map((f) => `openesc/v1/${f}`),
      ];
      expect(expected.filter((f) => !inWheel.has(f)), "files missing from the wheel").toEqual([]);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }, 200_000);
});
