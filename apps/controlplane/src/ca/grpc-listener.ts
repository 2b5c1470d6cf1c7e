import net from 'node:net';
import * as grpc from '@grpc/grpc-js';
import { sniffFirstByte } from '@trellis/shared/net/tls-sniff';

export type ChannelKind = 'tls' | 'plaintext';

export interface GrpcListener {
  port: number;
  close(): Promise<void>;
}

/**
 * One gRPC port for both phases of a proxy's life: plaintext to bootstrap (the first
 * Certificates.Sign, authenticated by the join token), TLS once it holds a certificate. The
 * first byte decides (0x16 opens a TLS ClientHello), then the connection goes to the grpc-js
 * server through a connection injector for that kind.
 */
export async function listenBootstrapAndTls(
  server: grpc.Server,
  opts: {
    host: string;
    port: number;
    tls: grpc.ServerCredentials;
    onConnection?: (kind: ChannelKind) => void;
  },
): Promise<GrpcListener> {
  const plain = server.createConnectionInjector(grpc.ServerCredentials.createInsecure());
  const secure = server.createConnectionInjector(opts.tls);
  const sockets = new Set<net.Socket>();
  const listener = net.createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    void sniffFirstByte(socket).then((r) => {
      if (!r.ok) {
        socket.destroy();
        return;
      }
      opts.onConnection?.(r.kind);
      (r.kind === 'tls' ? secure : plain).injectConnection(socket);
    });
  });
  await new Promise<void>((resolve, reject) => {
    listener.once('error', reject);
    listener.listen(opts.port, opts.host, () => {
      listener.off('error', reject);
      resolve();
    });
  });
  return {
    port: (listener.address() as net.AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        listener.close(() => resolve());
        plain.destroy();
        secure.destroy();
        for (const s of sockets) s.destroy();
      }),
  };
}
