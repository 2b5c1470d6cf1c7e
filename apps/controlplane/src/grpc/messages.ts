/**
 * The ConfigDiscovery wire messages as @grpc/proto-loader hands them over (keepCase: true,
 * defaults: true), mirroring packages/shared/proto/trellis.proto. Field names stay snake_case
 * so they read like the proto and like xDS.
 */
export interface WireServicePort {
  name: string;
  port: number;
}

export interface WireNode {
  id: string;
  workload: string;
  namespace: string;
  service_account: string;
  labels: Record<string, string>;
  services: WireServicePort[];
  inbound_address: string;
  proxy_version: string;
  app_port: number;
  metrics_address: string;
  admin_address: string;
}

export interface WireErrorDetail {
  code: number;
  message: string;
}

export interface WireDiscoveryRequest {
  node: WireNode | null;
  version_info: string;
  response_nonce: string;
  error_detail: WireErrorDetail | null;
}

export interface WireDiscoveryResponse {
  version_info: string;
  nonce: string;
  config_json: string;
}
