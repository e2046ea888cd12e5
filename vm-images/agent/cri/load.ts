// Loads the embedded CRI .proto into gRPC service constructors (works from a single bundled file: no .proto on disk needed).
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { parse } from 'protobufjs';
import { CRI_API_PROTO } from './api-proto';

export interface CriServices {
  RuntimeService: grpc.ServiceClientConstructor;
  ImageService: grpc.ServiceClientConstructor;
}

let cached: CriServices | undefined;

function lookup(obj: grpc.GrpcObject, path: string[]): grpc.ServiceClientConstructor {
  let cur: unknown = obj;
  for (const key of path) {
    if (typeof cur !== 'object' && typeof cur !== 'function') throw new Error(`CRI proto: ${path.join('.')} missing`);
    cur = (cur as Record<string, unknown>)[key];
  }
  if (typeof cur !== 'function') throw new Error(`CRI proto: ${path.join('.')} is not a service`);
  return cur as grpc.ServiceClientConstructor;
}

/** A .proto's text as gRPC's package object, parsed in memory (no file: nothing is left behind by a killed process). */
export function loadProtoText(text: string): grpc.GrpcObject {
  const { root } = parse(text, { keepCase: true });
  const def = protoLoader.fromJSON(root.toJSON(), { keepCase: true, longs: String, enums: String, defaults: true });
  return grpc.loadPackageDefinition(def);
}

/** A service constructor of a loaded package (`['runtime', 'v1', 'RuntimeService']`). */
export function protoService(root: grpc.GrpcObject, path: string[]): grpc.ServiceClientConstructor {
  return lookup(root, path);
}

export function loadCriServices(): CriServices {
  if (cached) return cached;
  const root = loadProtoText(CRI_API_PROTO);
  cached = {
    RuntimeService: lookup(root, ['runtime', 'v1', 'RuntimeService']),
    ImageService: lookup(root, ['runtime', 'v1', 'ImageService']),
  };
  return cached;
}
