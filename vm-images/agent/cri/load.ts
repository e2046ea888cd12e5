// Turns embedded .proto text into gRPC service clients with protobufjs and grpc-js (works from a single bundled file: no
// .proto on disk needed). protobufjs encodes and decodes; grpc-js's generic client constructor makes the calls.
import * as grpc from '@grpc/grpc-js';
import { parse, type IConversionOptions, type Service } from 'protobufjs';
import { CRI_API_PROTO } from './api-proto';

export interface CriServices {
  RuntimeService: grpc.ServiceClientConstructor;
  ImageService: grpc.ServiceClientConstructor;
}

/**
 * How answers decode, which the shapes in types.ts describe: fields named as in the .proto, int64 as decimal strings,
 * enums by name, a field the runtime left out as its default (empty lists and maps included).
 */
const DECODE: IConversionOptions = { longs: String, enums: String, defaults: true };

function methodDefinition(service: Service, name: string): grpc.MethodDefinition<object, object> {
  const method = service.methods[name];
  const request = method.resolvedRequestType;
  const response = method.resolvedResponseType;
  if (!request || !response) throw new Error(`proto: ${service.fullName}.${name}'s message types did not resolve`);
  return {
    path: `/${service.fullName.slice(1)}/${name}`,
    requestStream: method.requestStream === true,
    responseStream: method.responseStream === true,
    requestSerialize: (value) => Buffer.from(request.encode(request.fromObject(value)).finish()),
    requestDeserialize: (bytes) => request.toObject(request.decode(bytes), DECODE),
    responseSerialize: (value) => Buffer.from(response.encode(response.fromObject(value)).finish()),
    responseDeserialize: (bytes) => response.toObject(response.decode(bytes), DECODE),
  };
}

/**
 * The client constructor of each named service (full names: `runtime.v1.RuntimeService`) of a .proto's text, parsed in
 * memory (no file: nothing is left behind by a killed process).
 */
export function protoServices(text: string, names: readonly string[]): grpc.ServiceClientConstructor[] {
  const { root } = parse(text, { keepCase: true });
  root.resolveAll();
  return names.map((name) => {
    const service = root.lookupService(name);
    const methods = Object.fromEntries(Object.keys(service.methods).map((method) => [method, methodDefinition(service, method)]));
    return grpc.makeGenericClientConstructor(methods, service.name);
  });
}

let cached: CriServices | undefined;

export function loadCriServices(): CriServices {
  if (cached) return cached;
  const [RuntimeService, ImageService] = protoServices(CRI_API_PROTO, ['runtime.v1.RuntimeService', 'runtime.v1.ImageService']);
  cached = { RuntimeService, ImageService };
  return cached;
}
