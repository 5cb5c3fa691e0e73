import { describe, expect, it } from "vitest";
import { evaluateEnvironment } from "./evaluate.js";
import { renderJson } from "./render.js";

describe("JSON numbers", () => {
  it("an object whose only key is `number` stays an object in JSON output", async () => {
    const r = await evaluateEnvironment("values:\n  o:\n    number: five\n  p:\n    number: \"5\"\n  n: 1.50\n", { name: "t" });
    expect(renderJson(r.environment?.value)).toBe('{\n  "n": 1.5,\n  "o": {\n    "number": "five"\n  },\n  "p": {\n    "number": "5"\n  }\n}\n');
  });
});
