import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../../../src/core/errors.js';
import { NRC } from '../../../../src/uds/codec/nrc.js';
import {
  modeOfOperationName,
  requestFileTransfer as codec,
} from '../../../../src/uds/codec/0x38-request-file-transfer.js';
import { hex, requestErrorTable, requestTable, responseErrorTable, responseTable } from './table.js';

describe('RequestFileTransfer (0x38)', () => {
  requestTable(codec, [
    {
      name: '01 AddFile with DFI and 2-byte sizes',
      object: { modeOfOperation: 0x01, filePathAndName: '/a.bin', dataFormatIdentifier: 0x00, fileSizeUncompressed: 0x1234 },
      bytes: `38                // SID
              01                // modeOfOperation: AddFile
              00 06             // filePathAndNameLength
              2F 61 2E 62 69 6E // "/a.bin"
              00                // dataFormatIdentifier: plain
              02                // fileSizeParameterLength
              12 34             // fileSizeUnCompressed
              12 34             // fileSizeCompressed (defaults to the uncompressed size)`,
      decoded: {
        modeOfOperation: 0x01,
        filePathAndName: '/a.bin',
        dataFormatIdentifier: 0x00,
        fileSizeParameterLength: 2,
        fileSizeUncompressed: 0x1234,
        fileSizeCompressed: 0x1234,
      },
    },
    {
      name: '02 DeleteFile: path only',
      object: { modeOfOperation: 0x02, filePathAndName: 'x' },
      bytes: `38    // SID
              02    // DeleteFile
              00 01 // filePathAndNameLength
              78    // "x"`,
    },
    {
      name: '03 ReplaceFile, compressed, explicit 4-byte sizes',
      object: {
        modeOfOperation: 0x03,
        filePathAndName: 'f',
        dataFormatIdentifier: 0x10,
        fileSizeParameterLength: 4,
        fileSizeUncompressed: 0x2000,
        fileSizeCompressed: 0x0800,
      },
      bytes: `38          // SID
              03          // ReplaceFile
              00 01 66    // "f"
              10          // DFI: compression method 1
              04          // fileSizeParameterLength
              00 00 20 00 // fileSizeUnCompressed
              00 00 08 00 // fileSizeCompressed`,
    },
    {
      name: '04 ReadFile: path and DFI, no sizes',
      object: { modeOfOperation: 0x04, filePathAndName: 'log', dataFormatIdentifier: 0x00 },
      bytes: `38          // SID
              04          // ReadFile
              00 03       // filePathAndNameLength
              6C 6F 67    // "log"
              00          // dataFormatIdentifier`,
    },
    {
      name: '05 ReadDir: path only',
      object: { modeOfOperation: 0x05, filePathAndName: '/' },
      bytes: '38 05 00 01 2F',
    },
    {
      name: '06 ResumeFile: like AddFile',
      object: {
        modeOfOperation: 0x06,
        filePathAndName: 'a',
        dataFormatIdentifier: 0x00,
        fileSizeParameterLength: 1,
        fileSizeUncompressed: 0x20,
        fileSizeCompressed: 0x20,
      },
      bytes: `38       // SID
              06       // ResumeFile
              00 01 61 // "a"
              00       // DFI
              01 20 20 // fileSizeParameterLength 1, sizes 0x20 / 0x20`,
    },
    {
      name: 'a 9-byte size field (leading zeros) and an empty path',
      object: {
        modeOfOperation: 0x01,
        filePathAndName: '',
        dataFormatIdentifier: 0x00,
        fileSizeParameterLength: 9,
        fileSizeUncompressed: 1,
        fileSizeCompressed: 2,
      },
      bytes: `38 01 00 00 00 09
              00 00 00 00 00 00 00 00 01 // fileSizeUnCompressed
              00 00 00 00 00 00 00 00 02 // fileSizeCompressed`,
    },
    {
      name: 'path bytes above 0x7F map 1:1 to characters',
      object: { modeOfOperation: 0x02, filePathAndName: '\u00e9\u00ff' },
      bytes: '38 02 00 02 E9 FF',
    },
  ]);

  requestErrorTable(codec, [
    { name: 'no path length', bytes: '38 01 00', nrc: NRC.incorrectMessageLengthOrInvalidFormat },
    { name: 'path shorter than its length', bytes: '38 02 00 03 61 62', nrc: NRC.incorrectMessageLengthOrInvalidFormat },
    { name: 'DeleteFile with a trailing DFI', bytes: '38 02 00 01 61 00', nrc: NRC.incorrectMessageLengthOrInvalidFormat },
    { name: 'ReadDir with a trailing byte', bytes: '38 05 00 01 2F 00', nrc: NRC.incorrectMessageLengthOrInvalidFormat },
    { name: 'ReadFile without DFI', bytes: '38 04 00 01 61', nrc: NRC.incorrectMessageLengthOrInvalidFormat },
    { name: 'ReadFile with sizes', bytes: '38 04 00 01 61 00 01 10 10', nrc: NRC.incorrectMessageLengthOrInvalidFormat },
    { name: 'AddFile without sizes', bytes: '38 01 00 01 61 00', nrc: NRC.incorrectMessageLengthOrInvalidFormat },
    { name: 'AddFile fileSizeParameterLength 0', bytes: '38 01 00 01 61 00 00', nrc: NRC.incorrectMessageLengthOrInvalidFormat },
    { name: 'AddFile compressed size missing', bytes: '38 01 00 01 61 00 02 00 10', nrc: NRC.incorrectMessageLengthOrInvalidFormat },
    { name: 'AddFile with a byte after the sizes', bytes: '38 01 00 01 61 00 01 10 10 00', nrc: NRC.incorrectMessageLengthOrInvalidFormat },
    { name: 'reserved modeOfOperation 0x00', bytes: '38 00 00 01 61', nrc: NRC.requestOutOfRange },
    { name: 'reserved modeOfOperation 0x07', bytes: '38 07 00 00', nrc: NRC.requestOutOfRange },
    {
      name: 'a file size above 2^53-1',
      bytes: '38 01 00 01 61 00 08 00 20 00 00 00 00 00 00 00 00 00 00 00 00 00 01',
      nrc: NRC.uploadDownloadNotAccepted,
    },
    { name: 'another SID', bytes: '37 01 00 01 61', nrc: NRC.incorrectMessageLengthOrInvalidFormat },
  ]);

  responseTable(codec, [
    {
      name: '01 AddFile: LFI, maxNumberOfBlockLength, DFI',
      object: { modeOfOperation: 0x01, lengthFormatIdentifier: 2, maxNumberOfBlockLength: 0x0ffe, dataFormatIdentifier: 0x00 },
      bytes: `78    // SID + 0x40
              01    // AddFile
              02    // lengthFormatIdentifier: 2 bytes follow (a byte count, not a nibble)
              0F FE // maxNumberOfBlockLength
              00    // dataFormatIdentifier`,
    },
    {
      name: '02 DeleteFile: the mode alone',
      object: { modeOfOperation: 0x02 },
      bytes: '78 02',
    },
    {
      name: '03 ReplaceFile',
      object: { modeOfOperation: 0x03, lengthFormatIdentifier: 1, maxNumberOfBlockLength: 0x82, dataFormatIdentifier: 0x00 },
      bytes: '78 03 01 82 00',
    },
    {
      name: '04 ReadFile: sizes with a 2-byte parameter length',
      object: {
        modeOfOperation: 0x04,
        lengthFormatIdentifier: 2,
        maxNumberOfBlockLength: 0x1002,
        dataFormatIdentifier: 0x00,
        fileSizeOrDirInfoParameterLength: 2,
        fileSizeUncompressedOrDirInfoLength: 0x0123,
        fileSizeCompressed: 0x0123,
      },
      bytes: `78    // SID + 0x40
              04    // ReadFile
              02 10 02 // LFI 2, maxNumberOfBlockLength 0x1002
              00    // DFI
              00 02 // fileSizeOrDirInfoParameterLength (2 bytes on the wire)
              01 23 // fileSizeUncompressed
              01 23 // fileSizeCompressed`,
    },
    {
      name: '05 ReadDir: dirInfoLength, no compressed size',
      object: {
        modeOfOperation: 0x05,
        lengthFormatIdentifier: 1,
        maxNumberOfBlockLength: 0xff,
        dataFormatIdentifier: 0x00,
        fileSizeOrDirInfoParameterLength: 1,
        fileSizeUncompressedOrDirInfoLength: 0x2a,
      },
      bytes: `78 05    // SID + 0x40, ReadDir
              01 FF    // LFI 1, maxNumberOfBlockLength 255
              00       // DFI (always 00 for ReadDir)
              00 01 2A // fileSizeOrDirInfoParameterLength 1, dirInfoLength 42`,
    },
    {
      name: '06 ResumeFile: 8-byte filePosition',
      object: { modeOfOperation: 0x06, lengthFormatIdentifier: 2, maxNumberOfBlockLength: 0x0402, dataFormatIdentifier: 0x00, filePosition: 0x1000 },
      bytes: `78 06                   // SID + 0x40, ResumeFile
              02 04 02                // LFI 2, maxNumberOfBlockLength
              00                      // DFI
              00 00 00 00 00 00 10 00 // filePosition`,
    },
  ]);

  it('picks the fewest bytes for lengths that are not given', () => {
    expect(codec.encodeResponse({ modeOfOperation: 0x01, maxNumberOfBlockLength: 0x10002 })).toEqual(hex('78 01 03 01 00 02 00'));
    expect(
      codec.encodeResponse({ modeOfOperation: 0x04, maxNumberOfBlockLength: 0x82, fileSizeUncompressedOrDirInfoLength: 0x10000 }),
    ).toEqual(hex('78 04 01 82 00 00 03 01 00 00 01 00 00'));
    expect(
      codec.encodeRequest({ modeOfOperation: 0x01, filePathAndName: 'a', fileSizeUncompressed: 0x10, fileSizeCompressed: 0x100 }),
    ).toEqual(hex('38 01 00 01 61 00 02 00 10 01 00'));
  });

  responseErrorTable(codec, [
    { name: 'reserved mode', bytes: '78 07' },
    { name: 'AddFile without DFI', bytes: '78 01 01 82' },
    { name: 'lengthFormatIdentifier 0', bytes: '78 01 00 00' },
    { name: 'DeleteFile with extra bytes', bytes: '78 02 00' },
    { name: 'ReadDir with a DFI other than 00', bytes: '78 05 01 82 11 00 01 05' },
    { name: 'ReadFile without compressed size', bytes: '78 04 01 82 00 00 01 05' },
    { name: 'ReadFile size length 0', bytes: '78 04 01 82 00 00 00' },
    { name: 'ResumeFile with a 4-byte filePosition', bytes: '78 06 01 82 00 00 00 10 00' },
    { name: 'maxNumberOfBlockLength beyond 2^53-1', bytes: '78 01 08 FF FF FF FF FF FF FF FF 00' },
    { name: 'a negative response', bytes: '7F 38 31' },
  ]);

  it('refuses to encode fields that the mode does not carry, and missing sizes', () => {
    expect(() => codec.encodeRequest({ modeOfOperation: 0x02, filePathAndName: 'a', dataFormatIdentifier: 0 })).toThrow(InvalidArgumentError);
    expect(() => codec.encodeRequest({ modeOfOperation: 0x04, filePathAndName: 'a', fileSizeUncompressed: 1 })).toThrow(InvalidArgumentError);
    expect(() => codec.encodeRequest({ modeOfOperation: 0x01, filePathAndName: 'a' })).toThrow(/fileSizeUncompressed/);
    expect(() => codec.encodeRequest({ modeOfOperation: 0x07, filePathAndName: 'a' })).toThrow(/modeOfOperation/);
    expect(() => codec.encodeRequest({ modeOfOperation: 0x02, filePathAndName: 'ü\u4e2d' })).toThrow(/not one byte/);
    expect(() =>
      codec.encodeRequest({ modeOfOperation: 0x01, filePathAndName: 'a', fileSizeUncompressed: 0x100, fileSizeParameterLength: 1 }),
    ).toThrow(/does not fit/);
    expect(() => codec.encodeResponse({ modeOfOperation: 0x02, maxNumberOfBlockLength: 10 })).toThrow(InvalidArgumentError);
    expect(() => codec.encodeResponse({ modeOfOperation: 0x01 })).toThrow(/maxNumberOfBlockLength/);
    expect(() =>
      codec.encodeResponse({ modeOfOperation: 0x05, maxNumberOfBlockLength: 10, dataFormatIdentifier: 0x11, fileSizeUncompressedOrDirInfoLength: 1 }),
    ).toThrow(/ReadDir/);
    expect(() => codec.encodeResponse({ modeOfOperation: 0x01, maxNumberOfBlockLength: 10, filePosition: 1 })).toThrow(/filePosition/);
  });

  it('names the modes', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map(modeOfOperationName)).toEqual([
      'AddFile',
      'DeleteFile',
      'ReplaceFile',
      'ReadFile',
      'ReadDir',
      'ResumeFile',
      'mode 0x07',
    ]);
  });
});
