/**
 * addressAndLengthFormatIdentifier (ALFID) with memoryAddress and memorySize, shared by
 * ReadMemoryByAddress (23), DynamicallyDefineDataIdentifier (2C), RequestDownload (34),
 * RequestUpload (35) and WriteMemoryByAddress (3D). ISO 14229-1:2020 15.2.2 (and 11.3.2, 11.8.2):
 * bits 7-4 = number of bytes of memorySize, bits 3-0 = number of bytes of memoryAddress.
 */
import { ByteWriter, type ByteReader } from '../../core/bytes.js';
import { DecodeError, InvalidArgumentError } from '../../core/errors.js';
import { hexByte } from '../../core/hex.js';
import { RequestFormatError } from './service-codec.js';

/** Largest address/size length udskit accepts (bytes); spec/uds.md: each nibble 1..4. */
export const MAX_ADDRESS_OR_SIZE_LENGTH = 4;

/** memoryAddress and memorySize with the byte counts they use on the wire. */
export interface AddressAndLength {
  /** memoryAddress. */
  memoryAddress: number;
  /** memorySize in bytes. */
  memorySize: number;
  /** Bytes of memoryAddress on the wire (ALFID low nibble), 1..4. */
  addressLength: number;
  /** Bytes of memorySize on the wire (ALFID high nibble), 1..4. */
  sizeLength: number;
}

function checkLength(field: string, n: number): void {
  if (!Number.isInteger(n) || n < 1 || n > MAX_ADDRESS_OR_SIZE_LENGTH) {
    throw new InvalidArgumentError(`${field} must be 1..${MAX_ADDRESS_OR_SIZE_LENGTH} bytes, got ${n}`, { field, value: n });
  }
}

/** The ALFID byte for the given byte counts (each 1..4). Throws `InvalidArgumentError` otherwise. */
export function addressAndLengthFormat(addressLength: number, sizeLength: number): number {
  checkLength('addressLength', addressLength);
  checkLength('sizeLength', sizeLength);
  return (sizeLength << 4) | addressLength;
}

/**
 * `ALFID memoryAddress memorySize` as bytes. Lengths default to 4/4. Throws `InvalidArgumentError` when a
 * length is outside 1..4 or a value does not fit its length.
 */
export function encodeAddressAndLength(memoryAddress: number, memorySize: number, addressLength = 4, sizeLength = 4): Uint8Array {
  const alfid = addressAndLengthFormat(addressLength, sizeLength);
  try {
    return new ByteWriter(1 + addressLength + sizeLength).u8(alfid).uint(memoryAddress, addressLength).uint(memorySize, sizeLength).finish();
  } catch (e) {
    if (e instanceof InvalidArgumentError) {
      throw new InvalidArgumentError(
        `memoryAddress 0x${memoryAddress.toString(16)} / memorySize ${memorySize} must fit in ${addressLength} / ${sizeLength} byte(s): ${e.message}`,
        { memoryAddress, memorySize, addressLength, sizeLength },
      );
    }
    throw e;
  }
}

/**
 * Reads `ALFID memoryAddress memorySize` from `r`. Throws {@link RequestFormatError} (NRC 0x13) when a
 * nibble is 0 or above 4 or the message ends early (spec/uds.md, transfer services: "ALFID nibbles 1..4
 * and message length consistent, else 0x13"). `service` names the service in the message.
 */
export function decodeAddressAndLength(r: ByteReader, service = 'request'): AddressAndLength {
  try {
    const alfid = r.u8('addressAndLengthFormatIdentifier');
    const sizeLength = alfid >> 4;
    const addressLength = alfid & 0x0f;
    if (addressLength < 1 || addressLength > MAX_ADDRESS_OR_SIZE_LENGTH || sizeLength < 1 || sizeLength > MAX_ADDRESS_OR_SIZE_LENGTH) {
      throw new RequestFormatError(
        `${service}: addressAndLengthFormatIdentifier 0x${hexByte(alfid)} needs both nibbles in 1..4 ` +
          `(high = memorySize bytes, low = memoryAddress bytes) (NRC 0x13)`,
        undefined,
        { alfid },
      );
    }
    const memoryAddress = r.uint(addressLength, 'memoryAddress');
    const memorySize = r.uint(sizeLength, 'memorySize');
    return { memoryAddress, memorySize, addressLength, sizeLength };
  } catch (e) {
    if (e instanceof RequestFormatError || !(e instanceof DecodeError)) throw e;
    throw new RequestFormatError(`${service}: ${e.message} (NRC 0x13)`, undefined, { ...e.details });
  }
}
