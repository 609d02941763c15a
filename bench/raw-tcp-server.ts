/**
 * Baseline for the transfer benchmark: the cheapest request/response loop over TCP on 127.0.0.1.
 * Frames are `length(u32 BE) payload`. A request whose first byte is 0x01 ("download") is answered
 * with 8 bytes; a request whose first byte is 0x02 ("upload") carries the wanted size in bytes 1..4
 * and is answered with that many bytes. Prints `{"port":N}` once listening; exits on SIGTERM.
 */
import * as net from 'node:net';

const server = net.createServer((sock) => {
  sock.setNoDelay(true);
  let buf: Buffer = Buffer.alloc(0);
  const uploadCache = new Map<number, Buffer>();
  sock.on('data', (chunk: Buffer) => {
    buf = buf.length === 0 ? chunk : Buffer.concat([buf, chunk]);
    while (buf.length >= 4) {
      const len = buf.readUInt32BE(0);
      if (buf.length < 4 + len) break;
      const req = buf.subarray(4, 4 + len);
      buf = buf.subarray(4 + len);
      if (req[0] === 0x02) {
        const n = req.readUInt32BE(1);
        let payload = uploadCache.get(n);
        if (!payload) {
          payload = Buffer.alloc(4 + n, 0x5a);
          payload.writeUInt32BE(n, 0);
          uploadCache.set(n, payload);
        }
        sock.write(payload);
      } else {
        const ack = Buffer.alloc(12);
        ack.writeUInt32BE(8, 0);
        sock.write(ack);
      }
    }
  });
  sock.on('error', () => sock.destroy());
});
server.listen(0, '127.0.0.1', () => {
  const addr = server.address();
  process.stdout.write(JSON.stringify({ port: typeof addr === 'object' && addr ? addr.port : 0 }) + '\n');
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
