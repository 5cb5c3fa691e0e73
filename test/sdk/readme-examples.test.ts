import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../contract/support.js";

// The root README's SDK examples are the ones each SDK's suite runs: its README's first block of
// that language (sdks/typescript/test/readme.test.ts, sdks/go/readme_test.go + Example,
// sdks/python/tests/test_readme.py).
const firstBlock = (file: string, lang: string): string =>
  new RegExp("```" + lang + "\\n([\\s\\S]*?)```").exec(readFileSync(join(ROOT, file), "utf8"))?.[1] ?? `(no ${lang} block in ${file})`;

const sdks = readFileSync(join(ROOT, "README.md"), "utf8").split("## SDKs")[1]?.split("\n## ")[0] ?? "";

describe("README, section SDKs", () => {
  it.each([
    ["ts", "sdks/typescript/README.md"],
    ["go", "sdks/go/README.md"],
    ["python", "sdks/python/README.md"],
  ])("shows the %s example that %s holds and its tests run", (lang, file) => {
    expect(sdks).toContain("```" + lang + "\n" + firstBlock(file, lang) + "```");
  });
});
