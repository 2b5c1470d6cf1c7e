import type { ServiceName } from './service';

/** One Bookinfo workload as Istio's bookinfo.yaml deploys it: what `trellis demo` starts. */
export interface BookinfoWorkload {
  /** Deployment name, e.g. reviews-v2. */
  workload: string;
  service: ServiceName;
  version: string;
  /** Istio's bookinfo.yaml gives each service its own account, e.g. bookinfo-reviews. */
  serviceAccount: string;
  labels: { app: ServiceName; version: string };
}

const workload = (service: ServiceName, version: string): BookinfoWorkload => ({
  workload: `${service}-${version}`,
  service,
  version,
  serviceAccount: `bookinfo-${service}`,
  labels: { app: service, version },
});

export const BOOKINFO_WORKLOADS: readonly BookinfoWorkload[] = [
  workload('productpage', 'v1'),
  workload('details', 'v1'),
  workload('reviews', 'v1'),
  workload('reviews', 'v2'),
  workload('reviews', 'v3'),
  workload('ratings', 'v1'),
];
