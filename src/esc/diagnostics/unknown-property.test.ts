import { describe, expect, it } from "vitest";
import { expectDiagnostics } from "../testdata/expect-diagnostics.js";

describe("diagnostic: `unknown property \"K\"` with and without did-you-mean", () => {
  it("is reported exactly, with range and path", async () => {
    await expectDiagnostics("values:\n  object: {hello: world}\n  a: ${object.hell}\n  b: ${object.zzzzzz}\n", {}, {}, [
      "env:3:14: error: unknown property \"hell\"; did you mean \"hello\"? [values.a]",
      "env:4:14: error: unknown property \"zzzzzz\" [values.b]"
    ], "{\"a\":\"[unknown]\",\"b\":\"[unknown]\",\"object\":{\"hello\":\"world\"}}");
  });
});
