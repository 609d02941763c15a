/** fast-check generator of valid RequestFileTransfer (0x38) requests in their decoded, fully filled form. */
import fc from 'fast-check';
import type { RequestFileTransferRequest } from '../../../../src/uds/codec/0x38-request-file-transfer.js';

const path = fc.uint8Array({ maxLength: 40 }).map((b) => String.fromCharCode(...b));
/** A size field of 1..8 bytes and two values that fit it. */
const sizes = fc.integer({ min: 1, max: 8 }).chain((n) => {
  const max = Math.min(Number.MAX_SAFE_INTEGER, 2 ** (8 * n) - 1);
  return fc.record({
    fileSizeParameterLength: fc.constant(n),
    fileSizeUncompressed: fc.integer({ min: 0, max }),
    fileSizeCompressed: fc.integer({ min: 0, max }),
  });
});

/** Every mode 01..06 with exactly the fields ISO 14229-1:2020 15.6.2 gives it. */
export const fileTransferRequest: fc.Arbitrary<RequestFileTransferRequest> = fc
  .record({ modeOfOperation: fc.integer({ min: 1, max: 6 }), filePathAndName: path, dataFormatIdentifier: fc.integer({ min: 0, max: 0xff }), sizes })
  .map(({ modeOfOperation, filePathAndName, dataFormatIdentifier, sizes: s }) => {
    if (modeOfOperation === 0x02 || modeOfOperation === 0x05) return { modeOfOperation, filePathAndName };
    if (modeOfOperation === 0x04) return { modeOfOperation, filePathAndName, dataFormatIdentifier };
    return { modeOfOperation, filePathAndName, dataFormatIdentifier, ...s };
  });
