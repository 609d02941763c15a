/** DoIP entity UDP side and tester discovery on 127.0.0.1 (ephemeral ports). */
import * as dgram from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../../src/core/clock.js';
import { InvalidArgumentError, TimeoutError } from '../../../src/core/errors.js';
import { identifyVehicles, requestEntityStatus, requestPowerMode } from '../../../src/doip/discovery.js';
import type { DoipEntityOptions } from '../../../src/doip/entity.js';
import { DoipEntity } from '../../../src/doip/entity.js';
import { HeaderNackError } from '../../../src/doip/errors.js';
import type { DoipMessage } from '../../../src/doip/message.js';
import { decodeMessage, encodeMessage } from '../../../src/doip/message.js';
import { hex, RawTester } from './helpers.js';

const VIN = 'WUDSKIT0000000042';
const EID = hex('02 00 00 00 00 42');
let entity: DoipEntity | undefined;
const sockets: dgram.Socket[] = [];

async function setup(options: DoipEntityOptions = {}): Promise<{ udpPort: number; tcpPort: number; entity: DoipEntity }> {
  entity = new DoipEntity({ tcpPort: 0, udpPort: 0, vin: VIN, eid: EID, gid: hex('0A 0B 0C 0D 0E 0F'), ...options });
  const { tcpPort, udpPort } = await entity.start();
  return { tcpPort, udpPort: udpPort as number, entity };
}

/** A UDP socket on 127.0.0.1 that queues what it receives. */
async function udpPeer(): Promise<{ port: number; send: (b: Uint8Array, port: number) => void; next: () => Promise<Uint8Array>; received: Uint8Array[] }> {
  const s = dgram.createSocket('udp4');
  sockets.push(s);
  const received: Uint8Array[] = [];
  let wake: (() => void) | undefined;
  s.on('message', (m) => {
    received.push(Uint8Array.from(m));
    wake?.();
  });
  await new Promise<void>((resolve) => s.bind(0, '127.0.0.1', () => resolve()));
  let cursor = 0;
  return {
    port: s.address().port,
    send: (b, port) => s.send(b, port, '127.0.0.1'),
    received,
    async next() {
      while (cursor >= received.length) await new Promise<void>((resolve) => (wake = resolve));
      return received[cursor++] as Uint8Array;
    },
  };
}

afterEach(async () => {
  for (const s of sockets.splice(0)) s.close();
  await entity?.stop();
  entity = undefined;
});

describe('DoIP entity UDP', () => {
  it('answers 0001 (also with version FF) with the identification response', async () => {
    const { udpPort } = await setup({ logicalAddress: 0x1001, furtherAction: 0x10, syncStatus: 0x00 });
    const peer = await udpPeer();
    for (const request of ['02 FD 0001 00000000', 'FF 00 0001 00000000']) {
      peer.send(hex(request), udpPort);
      const { header, message } = decodeMessage(await peer.next());
      expect(header.version).toBe(2);
      expect(message).toEqual({ kind: 'vehicleAnnouncement', vin: VIN, logicalAddress: 0x1001, eid: EID, gid: hex('0A 0B 0C 0D 0E 0F'), furtherAction: 0x10, syncStatus: 0x00 });
    }
  });

  it('answers 0002/0003 only when the EID/VIN match', async () => {
    const { udpPort } = await setup();
    const peer = await udpPeer();
    const send = (m: DoipMessage): void => peer.send(encodeMessage(m, 0xff), udpPort);
    send({ kind: 'vehicleIdentificationRequestWithEid', eid: hex('00 00 00 00 00 01') });
    send({ kind: 'vehicleIdentificationRequestWithVin', vin: 'XXXXXXXXXXXXXXXXX' });
    send({ kind: 'vehicleIdentificationRequestWithEid', eid: EID });
    send({ kind: 'vehicleIdentificationRequestWithVin', vin: VIN });
    send({ kind: 'powerModeRequest' }); // marker: version FF is refused for 4003 -> NACK 00
    const answers = [await peer.next(), await peer.next(), await peer.next()].map((b) => decodeMessage(b).message.kind);
    expect(answers).toEqual(['vehicleAnnouncement', 'vehicleAnnouncement', 'genericNack']);
  });

  it('answers 4001 with node type, sockets and max data size, and 4003 with the power mode', async () => {
    const { udpPort, tcpPort, entity: e } = await setup({ maxTcpSockets: 4, maxDataSize: 8192 });
    const t = await RawTester.connect(tcpPort);
    await t.activate();
    expect(await requestEntityStatus({ port: udpPort })).toEqual({ nodeType: 0, maxOpenSockets: 4, openSockets: 1, maxDataSize: 8192, address: '127.0.0.1', port: udpPort });
    await t.close();
    expect(await requestPowerMode({ port: udpPort })).toEqual({ mode: 1, name: 'ready', address: '127.0.0.1', port: udpPort });
    e.powerMode = 0x00;
    expect((await requestPowerMode({ port: udpPort })).name).toBe('notReady');
  });

  it('answers UDP header errors with generic NACKs: 00 pattern, 01 unknown type, 02 too large, 04 bad length; ignores runts', async () => {
    const { udpPort, entity: e } = await setup({ maxDataSize: 16 });
    const nacks: number[] = [];
    e.events.on('nack', (n) => nacks.push(n.code));
    const peer = await udpPeer();
    const cases: [string, number][] = [
      ['02 FE 0001 00000000', 0x00], // inverse wrong
      ['03 FC 0001 00000000', 0x00], // version not the entity's
      ['02 FD 1234 00000000', 0x01], // unknown payload type
      ['02 FD 8001 00000006 | 0E 00 10 10 3E 00', 0x01], // TCP-only type on UDP
      ['02 FD 0002 00000011 | 00000000000000000000000000000000 00', 0x02], // 17 > max data size 16
      ['02 FD 0002 00000005 | 00 1A 2B 3C 4D', 0x04], // EID of 5 bytes
      ['02 FD 0002 00000006 | 00 1A 2B', 0x04], // length field disagrees with the datagram
    ];
    peer.send(hex('02 FD 00'), udpPort); // runt: no answer
    for (const [bytes, code] of cases) {
      peer.send(hex(bytes), udpPort);
      expect(decodeMessage(await peer.next()).message).toEqual({ kind: 'genericNack', code });
    }
    expect(nacks).toEqual(cases.map(([, c]) => c));
  });

  it('identifyVehicles: plain, by VIN, by EID; a mismatch gives an empty list after the timeout', async () => {
    const { udpPort } = await setup();
    const all = await identifyVehicles({ port: udpPort, timeoutMs: 200 });
    expect(all).toEqual([{ vin: VIN, logicalAddress: 0x1000, eid: EID, gid: hex('0A 0B 0C 0D 0E 0F'), furtherActionRequired: 0, address: '127.0.0.1', port: udpPort }]);
    expect(await identifyVehicles({ port: udpPort, timeoutMs: 200, vin: VIN })).toHaveLength(1);
    expect(await identifyVehicles({ port: udpPort, timeoutMs: 200, eid: '02 00 00 00 00 42' })).toHaveLength(1);
    expect(await identifyVehicles({ port: udpPort, timeoutMs: 100, vin: 'XXXXXXXXXXXXXXXXX' })).toEqual([]);
  });

  it('discovery refuses broadcast/multicast hosts and bad arguments; a NACK rejects with HeaderNackError', async () => {
    await expect(identifyVehicles({ host: '255.255.255.255' })).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(identifyVehicles({ host: '224.0.0.1' })).rejects.toThrow(/unicast/);
    await expect(identifyVehicles({ host: 'ff02::1' })).rejects.toThrow(/unicast/);
    await expect(identifyVehicles({ vin: VIN, eid: EID })).rejects.toThrow(/not both/);
    await expect(identifyVehicles({ vin: 'short' })).rejects.toThrow(/17/);
    const { udpPort } = await setup({ protocolVersion: 3 });
    await expect(requestEntityStatus({ port: udpPort, protocolVersion: 2 })).rejects.toBeInstanceOf(HeaderNackError);
    expect((await requestEntityStatus({ port: udpPort, protocolVersion: 3 })).maxOpenSockets).toBe(16);
  });

  it('requestEntityStatus rejects with TimeoutError when nothing answers (FakeClock)', async () => {
    const peer = await udpPeer(); // a silent UDP socket
    const clock = new FakeClock();
    const p = requestEntityStatus({ port: peer.port, clock, timeoutMs: 1000 }).catch((e: unknown) => e);
    await peer.next();
    await clock.advance(999);
    await clock.advance(1);
    expect(await p).toBeInstanceOf(TimeoutError);
  });

  it('announce: 3 announcements 500 ms apart after the random delay, to the given unicast address only (FakeClock)', async () => {
    const clock = new FakeClock();
    const { entity: e } = await setup({ clock, random: () => 0.5 });
    const peer = await udpPeer();
    const done = e.announce({ address: '127.0.0.1', port: peer.port });
    await clock.advance(249);
    expect(peer.received).toHaveLength(0);
    await clock.advance(1);
    expect(decodeMessage(await peer.next()).message).toMatchObject({ kind: 'vehicleAnnouncement', vin: VIN });
    await clock.advance(499);
    expect(peer.received).toHaveLength(1);
    await clock.advance(1);
    await peer.next();
    await clock.advance(500);
    await peer.next();
    await done;
    expect(peer.received).toHaveLength(3);
    await expect(e.announce({ address: '255.255.255.255', port: peer.port })).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(e.announce({ address: '239.1.2.3', port: peer.port })).rejects.toThrow(/unicast/);
  });

  it('announce is aborted by stop and refused without UDP', async () => {
    const clock = new FakeClock();
    const { entity: e } = await setup({ clock });
    const peer = await udpPeer();
    const done = e.announce({ address: '127.0.0.1', port: peer.port }).catch((err: unknown) => err);
    await e.stop();
    expect(String(await done)).toMatch(/stopped/);
    const noUdp = new DoipEntity({ tcpPort: 0, udpPort: null });
    await noUdp.start();
    await expect(noUdp.announce({ address: '127.0.0.1', port: peer.port })).rejects.toThrow(/UDP/);
    await noUdp.stop();
  });
});
