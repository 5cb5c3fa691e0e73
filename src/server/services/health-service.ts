import { Code, ConnectError, type HandlerContext, type ServiceImpl } from "@connectrpc/connect";
import { Health, HealthCheckResponse_ServingStatus as Status } from "../../gen/grpc/health/v1/health_pb.js";

/** Whether the server is ready to serve (storage reachable, not shutting down). */
export interface Readiness {
  isServing(): Promise<boolean>;
}

/**
 * grpc.health.v1.Health. The empty service name and every served service report the server's
 * readiness; unknown names are NOT_FOUND, as the protocol asks.
 */
export function createHealthService(readiness: Readiness, serviceNames: readonly string[]): ServiceImpl<typeof Health> {
  const known = new Set(["", ...serviceNames]);
  const status = async (service: string): Promise<Status> => {
    if (!known.has(service)) throw new ConnectError(`unknown service ${service}`, Code.NotFound);
    return (await readiness.isServing()) ? Status.SERVING : Status.NOT_SERVING;
  };
  return {
    async check(request) {
      return { status: await status(request.service) };
    },
    async *watch(request, ctx: HandlerContext) {
      let last: Status | undefined;
      while (!ctx.signal.aborted) {
        const current = known.has(request.service) ? await status(request.service) : Status.SERVICE_UNKNOWN;
        if (current !== last) {
          last = current;
          yield { status: current };
        }
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, 1000);
          ctx.signal.addEventListener("abort", () => { clearTimeout(timer); resolve(); }, { once: true });
        });
      }
    },
  };
}
