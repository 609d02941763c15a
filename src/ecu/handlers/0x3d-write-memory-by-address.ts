/**
 * WriteMemoryByAddress (0x3D), ISO 14229-1:2020 11.8: writes one memory range under the `write` rules
 * of its region (memory-access.ts); flash accepts the write only where it is erased.
 */
import { hexNum } from '../../core/hex.js';
import { writeMemoryByAddress } from '../../uds/codec/0x3d-write-memory-by-address.js';
import { NRC } from '../../uds/codec/nrc.js';
import { NrcError } from '../../uds/server/nrc-error.js';
import { checkMemoryAccess } from '../memory-access.js';
import { isProgrammableFlash } from '../config-memory.js';
import type { EcuHandler } from './types.js';

/** Handler of 0x3D. The response echoes ALFID, memoryAddress and memorySize. */
export const writeMemoryByAddressHandler: EcuHandler = async (ctx) => {
  // ISO 14229-1:2020 11.8.4 NRC 0x13 — ALFID nibbles 1..4, exactly memorySize data bytes (codec).
  const req = writeMemoryByAddress.decodeRequest(ctx.data);
  const ecu = ctx.env;
  const size = req.data.length;
  // ISO 14229-1:2020 11.8.4 NRC 0x31 (size 0, range not inside one writable region) / 0x33 (secured region).
  const region = checkMemoryAccess(ecu, req.memoryAddress, size, 'write');
  // ISO 14229-1:2020 11.8.4 NRC 0x72 — flash cannot take the write where it is not erased.
  if (isProgrammableFlash(region.kind) && !ecu.memory.isErased(req.memoryAddress, size, region.erasedValue)) {
    throw new NrcError(NRC.generalProgrammingFailure, `flash at ${hexNum(req.memoryAddress, 8)} (${size} bytes) is not erased`);
  }
  ecu.memory.write(req.memoryAddress, req.data);
  // With a state directory: a write to a non-RAM region is durable before the response.
  await ecu.flushPersistence();
  return writeMemoryByAddress.encodeResponse({
    memoryAddress: req.memoryAddress,
    memorySize: size,
    addressLength: req.addressLength,
    sizeLength: req.sizeLength,
  });
};
