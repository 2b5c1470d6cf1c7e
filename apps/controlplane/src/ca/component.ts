import type { ComponentContext, Logger } from '../server';
import type { GrpcService } from '../xds/component';
import { CertificateAuthority, type CertificateAuthorityOptions } from './authority';
import { caOptionsFromEnv } from './env';
import { addCertificatesService } from './grpc-service';
import type { CaLogger } from './log';
import { issueServingIdentity } from './serving';
import { configStreamCredentialCheck } from './stream-credentials';

/** CA log lines through the control plane's logger, fields as key=value. */
export function caLoggerFor(log: Logger): CaLogger {
  return (level, message, fields) => {
    const extra = Object.entries(fields ?? {})
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${k}=${v}`)
      .join(' ');
    log[level](`ca: ${message}${extra ? ` ${extra}` : ''}`);
  };
}

export interface CaService {
  /**
   * For configPushComponent({ grpcServices }): opens the CA in the data directory, adds
   * Certificates, and brings TLS for the port with the control plane's own certificate
   * (spiffe://TD/ns/trellis-system/sa/trellis-controlplane), so proxies holding a certificate
   * talk to it over mTLS, and the credential plaintext ConfigDiscovery streams must carry (the
   * join token), so no process without it reads any workload's config.
   */
  provider(ctx: ComponentContext): Promise<GrpcService>;
  /** The CA once started (tests, the console's security page later). */
  readonly ca: CertificateAuthority | undefined;
}

/**
 * The CA as a gRPC service on the control plane's --grpc-port. Opening it creates DIR/ca and
 * DIR/join-token on first start. Settings come from TRELLIS_CA_* (./env) unless given.
 */
export function caService(overrides: Omit<CertificateAuthorityOptions, 'dataDir'> = {}): CaService {
  let ca: CertificateAuthority | undefined;
  return {
    get ca() {
      return ca;
    },
    async provider(ctx) {
      const opened = await CertificateAuthority.open({
        ...caOptionsFromEnv(),
        log: caLoggerFor(ctx.log),
        ...overrides,
        dataDir: ctx.dataDir,
      });
      ca = opened;
      const serving = await issueServingIdentity(opened);
      const service: GrpcService = (server) => addCertificatesService(server, opened);
      service.tls = { credentials: serving.credentials, spiffeId: serving.spiffeId };
      service.authenticatePlaintextStream = configStreamCredentialCheck(opened);
      return service;
    },
  };
}
