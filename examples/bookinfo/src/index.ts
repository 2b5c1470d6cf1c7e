export { PROPAGATED_HEADERS } from './headers';
export {
  isJasonTick,
  LOADGEN_DEFAULTS,
  type LoadGenerator,
  type LoadOptions,
  type LoadStats,
  startLoad,
} from './loadgen';
export { isServiceName, type RunningService, SERVICE_NAMES, type ServiceName, startService } from './service';
export { BOOKINFO_PORT, type Outbound, outboundFromEnv, parseHostMap } from './upstream';
export { BOOKINFO_WORKLOADS, type BookinfoWorkload } from './workloads';
