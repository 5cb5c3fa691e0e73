import { describe, expect, it } from "vitest";
import { resolveServerConfig } from "../config.js";
import { workerConfig } from "./cluster-worker.js";

describe("workerConfig()", () => {
  it("keeps the server's audit spool for worker 1 and gives every other worker one of its own", () => {
    const config = resolveServerConfig({ dataDir: "/var/lib/o", workers: "3" }, {});
    expect(workerConfig(config, 1)).toBe(config);
    expect(workerConfig(config, 2).auditSpool).toEqual({ dir: "/var/lib/o/audit-spool/worker-2", maxBytes: 64 * 1024 * 1024 });
    expect(workerConfig(config, 3).auditSpool.dir).toBe("/var/lib/o/audit-spool/worker-3");
    expect({ ...workerConfig(config, 2), auditSpool: config.auditSpool }).toEqual(config);
  });
});
