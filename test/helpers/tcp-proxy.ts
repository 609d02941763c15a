/**
 * A TCP proxy on 127.0.0.1 in front of a DoIP entity, for tests that lose the connection: each accepted
 * connection is forwarded to the target; `cutAfter(n)` closes the next connection (both sides) once `n`
 * bytes went from the tester to the entity, as a dropped cable would.
 */
import * as net from 'node:net';

/** A running proxy. */
export interface TcpProxy {
  readonly port: number;
  /** Connections accepted so far. */
  readonly connections: number;
  /** Closes the connection that carries the `bytes`th byte from the tester (once). */
  cutAfter(bytes: number): void;
  close(): Promise<void>;
}

/** Starts a proxy to `targetPort` on 127.0.0.1. */
export function startTcpProxy(targetPort: number): Promise<TcpProxy> {
  let accepted = 0;
  let cutAt: number | undefined;
  let sent = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    accepted++;
    const upstream = net.connect({ host: '127.0.0.1', port: targetPort });
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => {});
    }
    client.on('data', (d: Buffer) => {
      sent += d.length;
      if (cutAt !== undefined && sent >= cutAt) {
        cutAt = undefined;
        client.destroy();
        upstream.destroy();
        return;
      }
      upstream.write(d);
    });
    upstream.on('data', (d: Buffer) => client.write(d));
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      resolve({
        port,
        get connections() {
          return accepted;
        },
        cutAfter(bytes: number) {
          cutAt = sent + bytes;
        },
        close: () =>
          new Promise<void>((r) => {
            for (const s of sockets) s.destroy();
            server.close(() => r());
          }),
      });
    });
  });
}
