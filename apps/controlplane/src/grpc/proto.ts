import { createRequire } from 'node:module';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

/**
 * Loads packages/shared/proto/trellis.proto at run time (no generated code). keepCase keeps the
 * proto's snake_case names (see ./messages); defaults fill absent scalars so "" and 0 mean unset,
 * as in proto3.
 */
const require = createRequire(import.meta.url);
export const PROTO_PATH = require.resolve('@trellis/shared/proto/trellis.proto');

export const LOADER_OPTIONS: protoLoader.Options = {
  keepCase: true,
  longs: Number,
  enums: String,
  defaults: true,
  oneofs: true,
};

interface TrellisPackage {
  ConfigDiscovery: grpc.ServiceClientConstructor;
  Certificates: grpc.ServiceClientConstructor;
}

let cached: TrellisPackage | undefined;

/** The trellis.v1 package: service constructors (clients) with their `.service` definitions (servers). */
export function trellisProto(): TrellisPackage {
  if (!cached) {
    const definition = protoLoader.loadSync(PROTO_PATH, LOADER_OPTIONS);
    const root = grpc.loadPackageDefinition(definition) as unknown as { trellis: { v1: TrellisPackage } };
    cached = root.trellis.v1;
  }
  return cached;
}

export function configDiscoveryService(): grpc.ServiceDefinition {
  return trellisProto().ConfigDiscovery.service;
}
