/**
 * ReadMemoryByAddress (0x23), ISO 14229-1:2020 11.3: the bytes of one memory range, under the `read`
 * rules of its region (memory-access.ts).
 */
import { hexNum } from '../../core/hex.js';
import { readMemoryByAddress } from '../../uds/codec/0x23-read-memory-by-address.js';
import { NRC } from '../../uds/codec/nrc.js';
import { NrcError } from '../../uds/server/nrc-error.js';
import { checkMemoryAccess, MAX_MEMORY_READ } from '../memory-access.js';
import type { EcuHandler } from './types.js';

/** Handler of 0x23. */
export const readMemoryByAddressHandler: EcuHandler = (ctx) => {
  // ISO 14229-1:2020 11.3.4 NRC 0x13 — ALFID nibbles 1..4 and a length that matches them (codec).
  const req = readMemoryByAddress.decodeRequest(ctx.data);
  const ecu = ctx.env;
  // ISO 14229-1:2020 11.3.4 NRC 0x31 (size 0, range not inside one readable region) / 0x33 (secured region).
  checkMemoryAccess(ecu, req.memoryAddress, req.memorySize, 'read');
  // ISO 14229-1:2020 11.3.4 NRC 0x31 — a memorySize the server does not support.
  if (req.memorySize > MAX_MEMORY_READ) {
    throw new NrcError(NRC.requestOutOfRange, `memorySize ${req.memorySize} exceeds the simulator's largest read (${MAX_MEMORY_READ})`);
  }
  // ISO 14229-1:2020 A.1 NRC 0x14 — checked before reading, so a huge size never allocates its buffer.
  if (1 + req.memorySize > ctx.maxResponseLength) {
    throw new NrcError(NRC.responseTooLong, `${req.memorySize} bytes at ${hexNum(req.memoryAddress, 8)} exceed the ${ctx.maxResponseLength}-byte response limit`);
  }
  return readMemoryByAddress.encodeResponse({ data: ecu.memory.read(req.memoryAddress, req.memorySize) });
};
