export type { RuntimeConfig } from './config/compile';
export { type ConfigError, parseProxyConfig } from './config/parse';
export { type ApplyResult, ConfigStore } from './config/store';
export type { Layer, Service } from './layers/types';
export { type AcceptedConnection, plaintext, type TransportSecurity } from './listeners/transport';
export { Logger } from './logger';
export { PROXY_VERSION, type ProxyHandle, type ProxyOptions, startProxy } from './main';
export type { PeerInfo, RequestRecord, RequestSink, ResponseFlag } from './telemetry/record';
