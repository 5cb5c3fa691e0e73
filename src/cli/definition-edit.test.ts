import { describe, expect, it } from "vitest";
import { CliError } from "./context.js";
import { deleteDefinitionValue, setDefinitionValue } from "./definition-edit.js";

const commented = `# payments
imports:
  - base # shared
values:
  # the database
  db:
    host: localhost   # overridden in prod
    port: 5432
  password:
    fn::secret: old
# end
`;

describe("setDefinitionValue()", () => {
  it("changes one value and keeps comments and layout", () => {
    expect(setDefinitionValue(commented, ["db", "host"], "db.internal", "keep")).toBe(commented.replace("localhost", "db.internal"));
  });

  it("appends a new key after the last entry, touching nothing else", () => {
    expect(setDefinitionValue(commented, ["db", "user"], "admin", "keep")).toBe(
      commented.replace("    port: 5432\n", "    port: 5432\n    user: admin\n"),
    );
    expect(setDefinitionValue(commented, ["cache", "ttl"], 30, "keep")).toBe(
      commented.replace("    fn::secret: old\n", "    fn::secret: old\n  cache:\n    ttl: 30\n"),
    );
    expect(setDefinitionValue("imports: [a]   # x\n", ["k"], "v", "keep")).toBe("imports: [a]   # x\nvalues:\n  k: v\n");
  });

  it("adds keys and creates missing maps in block style", () => {
    expect(setDefinitionValue("{}\n", ["db", "host"], "h", "keep")).toBe("values:\n  db:\n    host: h\n");
    expect(setDefinitionValue("", ["a"], 1, "keep")).toBe("values:\n  a: 1\n");
  });

  it("writes secrets as fn::secret and keeps a secret secret unless plaintext", () => {
    expect(setDefinitionValue(commented, ["password"], "new", "keep")).toContain("  password:\n    fn::secret: new\n");
    expect(setDefinitionValue(commented, ["password"], "new", "plaintext")).toContain("  password: new\n");
    expect(setDefinitionValue("values: {}\n", ["token"], "t", "secret")).toBe("values:\n  token:\n    fn::secret: t\n");
    expect(setDefinitionValue("values: {}\n", ["pin"], 1234, "secret")).toBe('values:\n  pin:\n    fn::secret: "1234"\n');
    expect(() => setDefinitionValue("values: {}\n", ["x"], { a: 1 }, "secret")).toThrow(expect.objectContaining({ exitCode: 2 }));
  });

  it("keeps the source's indentation and sequence style", () => {
    const four = "values:\n    list:\n    - a\n    - b\n";
    expect(setDefinitionValue(four, ["list", 1], "c", "keep")).toBe("values:\n    list:\n    - a\n    - c\n");
  });

  it("fills an empty key and switches scalar styles when the text needs it", () => {
    expect(setDefinitionValue("values:\n", ["a"], 1, "keep")).toBe("values:\n  a: 1\n");
    expect(setDefinitionValue("values:\n  s: |\n    multi\n    line\n  t: 1\n", ["s"], "single", "keep")).toBe("values:\n  s: single\n  t: 1\n");
    expect(setDefinitionValue("values:\n  a: 1 # c\n", ["a"], "two\nlines", "keep")).toBe("values:\n  a: |- # c\n    two\n    lines\n");
  });

  it("replaces a sealed secret in place, keeping the layout", () => {
    const sealed = "values:\n  password:   # rotated monthly\n    fn::secret: {ciphertext: ZXNjeAAA}   # sealed\n# end\n";
    expect(setDefinitionValue(sealed, ["password"], "new", "keep")).toBe(sealed.replace("{ciphertext: ZXNjeAAA}", "new"));
  });

  it("refuses a path through a scalar", () => {
    expect(() => setDefinitionValue(commented, ["db", "host", "x"], 1, "keep")).toThrow(
      new CliError("cannot set values.db.host.x: values.db.host is not a mapping or sequence"),
    );
  });

  it("refuses a definition that does not parse", () => {
    expect(() => setDefinitionValue("values: [\n", ["a"], 1, "keep")).toThrow(CliError);
  });
});

describe("deleteDefinitionValue()", () => {
  it("deletes one value and keeps the rest", () => {
    expect(deleteDefinitionValue(commented, ["db", "port"])).toBe(commented.replace("    port: 5432\n", ""));
  });

  it("deletes the comment lines right above the entry with it", () => {
    expect(deleteDefinitionValue(commented, ["db"])).toBe(commented.replace("  # the database\n  db:\n    host: localhost   # overridden in prod\n    port: 5432\n", ""));
  });

  it("leaves an empty mapping when the last entry goes", () => {
    expect(deleteDefinitionValue("values:\n  a:\n    b: 1\n", ["a", "b"])).toBe("values:\n  a: {}\n");
  });

  it("refuses a missing path", () => {
    expect(() => deleteDefinitionValue(commented, ["db", "user"])).toThrow(new CliError("no value at values.db.user"));
    expect(() => deleteDefinitionValue(commented, ["db", "host", "x"])).toThrow(new CliError("no value at values.db.host.x"));
  });
});
