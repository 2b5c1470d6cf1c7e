export * from './authenticator';
export * from './authority';
export * from './component';
export * from './env';
export * from './errors';
export * from './grpc-service';
export * from './join-token';
export * from './log';
export {
  type CaRoot,
  DEFAULT_ROOT_VALIDITY_SECONDS,
  dataDirRootFiles,
  generateRoot,
  type RootFiles,
  type RootOrigin,
} from './root';
export * from './sign';
export * from './stream-credentials';
