/**
 * The download / upload state of one ECU: RequestDownload (34), RequestUpload (35), RequestFileTransfer
 * (38, the file side in `file-transfer.ts`), TransferData (36) and RequestTransferExit (37), following
 * spec/uds.md "Transfer services in detail" and ISO 14229-1:2020 clause 15. A memory transfer and a file
 * transfer share the counter, block length, repeat and 37 rules; only where the bytes go differs.
 * Session and security were checked by the service table already.
 */
import { sleep, type Clock } from '../core/clock.js';
import { crc32 } from '../core/crc.js';
import { hexByte, hexNum } from '../core/hex.js';
import { NRC } from '../uds/codec/nrc.js';
import { transferData as transferDataCodec, transferDataResponseWithRoom } from '../uds/codec/0x36-transfer-data.js';
import { NrcError } from '../uds/server/nrc-error.js';
import type { EcuConfig, MemoryRegionConfig } from './config.js';
import { isProgrammableFlash } from './config-memory.js';
import { writeTimeMs, type TimingProfile } from './config-timing.js';
import type { MemoryMap } from './memory-map.js';
import type { DownloadedBlock, ProgrammingLog } from './programming-log.js';
import type { SparseMemory } from './sparse-memory.js';
import { RangeCrc } from './transfer-crc.js';

/** Progress of the active (or just finished) transfer. */
export interface TransferProgress {
  /** `download` (34, tester -> ECU) or `upload` (35, ECU -> tester). */
  readonly direction: 'download' | 'upload';
  /** Start address. */
  readonly address: number;
  /** Announced size in bytes. */
  readonly size: number;
  /** Bytes transferred so far. */
  readonly transferred: number;
  /** Blocks accepted so far (repeats not counted). */
  readonly blocks: number;
  /** The counter of the last accepted block (0 before the first). */
  readonly lastCounter: number;
  /** Value reported in 74/75. */
  readonly maxNumberOfBlockLength: number;
  /** Memory region name (`files` for a file transfer). */
  readonly region: string;
  /** True once 37 ended it. */
  readonly done: boolean;
  /** For a file transfer (0x38): the path and the modeOfOperation. `address` is then the file offset. */
  readonly file?: { readonly path: string; readonly modeOfOperation: number };
}

/**
 * The data side of a file transfer started by RequestFileTransfer (0x38), ISO 14229-1:2020 15.6:
 * AddFile / ReplaceFile / ResumeFile download (`write`), ReadFile / ReadDir upload (`content`).
 */
export interface FileTransferEndpoint {
  /** The normalised path, for progress events. */
  readonly path: string;
  /** The request's modeOfOperation. */
  readonly modeOfOperation: number;
  /** Offset in the file of the first byte this transfer carries (the filePosition of a ResumeFile). */
  readonly offset: number;
  /** Download: stores one block after the bytes already stored. */
  readonly write?: (data: Uint8Array) => Promise<void>;
  /** Upload: the bytes the 36 responses carry. */
  readonly content?: Uint8Array;
  /** 37: completes the transfer (a download lands atomically) and returns the CRC32 of the whole file or listing. */
  readonly finish: () => Promise<number>;
}

/** What 34/35 need to know about the request. */
export interface TransferRequest {
  readonly dataFormatIdentifier: number;
  readonly memoryAddress: number;
  readonly memorySize: number;
}

interface ActiveTransfer {
  readonly direction: 'download' | 'upload';
  /** Memory region (34/35) or file endpoint (38). */
  readonly target: { readonly kind: 'memory'; readonly region: MemoryRegionConfig } | { readonly kind: 'file'; readonly endpoint: FileTransferEndpoint };
  readonly address: number;
  readonly size: number;
  readonly maxNumberOfBlockLength: number;
  readonly maxData: number;
  readonly block: DownloadedBlock | undefined;
  transferred: number;
  blocks: number;
  lastCounter: number;
  lastUpload: Uint8Array | undefined;
  /** A memory transfer's 37 CRC, kept up to date block by block (transfer-crc.ts). */
  readonly crc: RangeCrc | undefined;
}

/** Dependencies of a {@link TransferManager}. */
export interface TransferManagerOptions {
  readonly config: EcuConfig['transfer'];
  readonly memory: SparseMemory;
  readonly map: MemoryMap;
  readonly log: ProgrammingLog;
  readonly clock: Clock;
  /** Called after every state change. */
  readonly onProgress?: (p: TransferProgress) => void;
  /** Whether `onProgress` is wanted now (default: always); lets the owner skip it while nobody listens. */
  readonly wantsProgress?: () => boolean;
  /** The bootloader's checks and bookkeeping of downloads (boot-manager.ts); default none. */
  readonly boot?: TransferBootHooks;
  /** Fills in the programming time a region does not give (config-timing.ts); default `instant`. */
  readonly timingProfile?: TimingProfile;
}

/** What the bootloader checks and learns about downloads (implemented by BootManager). */
export interface TransferBootHooks {
  /** 34: throws NrcError 0x31 when the range is protected (boot region, active bank). */
  assertProgrammable(region: MemoryRegionConfig, address: number, size: number): void;
  /** 34: throws NrcError 0x70 when flash cannot be programmed yet (flash driver missing). */
  assertDriverForDownload(region: MemoryRegionConfig): void;
  /** A 34 was accepted. */
  blockStarted(block: DownloadedBlock): void;
  /** A 37 completed the block. */
  blockCompleted(block: DownloadedBlock): void;
}

/** 34/35/36/37 state machine: idle, or one active transfer. */
export class TransferManager {
  private active: ActiveTransfer | undefined;
  /** The 76 response the last upload block was read into (see transferDataResponse). */
  private lastUploadFrame: Uint8Array | undefined;

  constructor(private readonly options: TransferManagerOptions) {}

  /** The active transfer's progress, if one is active. */
  get progress(): TransferProgress | undefined {
    return this.active ? this.describe(this.active, false) : undefined;
  }

  /** Throws the configured busy NRC (0x22 / 0x70) when a transfer is active (spec/uds.md, ISO 14229-1:2020 15.2.4 / 15.6.4). */
  assertIdle(): void {
    if (this.active) throw new NrcError(this.options.config.busyNrc, `a ${this.describeKind(this.active)} is already active; finish it with 37`);
  }

  /** The endpoint of the active file transfer, if the active transfer is one. */
  get activeFile(): FileTransferEndpoint | undefined {
    const t = this.active;
    return t?.target.kind === 'file' ? t.target.endpoint : undefined;
  }

  /**
   * 38: starts a file transfer of `size` bytes (the part of the file this transfer carries) with the same
   * block rules as 34/35. `maxBlockLength` is the profile's value; it is capped by `linkMax` like 34/35.
   * Returns maxNumberOfBlockLength for the 78 response.
   */
  startFileTransfer(direction: 'download' | 'upload', size: number, endpoint: FileTransferEndpoint, maxBlockLength: number, linkMax: number): number {
    this.assertIdle();
    const { reported, maxData } = this.blockLength(maxBlockLength, linkMax);
    this.active = {
      direction,
      target: { kind: 'file', endpoint },
      address: endpoint.offset,
      size,
      maxNumberOfBlockLength: reported,
      maxData,
      block: undefined,
      transferred: 0,
      blocks: 0,
      lastCounter: 0,
      lastUpload: undefined,
      crc: undefined,
    };
    this.report(this.active, false);
    return reported;
  }

  /** 34: checks and starts a download. Returns maxNumberOfBlockLength for the 74 response. */
  requestDownload(req: TransferRequest, maxRequestLength: number): number {
    return this.start('download', req, maxRequestLength);
  }

  /** 35: checks and starts an upload. Returns maxNumberOfBlockLength for the 75 response. */
  requestUpload(req: TransferRequest, maxResponseLength: number): number {
    return this.start('upload', req, maxResponseLength);
  }

  /**
   * 36 as the whole positive response `76 counter [data]` (what the 0x36 handler sends): an upload block
   * is read from memory straight into its response, handed out without another copy.
   */
  async transferDataResponse(counter: number, data: Uint8Array): Promise<Uint8Array> {
    const out = await this.transferData(counter, data);
    const f = this.lastUploadFrame;
    if (f && out.length === f.length - 2 && out.buffer === f.buffer && out.byteOffset === f.byteOffset + 2 && f[1] === counter) return f;
    return transferDataCodec.encodeResponse({ blockSequenceCounter: counter, data: out });
  }

  /** 36: one block. Returns the data of the 76 response (empty on download). */
  async transferData(counter: number, data: Uint8Array): Promise<Uint8Array> {
    const t = this.active;
    // ISO 14229-1:2020 15.4.4 NRC 0x24 — no 34/35 active.
    if (!t) throw new NrcError(NRC.requestSequenceError, 'TransferData without an active RequestDownload/RequestUpload');
    // spec/uds.md — the counter of the previous block again: the tester lost our response; answer
    // positively without writing again (ISO 14229-1:2020 15.4.2, repeated request after a lost response).
    if (t.blocks > 0 && counter === t.lastCounter) {
      return t.direction === 'upload' ? (t.lastUpload ?? new Uint8Array(0)) : new Uint8Array(0);
    }
    // ISO 14229-1:2020 15.4.2 — the counter starts at 01 and wraps FF -> 00.
    const expected = (t.lastCounter + 1) & 0xff;
    if (counter !== expected) {
      // ISO 14229-1:2020 15.4.4 NRC 0x73 — wrong blockSequenceCounter.
      throw new NrcError(NRC.wrongBlockSequenceCounter, `expected counter 0x${hexByte(expected)}, got 0x${hexByte(counter)}`);
    }
    return t.direction === 'download' ? this.downloadBlock(t, counter, data) : this.uploadBlock(t, counter);
  }

  /** 37: ends the transfer. Returns the CRC32 of the transferred range (of the whole file for a file transfer). */
  async requestTransferExit(): Promise<number> {
    const t = this.active;
    // ISO 14229-1:2020 15.5.4 NRC 0x24 — no transfer active.
    if (!t) throw new NrcError(NRC.requestSequenceError, 'RequestTransferExit without an active transfer');
    // spec/uds.md — 37 before every announced byte was transferred -> 0x24.
    if (t.transferred < t.size) {
      throw new NrcError(NRC.requestSequenceError, `${t.transferred} of ${t.size} bytes transferred; send the rest first`);
    }
    if (t.target.kind === 'file') {
      this.active = undefined;
      const crc = await t.target.endpoint.finish();
      this.report(t, true);
      return crc;
    }
    let crc = 0;
    if (t.crc) crc = t.crc.finish();
    else {
      this.options.memory.scan(t.address, t.size, (bytes) => {
        crc = crc32(bytes, crc);
      });
    }
    if (t.block) {
      t.block.completed = true;
      t.block.crc = crc;
      this.options.boot?.blockCompleted(t.block);
    }
    this.active = undefined;
    this.report(t, true);
    return crc;
  }

  /** Drops the active transfer (session change, reset). */
  abort(): void {
    this.active = undefined;
  }

  private start(direction: 'download' | 'upload', req: TransferRequest, linkMax: number): number {
    const cfg = this.options.config;
    // ISO 14229-1:2020 15.2.4 / 15.3.4 NRC 0x31 — dataFormatIdentifier not supported.
    if (!cfg.dataFormatIdentifiers.includes(req.dataFormatIdentifier)) {
      throw new NrcError(NRC.requestOutOfRange, `dataFormatIdentifier 0x${hexByte(req.dataFormatIdentifier)} is not supported`);
    }
    // ISO 14229-1:2020 15.2.4 / 15.3.4 NRC 0x31 — memoryAddress / memorySize outside what may be transferred.
    const region = this.options.map.regionFor(req.memoryAddress, req.memorySize);
    if (!region || !(direction === 'download' ? region.download : region.upload)) {
      throw new NrcError(
        NRC.requestOutOfRange,
        `${hexNum(req.memoryAddress, 8)} + ${req.memorySize} is not inside a${direction === 'download' ? ' downloadable' : 'n uploadable'} region`,
      );
    }
    // spec/bootloader-and-flashing.md — protected memory (boot, the active bank) is never downloaded into: 0x31.
    if (direction === 'download') this.options.boot?.assertProgrammable(region, req.memoryAddress, req.memorySize);
    // spec/uds.md — a transfer is already active: 0x22 or 0x70 as configured (ISO 14229-1:2020 15.2.4).
    this.assertIdle();
    if (direction === 'download' && isProgrammableFlash(region.kind)) {
      // spec/uds.md — flash needs the flash driver when the ECU needs one, else 0x70 (ISO 14229-1:2020 15.2.4).
      this.options.boot?.assertDriverForDownload(region);
      // ISO 14229-1:2020 15.2.4 NRC 0x70 — the download target (flash) is not erased.
      if (!this.options.memory.isErased(req.memoryAddress, req.memorySize, region.erasedValue)) {
        throw new NrcError(NRC.uploadDownloadNotAccepted, `${hexNum(req.memoryAddress, 8)} + ${req.memorySize} is not erased; erase it first (31 01 FF00)`);
      }
    }
    const { reported, maxData } = this.blockLength(cfg.maxNumberOfBlockLength, linkMax);
    const block = direction === 'download' ? this.options.log.startBlock(req.memoryAddress, req.memorySize, region.name) : undefined;
    if (block) this.options.boot?.blockStarted(block);
    this.active = {
      direction,
      target: { kind: 'memory', region },
      address: req.memoryAddress,
      size: req.memorySize,
      maxNumberOfBlockLength: reported,
      maxData,
      block,
      transferred: 0,
      blocks: 0,
      lastCounter: 0,
      lastUpload: undefined,
      crc: new RangeCrc(this.options.memory, req.memoryAddress, req.memorySize),
    };
    this.report(this.active, false);
    return reported;
  }

  /**
   * maxNumberOfBlockLength counts SID + counter (ISO 14229-1:2020 15.2.3 / 15.6.3), capped by what the link
   * carries; `maxData` is the data per block (the whole value with `acceptMaxBlockLengthAsData`).
   */
  private blockLength(configured: number, linkMax: number): { reported: number; maxData: number } {
    const asData = this.options.config.acceptMaxBlockLengthAsData;
    const reported = Math.max(3, Math.min(configured, asData ? linkMax - 2 : linkMax));
    return { reported, maxData: asData ? reported : reported - 2 };
  }

  private describeKind(t: ActiveTransfer): string {
    return t.target.kind === 'file' ? `file ${t.direction} (${t.target.endpoint.path})` : t.direction;
  }

  private async downloadBlock(t: ActiveTransfer, counter: number, data: Uint8Array): Promise<Uint8Array> {
    // ISO 14229-1:2020 15.4.4 NRC 0x13 — a download block carries data.
    if (data.length === 0) throw new NrcError(NRC.incorrectMessageLengthOrInvalidFormat, 'download block without data');
    // spec/uds.md — longer than maxNumberOfBlockLength allows, or more than announced: 0x31 or 0x71.
    if (data.length > t.maxData) {
      throw new NrcError(this.options.config.overflowNrc, `block of ${data.length} data bytes exceeds ${t.maxData}`);
    }
    if (t.transferred + data.length > t.size) {
      throw new NrcError(this.options.config.overflowNrc, `block would exceed the announced ${t.size} bytes`);
    }
    if (t.target.kind === 'file') {
      const write = t.target.endpoint.write;
      if (!write) throw new NrcError(NRC.requestSequenceError, 'the active file transfer is an upload');
      await write(data);
    } else {
      const region = t.target.region;
      const at = t.address + t.transferred;
      if (isProgrammableFlash(region.kind)) {
        // spec/bootloader-and-flashing.md — flash is programmed in units of programmingGranularity bytes: a
        // block that does not start and end on one fails (ISO 14229-1:2020 15.4.4 NRC 0x72 generalProgrammingFailure).
        const g = region.programmingGranularity;
        if (at % g !== 0 || (at + data.length) % g !== 0) {
          throw new NrcError(
            NRC.generalProgrammingFailure,
            `block ${hexNum(at, 8)} + ${data.length} is not aligned to the programming granularity of ${g} bytes of region "${region.name}"`,
          );
        }
        // ISO 14229-1:2020 15.4.4 NRC 0x72 — programming flash that is not erased fails.
        if (!this.options.memory.isErased(at, data.length, region.erasedValue)) {
          throw new NrcError(NRC.generalProgrammingFailure, `flash at ${hexNum(at, 8)} is not erased`);
        }
      }
      const ms = writeTimeMs(this.options.timingProfile ?? 'instant', region, data.length);
      if (ms > 0) await sleep(this.options.clock, ms);
      if (this.active !== t) throw new NrcError(NRC.conditionsNotCorrect, 'the transfer was aborted while writing');
      this.options.memory.write(at, data);
      t.crc?.written(at, data.length);
    }
    t.transferred += data.length;
    t.blocks++;
    t.lastCounter = counter;
    this.report(t, false);
    return new Uint8Array(0);
  }

  private uploadBlock(t: ActiveTransfer, counter: number): Uint8Array {
    // spec/uds.md — a 36 after the whole range was sent -> 0x31 (ISO 14229-1:2020 15.4.4).
    if (t.transferred >= t.size) throw new NrcError(NRC.requestOutOfRange, 'every byte of the upload was sent; finish with 37');
    const n = Math.min(t.maxData, t.size - t.transferred);
    const content = t.target.kind === 'file' ? t.target.endpoint.content : undefined;
    // Read straight into the 76 response (transferDataResponse sends it as it is).
    const frame = transferDataResponseWithRoom(counter, n);
    const data = frame.subarray(2);
    if (content) data.set(content.subarray(t.transferred, t.transferred + n));
    else {
      this.options.memory.readInto(t.address + t.transferred, data);
      t.crc?.read(t.address + t.transferred, n);
    }
    this.lastUploadFrame = frame;
    t.transferred += n;
    t.blocks++;
    t.lastCounter = counter;
    t.lastUpload = data;
    this.report(t, false);
    return data;
  }

  private report(t: ActiveTransfer, done: boolean): void {
    const o = this.options;
    if (o.onProgress && (o.wantsProgress?.() ?? true)) o.onProgress(this.describe(t, done));
  }

  private describe(t: ActiveTransfer, done: boolean): TransferProgress {
    return {
      direction: t.direction,
      address: t.address,
      size: t.size,
      transferred: t.transferred,
      blocks: t.blocks,
      lastCounter: t.lastCounter,
      maxNumberOfBlockLength: t.maxNumberOfBlockLength,
      region: t.target.kind === 'file' ? 'files' : t.target.region.name,
      done,
      ...(t.target.kind === 'file' ? { file: { path: t.target.endpoint.path, modeOfOperation: t.target.endpoint.modeOfOperation } } : {}),
    };
  }
}
