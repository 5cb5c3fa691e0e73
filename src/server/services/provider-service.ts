import type { JsonObject } from "@bufbuild/protobuf";
import { Code, ConnectError, type ServiceImpl } from "@connectrpc/connect";
import { ProviderService } from "../../gen/openesc/v1/provider_pb.js";
import type { BuiltinProviders } from "../../providers/index.js";
import { invalidField } from "../errors.js";

/** openesc.v1.ProviderService: the built-in providers and their schemas (any authenticated caller). */
export function createProviderService(providers: BuiltinProviders): ServiceImpl<typeof ProviderService> {
  return {
    listProviders() {
      return { providers: providers.list().map((p) => ({ name: p.name, description: p.description })) };
    },
    getProviderSchema(req) {
      if (req.name === "") throw invalidField("name", "must name a provider");
      const p = providers.get(req.name);
      if (p === undefined) throw new ConnectError(`provider "${req.name}" not found`, Code.NotFound);
      return {
        provider: { name: p.name, description: p.description },
        inputSchema: p.inputSchema as JsonObject,
        outputSchema: p.outputSchema as JsonObject,
      };
    },
  };
}
