export {
  type ConfigPushComponent,
  type ConfigPushComponentOptions,
  configPushComponent,
  type GrpcServiceProvider,
} from './component';
export type { ConnectionState } from './connection';
export { type DebounceOptions, Debouncer } from './debounce';
export { configHash } from './hash';
export { silentXdsLogger, stderrXdsLogger, type XdsLogger } from './log';
export { XdsMetrics } from './metrics';
export { ConfigPush, type ConfigPushOptions } from './push';
export { type ResourceSource, StaticResources } from './resource-source';
export { PROXY_STATUS_PATH, type ProxyStatus, type SyncState } from './status';
export { StoreResources } from './store-source';
