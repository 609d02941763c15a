/**
 * Typed client calls of ReadMemoryByAddress (0x23, ISO 14229-1:2020 11.3) and WriteMemoryByAddress
 * (0x3D, 11.8).
 */
import { InvalidArgumentError } from '../../../core/errors.js';
import { hexNum } from '../../../core/hex.js';
import { encodeAddressAndLength } from '../../codec/address-and-length.js';
import { readMemoryByAddress as rmbaCodec } from '../../codec/0x23-read-memory-by-address.js';
import { writeMemoryByAddress as wmbaCodec, type WriteMemoryByAddressResponse } from '../../codec/0x3d-write-memory-by-address.js';
import { InvalidResponseError } from '../errors.js';
import type { ServiceCallOptions, UdsRequester } from '../types.js';
import { checkEcho, decodePositive, requestOptionsOf } from './common.js';

/** Options of the memory calls (no SPRMIB: these services have no sub-function). */
export type MemoryCallOptions = Omit<ServiceCallOptions, 'suppress'>;

/** Arguments of `readMemoryByAddress`. */
export interface ReadMemoryArgs {
  /** Start address. */
  address: number;
  /** Number of bytes (at least 1). */
  size: number;
  /** Bytes of the address on the wire, 1..4 (default 4). */
  addressLength?: number;
  /** Bytes of the size on the wire, 1..4 (default 4). */
  sizeLength?: number;
}

/** Arguments of `writeMemoryByAddress`. */
export interface WriteMemoryArgs {
  /** Start address. */
  address: number;
  /** The bytes to write (at least 1). */
  data: Uint8Array;
  /** Bytes of the address on the wire, 1..4 (default 4). */
  addressLength?: number;
  /** Bytes of the size on the wire, 1..4 (default 4). */
  sizeLength?: number;
}

function noResponse(sid: number, source: number): InvalidResponseError {
  return new InvalidResponseError({ sid, source, response: new Uint8Array(0), reason: 'no response' });
}

function checkArgs(service: string, args: unknown): void {
  if (args === null || typeof args !== 'object') throw new InvalidArgumentError(`${service}: pass an object with address and size/data`, { field: 'args' });
}

/** `23 ALFID addr size` -> the bytes read; checks that exactly `size` bytes came back. */
export async function readMemoryByAddress(c: UdsRequester, args: ReadMemoryArgs, opts?: MemoryCallOptions): Promise<Uint8Array> {
  checkArgs('readMemoryByAddress', args);
  if (!Number.isInteger(args.size) || args.size < 1) {
    throw new InvalidArgumentError(`readMemoryByAddress: size must be an integer >= 1, got ${String(args.size)}`, { field: 'size' });
  }
  const req = rmbaCodec.encodeRequest({
    memoryAddress: args.address,
    memorySize: args.size,
    addressLength: args.addressLength ?? 4,
    sizeLength: args.sizeLength ?? 4,
  });
  const res = await c.request(req, requestOptionsOf(opts, false));
  if (!res) throw noResponse(rmbaCodec.sid, c.target);
  const { data } = decodePositive(rmbaCodec, res, c.target);
  // ISO 14229-1:2020 11.3.3 — the dataRecord holds exactly memorySize bytes.
  if (data.length !== args.size) {
    throw new InvalidResponseError({
      sid: rmbaCodec.sid,
      source: c.target,
      response: res,
      reason: `${data.length} byte(s) read at ${hexNum(args.address, 8)}, expected ${args.size}`,
    });
  }
  return data;
}

/** `3D ALFID addr size data` -> `7D ALFID addr size`; checks the echo of ALFID, address and size. */
export async function writeMemoryByAddress(c: UdsRequester, args: WriteMemoryArgs, opts?: MemoryCallOptions): Promise<WriteMemoryByAddressResponse> {
  checkArgs('writeMemoryByAddress', args);
  if (!(args.data instanceof Uint8Array) || args.data.length === 0) {
    throw new InvalidArgumentError('writeMemoryByAddress: data must be a non-empty Uint8Array', { field: 'data' });
  }
  const addressLength = args.addressLength ?? 4;
  const sizeLength = args.sizeLength ?? 4;
  const req = wmbaCodec.encodeRequest({ memoryAddress: args.address, data: args.data, addressLength, sizeLength });
  // ISO 14229-1:2020 11.8.3 — the response repeats ALFID, memoryAddress and memorySize.
  const echo = encodeAddressAndLength(args.address, args.data.length, addressLength, sizeLength);
  const res = await c.request(req, requestOptionsOf(opts, false, [...echo]));
  if (!res) throw noResponse(wmbaCodec.sid, c.target);
  const d = decodePositive(wmbaCodec, res, c.target);
  checkEcho(wmbaCodec.sid, c.target, res, 'memoryAddress', d.memoryAddress, args.address, 8);
  checkEcho(wmbaCodec.sid, c.target, res, 'memorySize', d.memorySize, args.data.length);
  checkEcho(wmbaCodec.sid, c.target, res, 'addressAndLengthFormatIdentifier', ((d.sizeLength ?? 4) << 4) | (d.addressLength ?? 4), (sizeLength << 4) | addressLength);
  return d;
}
