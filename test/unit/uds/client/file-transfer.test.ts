/** UdsClient.requestFileTransfer (0x38) against a scripted ECU: request bytes, decoded responses, echo check. */
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../../../src/core/errors.js';
import { InvalidResponseError, NegativeResponseError } from '../../../../src/uds/client/errors.js';
import { setup } from './helpers.js';

describe('UdsClient.requestFileTransfer', () => {
  it('sends AddFile with sizes and decodes maxNumberOfBlockLength', async () => {
    const { ecu, client } = setup();
    ecu.expect('38 01 00 03 2F 61 62 00 02 01 00 01 00', '78 01 02 0F FF 00');
    expect(await client.requestFileTransfer({ modeOfOperation: 0x01, filePathAndName: '/ab', fileSizeUncompressed: 0x100 })).toEqual({
      modeOfOperation: 0x01,
      lengthFormatIdentifier: 2,
      maxNumberOfBlockLength: 0x0fff,
      dataFormatIdentifier: 0x00,
    });
    ecu.assertDone();
  });

  it('decodes ReadFile sizes, ReadDir dirInfoLength, ResumeFile filePosition and DeleteFile', async () => {
    const { ecu, client } = setup();
    ecu.expect('38 04 00 01 66 00', '78 04 01 82 00 00 02 01 00 01 00');
    expect(await client.requestFileTransfer({ modeOfOperation: 0x04, filePathAndName: 'f' })).toMatchObject({
      maxNumberOfBlockLength: 0x82,
      fileSizeUncompressedOrDirInfoLength: 0x100,
      fileSizeCompressed: 0x100,
    });
    ecu.expect('38 05 00 01 2F', '78 05 01 82 00 00 01 0C');
    expect(await client.requestFileTransfer({ modeOfOperation: 0x05, filePathAndName: '/' })).toMatchObject({ fileSizeUncompressedOrDirInfoLength: 12 });
    ecu.expect('38 06 00 01 66 00 01 20 20', '78 06 01 82 00 00 00 00 00 00 00 00 10');
    expect(await client.requestFileTransfer({ modeOfOperation: 0x06, filePathAndName: 'f', fileSizeUncompressed: 0x20 })).toMatchObject({
      filePosition: 0x10,
    });
    ecu.expect('38 02 00 01 66', '78 02');
    expect(await client.requestFileTransfer({ modeOfOperation: 0x02, filePathAndName: 'f' })).toEqual({ modeOfOperation: 0x02 });
    ecu.assertDone();
  });

  it('checks the modeOfOperation echo and the response format; passes NRCs on', async () => {
    const { ecu, client } = setup();
    ecu.expect('38 02 00 01 66', '78 03 01 82 00');
    await expect(client.requestFileTransfer({ modeOfOperation: 0x02, filePathAndName: 'f' })).rejects.toThrow(InvalidResponseError);
    ecu.expect('38 04 00 01 66 00', '78 04 01 82 00');
    await expect(client.requestFileTransfer({ modeOfOperation: 0x04, filePathAndName: 'f' })).rejects.toThrow(/RequestFileTransfer response too short/);
    ecu.expect('38 02 00 01 66', '7F 38 31');
    await expect(client.requestFileTransfer({ modeOfOperation: 0x02, filePathAndName: 'f' })).rejects.toBeInstanceOf(NegativeResponseError);
    await expect(client.requestFileTransfer({ modeOfOperation: 0x01, filePathAndName: 'f' })).rejects.toBeInstanceOf(InvalidArgumentError);
  });
});
