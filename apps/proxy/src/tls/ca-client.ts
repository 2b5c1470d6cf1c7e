import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { CONTROL_PLANE_CHANNEL_OPTIONS } from './grpc-credentials';

export interface SignRequestInput {
  csrPem: string;
  /** 0 asks for the CA's default. */
  validitySeconds: number;
  namespace: string;
  serviceAccount: string;
  /** How long this call may take; the signer's own default when absent. */
  timeoutMs?: number;
}

export interface SignedChain {
  /** Leaf first. */
  certChainPem: string[];
  rootPem: string;
}

/** Something that turns a CSR into a certificate: the control plane's CA, or a fake in tests. */
export interface CsrSigner {
  sign(req: SignRequestInput): Promise<SignedChain>;
}

/** The CA said no (or could not be reached); grpcCode and caCode say why. */
export class CaSignError extends Error {
  constructor(
    message: string,
    readonly grpcCode: grpc.status,
    readonly caCode: string | undefined,
  ) {
    super(message);
    this.name = 'CaSignError';
  }
}

interface WireSignResponse {
  cert_chain_pem: string[];
  root_cert_pem: string;
}

type SignFn = (
  req: Record<string, unknown>,
  md: grpc.Metadata,
  opts: grpc.CallOptions,
  cb: (err: grpc.ServiceError | null, res?: WireSignResponse) => void,
) => void;

// Same loader options as the control plane's (apps/controlplane/src/grpc/proto.ts).
const LOADER_OPTIONS: protoLoader.Options = {
  keepCase: true,
  longs: Number,
  enums: String,
  defaults: true,
  oneofs: true,
};
let clientCtor: grpc.ServiceClientConstructor | undefined;

function certificatesClient(): grpc.ServiceClientConstructor {
  if (!clientCtor) {
    const require = createRequire(import.meta.url);
    const def = protoLoader.loadSync(require.resolve('@trellis/shared/proto/trellis.proto'), LOADER_OPTIONS);
    const pkg = grpc.loadPackageDefinition(def) as unknown as {
      trellis: { v1: { Certificates: grpc.ServiceClientConstructor } };
    };
    clientCtor = pkg.trellis.v1.Certificates;
  }
  return clientCtor;
}

export interface GrpcCsrSignerOptions {
  /** host:port of the control plane's gRPC port. */
  address: string;
  /** The bearer credential (join token or service account token), read at each call. */
  token: () => string | undefined;
  /**
   * Channel credentials for each call: plaintext to bootstrap, TLS once the proxy holds a mesh
   * certificate (see channelCredentials in ./grpc-credentials).
   */
  credentials?: () => grpc.ChannelCredentials;
  timeoutMs?: number;
}

/**
 * Certificates.Sign over gRPC. `credentials` is asked at each call: while it hands back the same
 * object (the sidecar's mTLS credentials, which follow rotations themselves) one channel serves
 * every renewal, so a Sign on a busy machine is one RPC on a warm connection rather than a name
 * resolution, a TCP and a TLS handshake; a new object (the plaintext bootstrap) gets a new channel.
 */
export class GrpcCsrSigner implements CsrSigner {
  #client: grpc.Client | undefined;
  #clientCreds: grpc.ChannelCredentials | undefined;

  constructor(private readonly opts: GrpcCsrSignerOptions) {}

  sign(req: SignRequestInput): Promise<SignedChain> {
    const client = this.#channelFor(this.opts.credentials?.() ?? grpc.credentials.createInsecure());
    const md = new grpc.Metadata();
    const token = this.opts.token();
    if (token) md.set('authorization', `Bearer ${token}`);
    const call = (client as unknown as { Sign: SignFn }).Sign;
    return new Promise<SignedChain>((resolve, reject) => {
      call.call(
        client,
        {
          csr_pem: req.csrPem,
          validity_seconds: req.validitySeconds,
          namespace: req.namespace,
          service_account: req.serviceAccount,
        },
        md,
        { deadline: Date.now() + (req.timeoutMs ?? this.opts.timeoutMs ?? 10_000) },
        (err, res) => {
          if (err || !res) {
            const caCode = err?.metadata?.get('trellis-error-code')[0];
            reject(
              new CaSignError(
                err?.details || err?.message || 'empty response',
                err?.code ?? grpc.status.UNKNOWN,
                typeof caCode === 'string' ? caCode : undefined,
              ),
            );
            return;
          }
          resolve({ certChainPem: res.cert_chain_pem, rootPem: res.root_cert_pem });
        },
      );
    });
  }

  /** Closes the channel kept for renewals. */
  close(): void {
    this.#client?.close();
    this.#client = undefined;
    this.#clientCreds = undefined;
  }

  #channelFor(creds: grpc.ChannelCredentials): grpc.Client {
    if (this.#client && this.#clientCreds === creds) return this.#client;
    this.close();
    const Ctor = certificatesClient();
    this.#client = new Ctor(this.opts.address, creds, CONTROL_PLANE_CHANNEL_OPTIONS);
    this.#clientCreds = creds;
    return this.#client;
  }
}

/** Reads --join-token-file. The token is a secret: it is only ever sent as a bearer credential. */
export function readJoinTokenFile(path: string): string {
  const token = readFileSync(path, 'utf8').trim();
  if (!token) throw new Error(`${path} is empty; copy DATA_DIR/join-token from the control plane`);
  return token;
}
