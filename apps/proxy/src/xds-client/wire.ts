import { createRequire } from 'node:module';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

/**
 * ConfigDiscovery as the proxy sees it: packages/shared/proto/trellis.proto loaded at run time,
 * with the proto's snake_case field names (keepCase) and proto3 defaults filled in.
 */
export interface WireNode {
  id: string;
  workload: string;
  namespace: string;
  service_account: string;
  labels: Record<string, string>;
  services: { name: string; port: number }[];
  inbound_address: string;
  proxy_version: string;
  app_port: number;
  metrics_address: string;
  admin_address: string;
}

export interface WireDiscoveryRequest {
  node?: WireNode;
  version_info: string;
  response_nonce: string;
  error_detail?: { code: number; message: string };
}

export interface WireDiscoveryResponse {
  version_info: string;
  nonce: string;
  config_json: string;
}

export type ConfigStreamCall = grpc.ClientDuplexStream<WireDiscoveryRequest, WireDiscoveryResponse>;

export interface ConfigDiscoveryClient extends grpc.Client {
  Stream(metadata?: grpc.Metadata, options?: grpc.CallOptions): ConfigStreamCall;
}

type ClientConstructor = new (
  address: string,
  credentials: grpc.ChannelCredentials,
  options?: grpc.ChannelOptions,
) => ConfigDiscoveryClient;

let ctor: ClientConstructor | undefined;

export function configDiscoveryClient(
  target: string,
  credentials: grpc.ChannelCredentials,
  options: grpc.ChannelOptions,
): ConfigDiscoveryClient {
  if (!ctor) {
    const require = createRequire(import.meta.url);
    const definition = protoLoader.loadSync(require.resolve('@trellis/shared/proto/trellis.proto'), {
      keepCase: true,
      longs: Number,
      enums: String,
      defaults: true,
      oneofs: true,
    });
    const root = grpc.loadPackageDefinition(definition) as unknown as {
      trellis: { v1: { ConfigDiscovery: ClientConstructor } };
    };
    ctor = root.trellis.v1.ConfigDiscovery;
  }
  return new ctor(target, credentials, options);
}
