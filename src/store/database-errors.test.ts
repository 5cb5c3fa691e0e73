import { Code } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import { databaseFailure } from "./database-errors.js";

function withCode(code: string, message = "driver text with a secret: hunter2"): Error {
  return Object.assign(new Error(message), { code });
}

describe("databaseFailure()", () => {
  it.each([
    ["ECONNREFUSED", Code.Unavailable, "the database is unavailable: retry"],
    ["ECONNRESET", Code.Unavailable, "the database is unavailable: retry"],
    ["57P01", Code.Unavailable, "the database is unavailable: retry"],
    ["57P03", Code.Unavailable, "the database is unavailable: retry"],
    ["08006", Code.Unavailable, "the database is unavailable: retry"],
    ["53300", Code.Unavailable, "the database is unavailable: retry"],
    ["25006", Code.Unavailable, "the database is read-only: writes are refused"],
    ["SQLITE_READONLY", Code.Unavailable, "the database is read-only: writes are refused"],
    ["SQLITE_READONLY_DBMOVED", Code.Unavailable, "the database is read-only: writes are refused"],
    ["53100", Code.ResourceExhausted, "the database is out of space: writes are refused"],
    ["SQLITE_FULL", Code.ResourceExhausted, "the database is out of space: writes are refused"],
    ["SQLITE_BUSY", Code.Unavailable, "the database is busy: retry"],
    ["40001", Code.Aborted, "a concurrent change conflicted with this one: retry"],
  ])("maps driver code %s to %s without the driver's text", (code, expected, message) => {
    const got = databaseFailure(withCode(code));
    expect(got?.code).toBe(expected);
    expect(got?.rawMessage).toBe(message);
  });

  it.each(["Connection terminated unexpectedly", "Connection terminated", "timeout exceeded when trying to connect"])(
    "maps the pg driver's message %j to Unavailable",
    (message) => {
      expect(databaseFailure(new Error(message))?.code).toBe(Code.Unavailable);
    },
  );

  it("looks through a cause chain and an AggregateError", () => {
    expect(databaseFailure(new Error("wrapped", { cause: withCode("57P01") }))?.code).toBe(Code.Unavailable);
    expect(databaseFailure(new AggregateError([withCode("ECONNREFUSED")], "connect failed"))?.code).toBe(Code.Unavailable);
  });

  it.each([
    ["a unique violation", withCode("23505")],
    ["a syntax error", withCode("42601")],
    ["a plain error", new Error("boom")],
    ["a string", "Connection terminated"],
    ["undefined", undefined],
  ])("leaves %s alone", (_, err) => {
    expect(databaseFailure(err)).toBeUndefined();
  });
});
