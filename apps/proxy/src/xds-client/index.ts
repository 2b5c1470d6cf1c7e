export { Backoff, type BackoffOptions } from './backoff';
export {
  type ApplyResult,
  XdsClient,
  type XdsClientLogger,
  type XdsClientOptions,
  type XdsClientState,
  type XdsConnectionState,
  type XdsNode,
} from './client';
