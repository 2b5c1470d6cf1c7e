export { EmbeddedRegistry, type EmbeddedRegistryOptions, endpointsOf, type RegistryLease } from './embedded';
export type { RegistrySource } from './types';
