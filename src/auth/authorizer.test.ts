import { describe, expect, it } from "vitest";
import type { ChangeFeed, ChangeListener } from "../store/index.js";
import type { AccessFacts } from "./effective-permission.js";
import { createAuthorizer } from "./authorizer.js";
import type { Principal } from "./principal.js";
import { UNSCOPED } from "./token-scope.js";

const bob: Principal = { identityId: "i2", login: "bob", org: "acme", kind: "user", role: "member", tokenId: "t2", scope: UNSCOPED, tokenExpiresAt: null };
const env = { org: "acme", project: "p", environment: "e" };

/** A facts source whose grants the test sets; counts loads. */
function source(initial: AccessFacts["grants"]) {
  const s = {
    loads: 0,
    grants: initial,
    async load(): Promise<AccessFacts> {
      s.loads++;
      return { defaultPermission: "none", grants: s.grants };
    },
  };
  return s;
}

function feed(): ChangeFeed & { flush(): void } {
  const listeners = new Set<ChangeListener>();
  return {
    flush: () => listeners.forEach((l) => l("access")),
    sync: async () => undefined,
    subscribe(_topic, listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    state: () => "local",
    close: async () => undefined,
  };
}

describe("createAuthorizer() with a change feed", () => {
  it("reuses a caller's facts until access changes anywhere, then loads them again", async () => {
    const facts = source([{ project: "p", environment: "e", permission: "open" }]);
    const changes = feed();
    const authorizer = createAuthorizer({ source: facts, cacheTtlMs: 60_000, changes });
    expect(await authorizer.permissionOn(bob, env)).toBe("open");
    expect(await authorizer.permissionOn(bob, env)).toBe("open");
    expect(facts.loads).toBe(1);
    // The grant is removed through another replica.
    facts.grants = [];
    changes.flush();
    expect(await authorizer.permissionOn(bob, env)).toBe("none");
    expect(facts.loads).toBe(2);
  });

  it("does not reuse a load that was in flight when access changed", async () => {
    const facts = source([{ project: "p", environment: "e", permission: "open" }]);
    const changes = feed();
    const authorizer = createAuthorizer({ source: facts, cacheTtlMs: 60_000, changes });
    const first = authorizer.permissionOn(bob, env);
    changes.flush();
    facts.grants = [];
    expect(await first).toBe("open");
    expect(await authorizer.permissionOn(bob, env)).toBe("none");
    expect(facts.loads).toBe(2);
  });
});
