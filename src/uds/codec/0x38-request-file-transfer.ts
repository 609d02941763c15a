/**
 * RequestFileTransfer (0x38), ISO 14229-1:2020 15.6.
 *
 * Request (15.6.2): `38 modeOfOperation filePathAndNameLength(2) filePathAndName [dataFormatIdentifier]
 * [fileSizeParameterLength fileSizeUnCompressed fileSizeCompressed]`:
 *
 * | mode | name        | DFI | fileSizeParameterLength + both sizes |
 * |------|-------------|-----|--------------------------------------|
 * | 01   | AddFile     | yes | yes                                  |
 * | 02   | DeleteFile  | no  | no                                   |
 * | 03   | ReplaceFile | yes | yes                                  |
 * | 04   | ReadFile    | yes | no                                   |
 * | 05   | ReadDir     | no  | no                                   |
 * | 06   | ResumeFile  | yes | yes                                  |
 *
 * Positive response (15.6.3): `78 modeOfOperation [lengthFormatIdentifier maxNumberOfBlockLength]
 * [dataFormatIdentifier] [fileSizeOrDirInfoParameterLength(2) fileSizeUncompressedOrDirInfoLength
 * [fileSizeCompressed]] [filePosition(8)]`:
 *
 * | mode | LFI + maxNumberOfBlockLength + DFI | sizes (2-byte length, uncompressed/dir info) | fileSizeCompressed | filePosition |
 * |------|-----------------------------------|----------------------------------------------|--------------------|--------------|
 * | 02   | no                                | no                                           | no                 | no           |
 * | 01 03| yes                               | no                                           | no                 | no           |
 * | 04   | yes                               | yes                                          | yes                | no           |
 * | 05   | yes (DFI shall be 00)             | yes (dirInfoLength)                          | no                 | no           |
 * | 06   | yes                               | no                                           | no                 | yes (8 bytes)|
 *
 * Unlike 0x34/0x35, lengthFormatIdentifier here is the number of bytes of maxNumberOfBlockLength itself
 * (not a nibble); Wireshark's UDS dissector, scapy's UDS_RFTPR and python-udsoncan read it the same way.
 * filePathAndName is carried as bytes; udskit maps them 1:1 to a string (Latin-1, ASCII in practice).
 * Size fields of any length are accepted as long as the value fits a JS number exactly (2^53 - 1).
 */
import { ByteWriter, type ByteReader } from '../../core/bytes.js';
import { DecodeError, InvalidArgumentError } from '../../core/errors.js';
import { hexByte } from '../../core/hex.js';
import { NRC } from './nrc.js';
import { decodeRequestFrame, decodeResponseFrame, RequestFormatError, type ServiceCodec } from './service-codec.js';
import { SID } from './sid.js';

/** modeOfOperation values, ISO 14229-1:2020 15.6.2 (table G.1). */
export const MODE_OF_OPERATION = {
  addFile: 0x01,
  deleteFile: 0x02,
  replaceFile: 0x03,
  readFile: 0x04,
  readDir: 0x05,
  resumeFile: 0x06,
} as const;

const MODE_NAMES: Readonly<Record<number, string>> = {
  0x01: 'AddFile',
  0x02: 'DeleteFile',
  0x03: 'ReplaceFile',
  0x04: 'ReadFile',
  0x05: 'ReadDir',
  0x06: 'ResumeFile',
};

/** `AddFile`, `ReadDir`, ... or `mode 0xNN` for a reserved value. */
export function modeOfOperationName(mode: number): string {
  return MODE_NAMES[mode] ?? `mode 0x${hexByte(mode)}`;
}

/** True for the modes ISO 14229-1:2020 defines (01..06). */
export function isKnownModeOfOperation(mode: number): boolean {
  return MODE_NAMES[mode] !== undefined;
}

/** Modes whose request carries a dataFormatIdentifier (all but DeleteFile and ReadDir). */
export function requestHasDataFormatIdentifier(mode: number): boolean {
  return mode === 0x01 || mode === 0x03 || mode === 0x04 || mode === 0x06;
}

/** Modes whose request carries fileSizeParameterLength and the two sizes (AddFile, ReplaceFile, ResumeFile). */
export function requestHasFileSize(mode: number): boolean {
  return mode === 0x01 || mode === 0x03 || mode === 0x06;
}

/** A decoded 0x38 request; which optional fields exist depends on the mode (see the module table). */
export interface RequestFileTransferRequest {
  /** 01 AddFile .. 06 ResumeFile ({@link MODE_OF_OPERATION}). */
  modeOfOperation: number;
  /** The file or directory path, one character per byte on the wire. */
  filePathAndName: string;
  /** Modes 01/03/04/06: high nibble compression, low nibble encryption (encode default 0x00). */
  dataFormatIdentifier?: number;
  /** Modes 01/03/06: bytes of each size field (encode default: the fewest that hold both sizes). */
  fileSizeParameterLength?: number;
  /** Modes 01/03/06: size of the file once stored (required to encode those modes). */
  fileSizeUncompressed?: number;
  /** Modes 01/03/06: number of bytes TransferData will carry (encode default: fileSizeUncompressed). */
  fileSizeCompressed?: number;
}

/** A decoded 0x38 positive response; which optional fields exist depends on the mode (see the module table). */
export interface RequestFileTransferResponse {
  /** Echo of the request's mode. */
  modeOfOperation: number;
  /** All modes but 02: bytes of maxNumberOfBlockLength (encode default: the fewest that hold it). */
  lengthFormatIdentifier?: number;
  /**
   * All modes but 02: the length of a whole TransferData request (SID + counter + data) the server takes,
   * or sends on upload (ISO 14229-1:2020 15.6.3, as for 0x34): data per block = value - 2.
   */
  maxNumberOfBlockLength?: number;
  /** All modes but 02 (encode default 0x00); 0x00 for ReadDir. */
  dataFormatIdentifier?: number;
  /** Modes 04/05: the value of the 2-byte fileSizeOrDirInfoParameterLength (encode default: the fewest bytes). */
  fileSizeOrDirInfoParameterLength?: number;
  /** Modes 04/05: the file's uncompressed size (04) or the length of the directory information (05). */
  fileSizeUncompressedOrDirInfoLength?: number;
  /** Mode 04: the number of bytes TransferData will carry. */
  fileSizeCompressed?: number;
  /** Mode 06: the byte position at which the resumed download continues (8 bytes on the wire). */
  filePosition?: number;
}

const NAME = 'RequestFileTransfer';
const FILE_POSITION_LENGTH = 8;

/** Fewest bytes (at least 1) that hold `v`. */
function bytesFor(v: number): number {
  let n = 1;
  while (v >= 2 ** (8 * n)) n++;
  return n;
}

function checkValue(field: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) {
    throw new InvalidArgumentError(`${NAME}: ${field} must be a non-negative integer up to 2^53-1, got ${String(v)}`, { field });
  }
  return v;
}

function checkLength(field: string, n: unknown, max: number): number {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > max) {
    throw new InvalidArgumentError(`${NAME}: ${field} must be 1..${max}, got ${String(n)}`, { field });
  }
  return n;
}

/** Writes `v` big endian in `n` bytes (any n; leading zero bytes as needed). */
function writeUintN(w: ByteWriter, v: number, n: number, field: string): void {
  if (bytesFor(v) > n) throw new InvalidArgumentError(`${NAME}: ${field} ${v} does not fit in ${n} byte(s)`, { field });
  const out = new Uint8Array(n);
  let x = v;
  for (let i = n - 1; i >= 0 && x > 0; i--) {
    out[i] = x % 256;
    x = Math.floor(x / 256);
  }
  w.bytes(out);
}

/**
 * Reads an unsigned big-endian integer of `n` bytes (any n). Throws `tooLarge(field)` when the value
 * exceeds 2^53-1, or DecodeError when the message ends early.
 */
function readUintN(r: ByteReader, n: number, field: string, tooLarge: (field: string) => Error): number {
  const bytes = r.bytes(n, field);
  let v = 0;
  for (const b of bytes) {
    v = v * 256 + b;
    if (v > Number.MAX_SAFE_INTEGER) throw tooLarge(field);
  }
  return v;
}

function encodePath(path: unknown): Uint8Array {
  if (typeof path !== 'string') throw new InvalidArgumentError(`${NAME}: filePathAndName must be a string`, { field: 'filePathAndName' });
  if (path.length > 0xffff) {
    throw new InvalidArgumentError(`${NAME}: filePathAndName is ${path.length} characters, at most 65535 fit`, { field: 'filePathAndName' });
  }
  const out = new Uint8Array(path.length);
  for (let i = 0; i < path.length; i++) {
    const c = path.charCodeAt(i);
    if (c > 0xff) {
      throw new InvalidArgumentError(`${NAME}: filePathAndName character ${i + 1} (U+${c.toString(16).toUpperCase()}) is not one byte; use ASCII`, {
        field: 'filePathAndName',
      });
    }
    out[i] = c;
  }
  return out;
}

function decodePath(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return s;
}

function checkAbsent(mode: number, obj: object, fields: readonly string[]): void {
  const record = obj as Record<string, unknown>;
  for (const f of fields) {
    if (record[f] !== undefined) {
      throw new InvalidArgumentError(`${NAME}: ${f} is not part of a ${modeOfOperationName(mode)} message; leave it out`, { field: f });
    }
  }
}

function checkMode(mode: unknown): number {
  if (typeof mode !== 'number' || !isKnownModeOfOperation(mode)) {
    throw new InvalidArgumentError(`${NAME}: modeOfOperation must be 0x01..0x06 (AddFile .. ResumeFile), got ${String(mode)}`, {
      field: 'modeOfOperation',
    });
  }
  return mode;
}

function encodeRequest(req: RequestFileTransferRequest): Uint8Array {
  const mode = checkMode(req.modeOfOperation);
  const path = encodePath(req.filePathAndName);
  const w = new ByteWriter(16 + path.length).u8(SID.RequestFileTransfer).u8(mode).u16(path.length).bytes(path);
  if (requestHasDataFormatIdentifier(mode)) w.u8(req.dataFormatIdentifier ?? 0x00);
  else checkAbsent(mode, req, ['dataFormatIdentifier']);
  if (requestHasFileSize(mode)) {
    const uncompressed = checkValue('fileSizeUncompressed', req.fileSizeUncompressed);
    const compressed = checkValue('fileSizeCompressed', req.fileSizeCompressed ?? uncompressed);
    const n =
      req.fileSizeParameterLength === undefined
        ? bytesFor(Math.max(uncompressed, compressed))
        : checkLength('fileSizeParameterLength', req.fileSizeParameterLength, 0xff);
    w.u8(n);
    writeUintN(w, uncompressed, n, 'fileSizeUncompressed');
    writeUintN(w, compressed, n, 'fileSizeCompressed');
  } else {
    checkAbsent(mode, req, ['fileSizeParameterLength', 'fileSizeUncompressed', 'fileSizeCompressed']);
  }
  return w.finish();
}

function decodeRequest(bytes: Uint8Array): RequestFileTransferRequest {
  // ISO 14229-1:2020 15.6.4 — the length must match modeOfOperation and the length fields exactly, else 0x13.
  return decodeRequestFrame(SID.RequestFileTransfer, NAME, bytes, (r) => {
    const mode = r.u8('modeOfOperation');
    // ISO 14229-1:2020 15.6.4 NRC 0x31 — modeOfOperation not supported (its layout is unknown, too).
    if (!isKnownModeOfOperation(mode)) {
      throw new RequestFormatError(`${NAME}: modeOfOperation 0x${hexByte(mode)} is reserved; use 0x01..0x06 (NRC 0x31)`, NRC.requestOutOfRange, {
        modeOfOperation: mode,
      });
    }
    const pathLength = r.u16('filePathAndNameLength');
    const req: RequestFileTransferRequest = { modeOfOperation: mode, filePathAndName: decodePath(r.bytes(pathLength, 'filePathAndName')) };
    if (requestHasDataFormatIdentifier(mode)) req.dataFormatIdentifier = r.u8('dataFormatIdentifier');
    if (requestHasFileSize(mode)) {
      const n = r.u8('fileSizeParameterLength');
      if (n === 0) throw new RequestFormatError(`${NAME}: fileSizeParameterLength is 0, so no file size follows (NRC 0x13)`);
      // ISO 14229-1:2020 15.6.4 NRC 0x70 — a size no file area can take (beyond 2^53-1 bytes).
      const tooLarge = (field: string): Error =>
        new RequestFormatError(`${NAME}: ${field} is larger than 2^53-1 bytes (NRC 0x70)`, NRC.uploadDownloadNotAccepted, { field });
      req.fileSizeParameterLength = n;
      req.fileSizeUncompressed = readUintN(r, n, 'fileSizeUnCompressed', tooLarge);
      req.fileSizeCompressed = readUintN(r, n, 'fileSizeCompressed', tooLarge);
    }
    return req;
  });
}

/** Modes whose response carries lengthFormatIdentifier, maxNumberOfBlockLength and dataFormatIdentifier. */
function responseHasBlockLength(mode: number): boolean {
  return mode !== MODE_OF_OPERATION.deleteFile;
}

/** Modes whose response carries fileSizeOrDirInfoParameterLength and fileSizeUncompressedOrDirInfoLength. */
function responseHasSizeOrDirInfo(mode: number): boolean {
  return mode === MODE_OF_OPERATION.readFile || mode === MODE_OF_OPERATION.readDir;
}

function encodeResponse(res: RequestFileTransferResponse): Uint8Array {
  const mode = checkMode(res.modeOfOperation);
  const w = new ByteWriter(32).u8(SID.RequestFileTransfer + 0x40).u8(mode);
  if (responseHasBlockLength(mode)) {
    const max = checkValue('maxNumberOfBlockLength', res.maxNumberOfBlockLength);
    const lfi = res.lengthFormatIdentifier === undefined ? bytesFor(max) : checkLength('lengthFormatIdentifier', res.lengthFormatIdentifier, 0xff);
    w.u8(lfi);
    writeUintN(w, max, lfi, 'maxNumberOfBlockLength');
    const dfi = res.dataFormatIdentifier ?? 0x00;
    // ISO 14229-1:2020 15.6.3 — for ReadDir the dataFormatIdentifier shall be 0x00.
    if (mode === MODE_OF_OPERATION.readDir && dfi !== 0x00) {
      throw new InvalidArgumentError(`${NAME}: a ReadDir response has dataFormatIdentifier 0x00, got 0x${hexByte(dfi)}`, {
        field: 'dataFormatIdentifier',
      });
    }
    w.u8(dfi);
  } else {
    checkAbsent(mode, res, ['lengthFormatIdentifier', 'maxNumberOfBlockLength', 'dataFormatIdentifier']);
  }
  if (responseHasSizeOrDirInfo(mode)) {
    const size = checkValue('fileSizeUncompressedOrDirInfoLength', res.fileSizeUncompressedOrDirInfoLength);
    const compressed = mode === MODE_OF_OPERATION.readFile ? checkValue('fileSizeCompressed', res.fileSizeCompressed ?? size) : 0;
    if (mode !== MODE_OF_OPERATION.readFile) checkAbsent(mode, res, ['fileSizeCompressed']);
    const n =
      res.fileSizeOrDirInfoParameterLength === undefined
        ? bytesFor(Math.max(size, compressed))
        : checkLength('fileSizeOrDirInfoParameterLength', res.fileSizeOrDirInfoParameterLength, 0xffff);
    w.u16(n);
    writeUintN(w, size, n, 'fileSizeUncompressedOrDirInfoLength');
    if (mode === MODE_OF_OPERATION.readFile) writeUintN(w, compressed, n, 'fileSizeCompressed');
  } else {
    checkAbsent(mode, res, ['fileSizeOrDirInfoParameterLength', 'fileSizeUncompressedOrDirInfoLength', 'fileSizeCompressed']);
  }
  if (mode === MODE_OF_OPERATION.resumeFile) writeUintN(w, checkValue('filePosition', res.filePosition), FILE_POSITION_LENGTH, 'filePosition');
  else checkAbsent(mode, res, ['filePosition']);
  return w.finish();
}

function decodeResponse(bytes: Uint8Array): RequestFileTransferResponse {
  return decodeResponseFrame(SID.RequestFileTransfer, NAME, bytes, (r) => {
    const mode = r.u8('modeOfOperation');
    if (!isKnownModeOfOperation(mode)) {
      throw new DecodeError(`${NAME} response: modeOfOperation 0x${hexByte(mode)} is reserved (0x01..0x06 exist)`, { modeOfOperation: mode });
    }
    const tooLarge = (field: string): Error => new DecodeError(`${NAME} response: ${field} is larger than udskit handles (2^53-1)`, { field });
    const res: RequestFileTransferResponse = { modeOfOperation: mode };
    if (responseHasBlockLength(mode)) {
      const lfi = r.u8('lengthFormatIdentifier');
      if (lfi === 0) throw new DecodeError(`${NAME} response: lengthFormatIdentifier 0 leaves no maxNumberOfBlockLength`);
      res.lengthFormatIdentifier = lfi;
      res.maxNumberOfBlockLength = readUintN(r, lfi, 'maxNumberOfBlockLength', tooLarge);
      res.dataFormatIdentifier = r.u8('dataFormatIdentifier');
      // ISO 14229-1:2020 15.6.3 — ReadDir: dataFormatIdentifier shall be 0x00.
      if (mode === MODE_OF_OPERATION.readDir && res.dataFormatIdentifier !== 0) {
        throw new DecodeError(`${NAME} response: ReadDir dataFormatIdentifier must be 0x00, got 0x${hexByte(res.dataFormatIdentifier)}`);
      }
    }
    if (responseHasSizeOrDirInfo(mode)) {
      const n = r.u16('fileSizeOrDirInfoParameterLength');
      if (n === 0) throw new DecodeError(`${NAME} response: fileSizeOrDirInfoParameterLength 0 leaves no size`);
      res.fileSizeOrDirInfoParameterLength = n;
      res.fileSizeUncompressedOrDirInfoLength = readUintN(r, n, 'fileSizeUncompressedOrDirInfoLength', tooLarge);
      if (mode === MODE_OF_OPERATION.readFile) res.fileSizeCompressed = readUintN(r, n, 'fileSizeCompressed', tooLarge);
    }
    if (mode === MODE_OF_OPERATION.resumeFile) res.filePosition = readUintN(r, FILE_POSITION_LENGTH, 'filePosition', tooLarge);
    return res;
  });
}

/** Codec of RequestFileTransfer (0x38). modeOfOperation is a parameter, not a sub-function (no SPRMIB). */
export const requestFileTransfer: ServiceCodec<RequestFileTransferRequest, RequestFileTransferResponse> = {
  sid: SID.RequestFileTransfer,
  name: NAME,
  hasSubFunction: false,
  // SID + modeOfOperation + filePathAndNameLength(2).
  minRequestLength: 4,
  encodeRequest,
  decodeRequest,
  encodeResponse,
  decodeResponse,
};
