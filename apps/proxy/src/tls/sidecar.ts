/**
 * The sidecar's mesh identity, assembled for startProxy: a CertificateManager (key and CSR made
 * here, signed by the control plane's CA), the inbound TLS server that follows its rotations, the
 * client side for upstream mTLS, gRPC credentials for ConfigDiscovery over mTLS, and what the
 * admin port's /certs shows. Nothing here ever exposes the private key.
 */
import type * as grpc from '@grpc/grpc-js';
import type { MtlsMode } from '@trellis/shared';
import type { ConfigStore } from '../config/store';
import type { Logger } from '../logger';
import type { Stats } from '../stats';
import type { PeerInfo } from '../telemetry/record';
import type { MeshAlpn, MeshClientTls } from '../upstream/tls';
import type { CertificateBundle } from './bundle';
import { GrpcCsrSigner, readJoinTokenFile } from './ca-client';
import { CertificateManager } from './certificate-manager';
import {
  controlPlaneCredentials,
  controlPlaneMtlsCredentials,
  ManagerCertificateProvider,
} from './grpc-credentials';
import { InboundTls } from './inbound';
import { MeshInboundSecurity } from './transport';

/** The mode for the sidecar's one inbound port: portLevelMtls for the app's port, else the workload's. */
export function inboundMtlsMode(store: ConfigStore): MtlsMode {
  const inbound = store.current?.inbound;
  if (!inbound) return 'PERMISSIVE';
  return inbound.mtls.portLevel[String(inbound.appPort)] ?? inbound.mtls.mode;
}

export interface JoinTokenManagerOptions {
  /** host:port of the control plane's gRPC port (Certificates.Sign). */
  controlPlane: string;
  joinTokenFile: string;
  namespace: string;
  serviceAccount: string;
  trustDomain?: string;
  /** 0 (default) takes the CA's lifetime (TRELLIS_CA_CERT_TTL on the control plane). */
  lifetimeSeconds?: number;
}

/**
 * Embedded mode's bootstrap: the join token authenticates each Sign. The first Sign is plaintext
 * (no certificate, no root yet); later ones run over TLS with the current certificate, checking
 * the control plane's SPIFFE id. The token is read once, at start.
 */
export function joinTokenManager(o: JoinTokenManagerOptions): CertificateManager {
  const token = readJoinTokenFile(o.joinTokenFile);
  // One mTLS channel for every renewal, following rotations (see GrpcCsrSigner); made with the
  // first certificate. Without a valid certificate, a fresh plaintext channel, as at start.
  let provider: ManagerCertificateProvider | undefined;
  let mtls: grpc.ChannelCredentials | undefined;
  const signer = new GrpcCsrSigner({
    address: o.controlPlane,
    token: () => token,
    credentials: () => {
      const bundle = manager.current();
      if (!bundle || bundle.remainingMs(Date.now()) <= 0) return controlPlaneCredentials(undefined);
      provider ??= new ManagerCertificateProvider(manager);
      mtls ??= controlPlaneMtlsCredentials(provider, bundle.self.identity.trustDomain);
      return mtls;
    },
  });
  const manager: CertificateManager = new CertificateManager({
    signer,
    namespace: o.namespace,
    serviceAccount: o.serviceAccount,
    ...(o.trustDomain ? { trustDomain: o.trustDomain } : {}),
    lifetimeSeconds: o.lifetimeSeconds ?? 0,
  });
  manager.once('stopped', () => {
    signer.close();
    provider?.close();
  });
  return manager;
}

export interface CertsView {
  identity: string;
  /** Certificates installed since start (the first one included). */
  rotations: number;
  renewFailures: number;
  lastRenewError: string | null;
  certificate: {
    serialNumber: string;
    spiffeId: string;
    validFrom: string;
    expirationTime: string;
    receivedAt: string;
    secondsUntilExpiration: number;
  } | null;
}

export interface SidecarTlsOptions {
  manager: CertificateManager;
  store: ConfigStore;
  /** This proxy's telemetry identity; its principal becomes the SPIFFE id once a certificate arrives. */
  self: PeerInfo;
  logger: Logger;
  stats: Stats;
}

export class SidecarTls {
  readonly manager: CertificateManager;
  readonly inbound: MeshInboundSecurity;
  readonly client: MeshClientTls;
  readonly #provider: ManagerCertificateProvider;
  #inboundTls: InboundTls | null = null;
  #rotations = 0;
  #renewFailures = 0;
  #lastError: string | null = null;

  constructor(o: SidecarTlsOptions) {
    const m = o.manager;
    this.manager = m;
    this.#provider = new ManagerCertificateProvider(m);
    const onBundle = (b: CertificateBundle) => {
      this.#rotations++;
      this.#lastError = null;
      o.self.principal = b.self.spiffeId;
      // Made with the first certificate; InboundTls follows later rotations itself.
      this.#inboundTls ??= new InboundTls(m);
      o.logger.info('mesh certificate installed', {
        spiffeId: b.self.spiffeId,
        serial: b.serial,
        notAfter: b.notAfter.toISOString(),
      });
    };
    const current = m.current();
    if (current) onBundle(current);
    m.on('rotated', onBundle);
    m.on('renewFailed', (err, attempt, retryInMs) => {
      this.#renewFailures++;
      this.#lastError = err.message;
      o.stats.inc('mtls.certificate_renew_failed');
      o.logger.warn('mesh certificate renewal failed; keeping the current one', {
        error: err.message,
        attempt,
        retryInMs: Math.round(retryInMs),
      });
    });
    this.inbound = new MeshInboundSecurity(
      () => inboundMtlsMode(o.store),
      () => this.#inboundTls,
      {
        onRefused: (reason, detail) => {
          o.stats.inc(`inbound.mtls.refused.${reason}`);
          o.logger.debug('inbound connection refused', { reason, detail });
        },
        onAccepted: (kind) => o.stats.inc(`inbound.connections.${kind}`),
      },
    );
    this.client = {
      connectionOptions: (expected: string | undefined, alpn: MeshAlpn) =>
        m.clientOptions({ expected: expected ? [expected] : undefined, alpn: [alpn] }),
    };
  }

  /** Resolves with the first certificate (at once when the manager already has one). */
  async start(): Promise<void> {
    if (!this.manager.current()) await this.manager.start();
  }

  /** ConfigDiscovery over mTLS: waits for the first certificate, follows rotations. */
  xdsCredentials(): grpc.ChannelCredentials {
    return controlPlaneMtlsCredentials(this.#provider, this.manager.identity.trustDomain);
  }

  certsView(now = Date.now()): CertsView {
    const b = this.manager.current();
    return {
      identity: `spiffe://${this.manager.identity.trustDomain}/ns/${this.manager.identity.namespace}/sa/${this.manager.identity.serviceAccount}`,
      rotations: this.#rotations,
      renewFailures: this.#renewFailures,
      lastRenewError: this.#lastError,
      certificate: b
        ? {
            serialNumber: b.serial,
            spiffeId: b.self.spiffeId,
            validFrom: b.notBefore.toISOString(),
            expirationTime: b.notAfter.toISOString(),
            receivedAt: new Date(b.receivedAt).toISOString(),
            secondsUntilExpiration: Math.floor(b.remainingMs(now) / 1000),
          }
        : null,
    };
  }

  close(): void {
    this.manager.stop();
    this.#provider.close();
    this.#inboundTls?.close();
  }
}
