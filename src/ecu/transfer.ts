/**
 * The download / upload state of one ECU: RequestDownload (34), RequestUpload (35), TransferData (36)
 * and RequestTransferExit (37), following spec/uds.md "Transfer services in detail" and
 * ISO 14229-1:2020 clause 15. Session and security were checked by the service table already.
 */
import { sleep, type Clock } from '../core/clock.js';
import { crc32 } from '../core/crc.js';
import { hexByte, hexNum } from '../core/hex.js';
import { NRC } from '../uds/codec/nrc.js';
import { NrcError } from '../uds/server/nrc-error.js';
import type { EcuConfig, MemoryRegionConfig } from './config.js';
import type { MemoryMap } from './memory-map.js';
import type { DownloadedBlock, ProgrammingLog } from './programming-log.js';
import type { SparseMemory } from './sparse-memory.js';

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
  /** Memory region name. */
  readonly region: string;
  /** True once 37 ended it. */
  readonly done: boolean;
}

/** What 34/35 need to know about the request. */
export interface TransferRequest {
  readonly dataFormatIdentifier: number;
  readonly memoryAddress: number;
  readonly memorySize: number;
}

interface ActiveTransfer {
  readonly direction: 'download' | 'upload';
  readonly region: MemoryRegionConfig;
  readonly address: number;
  readonly size: number;
  readonly maxNumberOfBlockLength: number;
  readonly maxData: number;
  readonly block: DownloadedBlock | undefined;
  transferred: number;
  blocks: number;
  lastCounter: number;
  lastUpload: Uint8Array | undefined;
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
}

/** 34/35/36/37 state machine: idle, or one active transfer. */
export class TransferManager {
  private active: ActiveTransfer | undefined;

  constructor(private readonly options: TransferManagerOptions) {}

  /** The active transfer's progress, if one is active. */
  get progress(): TransferProgress | undefined {
    return this.active ? this.describe(this.active, false) : undefined;
  }

  /** 34: checks and starts a download. Returns maxNumberOfBlockLength for the 74 response. */
  requestDownload(req: TransferRequest, maxRequestLength: number): number {
    return this.start('download', req, maxRequestLength);
  }

  /** 35: checks and starts an upload. Returns maxNumberOfBlockLength for the 75 response. */
  requestUpload(req: TransferRequest, maxResponseLength: number): number {
    return this.start('upload', req, maxResponseLength);
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

  /** 37: ends the transfer. Returns the CRC32 of the transferred range. */
  requestTransferExit(): number {
    const t = this.active;
    // ISO 14229-1:2020 15.5.4 NRC 0x24 — no transfer active.
    if (!t) throw new NrcError(NRC.requestSequenceError, 'RequestTransferExit without an active transfer');
    // spec/uds.md — 37 before every announced byte was transferred -> 0x24.
    if (t.transferred < t.size) {
      throw new NrcError(NRC.requestSequenceError, `${t.transferred} of ${t.size} bytes transferred; send the rest first`);
    }
    let crc = 0;
    this.options.memory.scan(t.address, t.size, (bytes) => {
      crc = crc32(bytes, crc);
    });
    if (t.block) {
      t.block.completed = true;
      t.block.crc = crc;
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
    // spec/uds.md — a transfer is already active: 0x22 or 0x70 as configured (ISO 14229-1:2020 15.2.4).
    if (this.active) throw new NrcError(cfg.busyNrc, `a ${this.active.direction} is already active; finish it with 37`);
    // ISO 14229-1:2020 15.2.4 NRC 0x70 — the download target (flash) is not erased.
    if (direction === 'download' && region.kind !== 'ram' && !this.options.memory.isErased(req.memoryAddress, req.memorySize, region.erasedValue)) {
      throw new NrcError(NRC.uploadDownloadNotAccepted, `${hexNum(req.memoryAddress, 8)} + ${req.memorySize} is not erased; erase it first (31 01 FF00)`);
    }
    // maxNumberOfBlockLength counts SID + counter (ISO 14229-1:2020 15.2.3); capped by what the link carries.
    const asData = cfg.acceptMaxBlockLengthAsData;
    const reported = Math.max(3, Math.min(cfg.maxNumberOfBlockLength, asData ? linkMax - 2 : linkMax));
    const block = direction === 'download' ? this.options.log.startBlock(req.memoryAddress, req.memorySize, region.name) : undefined;
    this.active = {
      direction,
      region,
      address: req.memoryAddress,
      size: req.memorySize,
      maxNumberOfBlockLength: reported,
      maxData: asData ? reported : reported - 2,
      block,
      transferred: 0,
      blocks: 0,
      lastCounter: 0,
      lastUpload: undefined,
    };
    this.report(this.active, false);
    return reported;
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
    const at = t.address + t.transferred;
    // ISO 14229-1:2020 15.4.4 NRC 0x72 — programming flash that is not erased fails.
    if (t.region.kind !== 'ram' && !this.options.memory.isErased(at, data.length, t.region.erasedValue)) {
      throw new NrcError(NRC.generalProgrammingFailure, `flash at ${hexNum(at, 8)} is not erased`);
    }
    const ms = (t.region.writeTimePerKiBMs * data.length) / 1024;
    if (ms > 0) await sleep(this.options.clock, ms);
    if (this.active !== t) throw new NrcError(NRC.conditionsNotCorrect, 'the transfer was aborted while writing');
    this.options.memory.write(at, data);
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
    const data = this.options.memory.read(t.address + t.transferred, n);
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
      region: t.region.name,
      done,
    };
  }
}
