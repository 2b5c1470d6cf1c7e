export { certificateFacts, proxyCertsStatus } from './certs';
export { type ProxyAdminComponentOptions, proxyAdminComponent } from './component';
export { type AdminRead, type ProxyClusters, type ProxyRef, serviceEndpointsStatus } from './endpoints';
export { ADMIN_TIMEOUT_MS, adminGet } from './fetch-admin';
