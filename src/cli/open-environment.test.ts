import { create } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import { DiagnosticsSchema, Diagnostic_Severity } from "../gen/openesc/v1/diagnostic_pb.js";
import { CliError } from "./context.js";
import { openError, parseDuration } from "./open-environment.js";

describe("parseDuration()", () => {
  it.each([
    { text: "30s", seconds: 30n, nanos: 0 },
    { text: "15m", seconds: 900n, nanos: 0 },
    { text: "2h", seconds: 7200n, nanos: 0 },
    { text: "1h30m", seconds: 5400n, nanos: 0 },
    { text: "1.5h", seconds: 5400n, nanos: 0 },
    { text: "1500ms", seconds: 1n, nanos: 500_000_000 },
  ])("$text", ({ text, seconds, nanos }) => {
    expect(parseDuration(text)).toMatchObject({ seconds, nanos });
  });

  it.each(["", "2", "2d", "h", "1h x", "-1h"])("rejects %j as bad usage", (text) => {
    expect(() => parseDuration(text)).toThrow(new CliError(`invalid --lifetime "${text}": expected a duration such as 30m, 2h or 1h30m`, 2));
  });
});

describe("openError()", () => {
  it("lists the diagnostics of a refused open and counts its errors", () => {
    const e = new ConnectError('environment "o/p/e" has errors: 2:5: environment "p/base" not found', Code.FailedPrecondition, undefined, [
      {
        desc: DiagnosticsSchema,
        value: create(DiagnosticsSchema, {
          diagnostics: [
            { severity: Diagnostic_Severity.ERROR, summary: 'environment "p/base" not found', path: "imports[0]", range: { environment: "p/e", begin: { line: 2, column: 5 } } },
            { severity: Diagnostic_Severity.WARNING, summary: "w", range: { environment: "p/e", begin: { line: 1, column: 1 } } },
          ],
        }),
      },
    ]);
    const err = openError(e, "o/p/e");
    expect(err.message).toBe("cannot open o/p/e: 1 error");
    expect(err.details).toEqual(['o/p/e:2:5: error: environment "p/base" not found (imports[0])', "o/p/e:1:1: warning: w"]);
  });

  it("keeps the server's message otherwise", () => {
    expect(openError(new ConnectError('environment "o/p/e" not found', Code.NotFound), "o/p/e").message).toBe('environment "o/p/e" not found');
  });
});
