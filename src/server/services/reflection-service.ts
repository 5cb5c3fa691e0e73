import { create, createRegistry, toBinary, type DescFile, type DescService, type Registry } from "@bufbuild/protobuf";
import { FileDescriptorProtoSchema } from "@bufbuild/protobuf/wkt";
import { Code, type ServiceImpl } from "@connectrpc/connect";
import * as v1 from "../../gen/grpc/reflection/v1/reflection_pb.js";
import * as v1alpha from "../../gen/grpc/reflection/v1alpha/reflection_pb.js";

type Request = v1.ServerReflectionRequest;
type Response = v1.ServerReflectionResponse;
type FileLookup = Registry & { getFile(name: string): DescFile | undefined };

/**
 * gRPC server reflection (v1 and v1alpha share one wire shape), answered from the descriptors
 * compiled into the server, so that grpcurl `list`, `describe` and calls need no proto files.
 */
export function createReflectionServices(
  files: readonly DescFile[],
  serviceNames: readonly string[],
): { v1: ServiceImpl<typeof v1.ServerReflection>; v1alpha: ServiceImpl<typeof v1alpha.ServerReflection> } {
  const byName = new Map(files.flatMap(withDependencies).map((f) => [f.name, f]));
  const registry: FileLookup = Object.assign(createRegistry(...byName.values()), { getFile: (name: string) => byName.get(name) });
  async function* serverReflectionInfo(requests: AsyncIterable<Request>): AsyncGenerator<Response> {
    for await (const request of requests) yield answer(registry, serviceNames, request);
  }
  return {
    v1: { serverReflectionInfo },
    v1alpha: { serverReflectionInfo: serverReflectionInfo as unknown as ServiceImpl<typeof v1alpha.ServerReflection>["serverReflectionInfo"] },
  };
}

function answer(registry: FileLookup, serviceNames: readonly string[], request: Request): Response {
  const base = { validHost: request.host, originalRequest: request };
  const m = request.messageRequest;
  const error = (message: string): Response =>
    create(v1.ServerReflectionResponseSchema, { ...base, messageResponse: { case: "errorResponse", value: { errorCode: Code.NotFound, errorMessage: message } } });
  const files = (file: DescFile | undefined, what: string): Response =>
    file === undefined
      ? error(`${what} not found`)
      : create(v1.ServerReflectionResponseSchema, {
          ...base,
          messageResponse: { case: "fileDescriptorResponse", value: { fileDescriptorProto: withDependencies(file).map(encodeFile) } },
        });
  switch (m.case) {
    case "listServices":
      return create(v1.ServerReflectionResponseSchema, {
        ...base,
        messageResponse: { case: "listServicesResponse", value: { service: serviceNames.map((name) => ({ name })) } },
      });
    case "fileByFilename":
      return files(registry.getFile(m.value), `file ${m.value}`);
    case "fileContainingSymbol":
      return files(fileOfSymbol(registry, m.value), `symbol ${m.value}`);
    case "fileContainingExtension":
      return error(`extension ${m.value.containingType}#${m.value.extensionNumber}`);
    case "allExtensionNumbersOfType":
      return registry.getMessage(m.value) === undefined
        ? error(`type ${m.value}`)
        : create(v1.ServerReflectionResponseSchema, {
            ...base,
            messageResponse: { case: "allExtensionNumbersResponse", value: { baseTypeName: m.value, extensionNumber: [] } },
          });
    default:
      return create(v1.ServerReflectionResponseSchema, {
        ...base,
        messageResponse: { case: "errorResponse", value: { errorCode: Code.InvalidArgument, errorMessage: "empty reflection request" } },
      });
  }
}

function fileOfSymbol(registry: Registry, symbol: string): DescFile | undefined {
  const desc = registry.get(symbol);
  if (desc !== undefined) return desc.file;
  // A method is named `pkg.Service.Method`: look up its service.
  const dot = symbol.lastIndexOf(".");
  if (dot < 0) return undefined;
  const service = registry.getService(symbol.slice(0, dot)) as DescService | undefined;
  return service?.methods.some((m) => m.name === symbol.slice(dot + 1)) === true ? service.file : undefined;
}

/** The file first, then its transitive dependencies, each once. */
function withDependencies(file: DescFile): DescFile[] {
  const seen = new Set<string>();
  const out: DescFile[] = [];
  const visit = (f: DescFile) => {
    if (seen.has(f.name)) return;
    seen.add(f.name);
    out.push(f);
    f.dependencies.forEach(visit);
  };
  visit(file);
  return out;
}

function encodeFile(file: DescFile): Uint8Array {
  return toBinary(FileDescriptorProtoSchema, file.proto);
}
