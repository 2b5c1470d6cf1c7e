export * from './bundle';
export * from './ca-client';
export * from './certificate-manager';
export * from './grpc-credentials';
export * from './inbound';
export * from './keys';
export * from './peer';
export * from './transport';
