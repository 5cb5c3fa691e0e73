/**
 * The README's "What each RPC needs" table lists every RPC of the contract once, and what it says
 * an RPC needs is what its rule in access-rules.ts requires (for an ordinary request).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ACCESS_RULES, type Requirement } from "../../src/server/rpc/access-rules.js";
import { contractServices } from "../../src/server/service-catalog.js";
import { REPO_ROOT } from "../support/server.js";

function readmeRows(): Map<string, string> {
  const text = readFileSync(join(REPO_ROOT, "README.md"), "utf8");
  const start = text.indexOf("| RPC | Needs |");
  expect(start).toBeGreaterThan(0);
  const rows = new Map<string, string>();
  for (const line of text.slice(start).split("\n").slice(2)) {
    if (!line.startsWith("|")) break;
    const cells = line.slice(1, -1).split(" | ");
    let service = "";
    for (const m of (cells[0] ?? "").matchAll(/`([A-Za-z]+\/)?([A-Za-z]+)`/g)) {
      if (m[1] !== undefined) service = m[1].slice(0, -1);
      const name = `${service}/${m[2]}`;
      expect(rows.has(name), `${name} listed twice`).toBe(false);
      rows.set(name, (cells[1] ?? "").trim());
    }
  }
  return rows;
}

const ENV_REQUEST = { org: "acme", project: "pay", environment: "prod", name: "n", team: "t", login: "l", destEnvironment: "copy", policy: { org: "acme" } };
const ORG_REQUEST = { org: "acme", name: "acme", policy: { org: "acme" } };

function requirementsOf(rpc: string): readonly Requirement[] {
  const rule = ACCESS_RULES[`openesc.v1.${rpc}`];
  if (rule === undefined) throw new Error(`no rule for ${rpc}`);
  try {
    return rule(ORG_REQUEST, undefined);
  } catch {
    return rule(ENV_REQUEST, undefined);
  }
}

describe("README access table", () => {
  const rows = readmeRows();
  const rpcs = contractServices.flatMap((s) => s.methods.map((m) => `${s.name}/${m.name}`));

  it("lists every RPC of the contract, and nothing else", () => {
    expect([...rows.keys()].sort()).toEqual([...rpcs].sort());
  });

  it.each(rpcs)("%s: the table says what the rule requires", (rpc) => {
    const needs = rows.get(rpc) ?? "";
    const kinds = requirementsOf(rpc);
    const env = /^`(read|open|write|admin)` on the (environment|source)/.exec(needs);
    if (env !== null) {
      const onEnv = kinds.filter((r) => r.kind === "permission" && r.resource.environment !== undefined);
      expect(onEnv.length).toBeGreaterThan(0);
      for (const r of onEnv) expect(r.kind === "permission" && r.permission).toBe(env[1]);
    } else if (needs.startsWith("`admin` on the organization")) {
      expect(kinds).toEqual([{ kind: "permission", permission: "admin", resource: { org: "acme" }, hidden: false }]);
    } else if (needs.startsWith("`admin` on the resource")) {
      expect(kinds).toEqual([{ kind: "permission", permission: "admin", resource: { org: "acme" }, hidden: false }]);
    } else if (needs.startsWith("member of the organization")) {
      expect(kinds).toEqual([{ kind: "member", org: "acme" }]);
    } else if (needs.startsWith("server admin")) {
      expect(kinds).toEqual([{ kind: "server-admin" }]);
    } else if (needs.startsWith("organization `auditor` or `admin`")) {
      expect(kinds).toEqual([{ kind: "auditor", org: "acme" }]);
    } else if (needs.startsWith("no token")) {
      expect(kinds).toEqual([{ kind: "public" }]);
    } else if (needs.startsWith("any valid token")) {
      // CreateToken for oneself (no org, user or service account named) needs only a token.
      const rule = ACCESS_RULES[`openesc.v1.${rpc}`];
      expect(rule?.({}, undefined)).toEqual([{ kind: "authenticated" }]);
    } else {
      throw new Error(`unrecognised README wording for ${rpc}: ${needs}`);
    }
  });
});
