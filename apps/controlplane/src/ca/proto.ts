import { createRequire } from 'node:module';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

const require = createRequire(import.meta.url);
export const TRELLIS_PROTO = require.resolve('@trellis/shared/proto/trellis.proto');

/** SignRequest as proto-loader hands it over (camelCase; int64 as a decimal string). */
export interface SignRequestMessage {
  csrPem: string;
  validitySeconds: string;
  namespace: string;
  serviceAccount: string;
}

export interface SignResponseMessage {
  certChainPem: string[];
  rootCertPem: string;
}

// longs as strings: an int64 must not lose precision on the way in, and the CA checks the range.
const LOADER_OPTIONS: protoLoader.Options = {
  keepCase: false,
  longs: String,
  enums: String,
  defaults: true,
  oneofs: true,
};

let cached: grpc.ServiceDefinition | undefined;

export function certificatesServiceDefinition(): grpc.ServiceDefinition {
  if (!cached) {
    const pkg = grpc.loadPackageDefinition(protoLoader.loadSync(TRELLIS_PROTO, LOADER_OPTIONS));
    const v1 = (pkg.trellis as grpc.GrpcObject).v1 as grpc.GrpcObject;
    cached = (v1.Certificates as grpc.ServiceClientConstructor).service;
  }
  return cached;
}
