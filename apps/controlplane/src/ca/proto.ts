import type * as grpc from '@grpc/grpc-js';
import { trellisProto } from '../grpc/proto';

/** SignRequest as the shared loader hands it over (keepCase, int64 as number, defaults filled). */
export interface WireSignRequest {
  csr_pem: string;
  validity_seconds: number;
  namespace: string;
  service_account: string;
}

export interface WireSignResponse {
  cert_chain_pem: string[];
  root_cert_pem: string;
}

export function certificatesServiceDefinition(): grpc.ServiceDefinition {
  return trellisProto().Certificates.service;
}
