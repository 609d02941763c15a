/**
 * The ECU's two programs, application and bootloader (spec/bootloader-and-flashing.md "Bootloader
 * behaviour"), and what decides between them:
 *
 * - **mode** (`app` | `boot`): decided at power-on and after every reset. A programming request
 *   (set by 10 02 in the application, kept in RAM that survives a reset but not a power loss) -> boot;
 *   else the app-valid flag (and with `bootloader.appValidation: crc` the CRC32 of every block FF01
 *   verified) -> app; else boot ("forced flashing": the bootloader's default session, 10 02 accepted).
 *   Only profiles with a `bootloader:` section have a boot mode; the others always run their app.
 * - **app-valid flag** (NV key `boot.appValid`, read from the NvStore every time): cleared before an
 *   erase touches application or calibration flash, set only by a successful 31 01 FF01, which also
 *   stores the CRC32 of each verified block (`boot.appBlocks`). Tracked for every ECU.
 * - **flash driver** (RAM): absent / downloaded / checked; `bootloader.flashDriver.required` makes
 *   FF00 answer 0x22 and 34 into flash answer 0x70 until it was downloaded into its RAM region and
 *   confirmed by 31 01 0202. Any reset loses it.
 * - **dual bank** (`bootloader.dualBank`): the tester programs the inactive bank at its own addresses;
 *   the active bank (NV `boot.activeBank`) is protected while its application is valid; a successful
 *   FF01 switches to the bank it verified, so a failed update leaves the old application running.
 */
import { crc32 } from '../core/crc.js';
import type { TypedEmitter } from '../core/events.js';
import { hexNum } from '../core/hex.js';
import type { Logger } from '../core/logger.js';
import { NRC } from '../uds/codec/nrc.js';
import { NrcError } from '../uds/server/nrc-error.js';
import type { EcuConfig, MemoryRegionConfig } from './config.js';
import { isProgrammableFlash } from './config-memory.js';
import type { EcuEvents } from './ecu-events.js';
import type { MemoryMap } from './memory-map.js';
import type { NvStore, NvValue } from './nv-store.js';
import type { EcuMode } from './profile-service-table.js';
import type { DownloadedBlock } from './programming-log.js';
import type { SparseMemory } from './sparse-memory.js';

/** The NV keys the bootloader owns. */
export const BOOT_NV_KEYS = {
  /** boolean: the application may start. */
  appValid: 'boot.appValid',
  /** 0 | 1: the active bank of a dual-bank ECU. */
  activeBank: 'boot.activeBank',
  /** [{ address, size, crc }]: the blocks the last successful FF01 verified, with their CRC32. */
  appBlocks: 'boot.appBlocks',
} as const;

/** Where the flash driver stands (RAM state: a reset makes it `absent`). */
export type FlashDriverState = 'absent' | 'downloaded' | 'checked';

/** Why the ECU runs the program it runs. */
export type ModeChangeReason = 'programming-request' | 'app-valid' | 'app-invalid';

/** What restarts an ECU. */
export type RestartCause = 'power-on' | 'reset' | 'jump';

/** The bootloader's state (SimulatedEcu.bootState). */
export interface BootState {
  /** The program running now. */
  readonly mode: EcuMode;
  /** The app-valid flag in NV. */
  readonly appValid: boolean;
  /** The programming request flag (RAM that survives a reset, lost on power loss); cleared by the bootloader when it starts. */
  readonly programmingRequest: boolean;
  /** The flash driver in RAM. */
  readonly flashDriver: FlashDriverState;
  /** Dual bank only: the bank whose application runs (0 = first of `bootloader.dualBank.banks`). */
  readonly activeBank?: 0 | 1;
}

/** A block FF01 verified, as kept in NV. */
export interface VerifiedBlock {
  readonly address: number;
  readonly size: number;
  readonly crc: number;
}

/** What the boot manager uses of its ECU (EcuRuntime). */
export interface BootHost {
  readonly config: EcuConfig;
  readonly nv: NvStore;
  readonly memory: SparseMemory;
  readonly memoryMap: MemoryMap;
  readonly events: TypedEmitter<EcuEvents>;
  readonly logger: Logger;
}

interface Waiter {
  readonly generation: number;
  readonly resolve: () => void;
  readonly reject: (e: Error) => void;
}

/** Modes, flags and flash driver of one ECU (see the module doc). */
export class BootManager {
  private current: EcuMode | undefined;
  private request = false;
  private driver: FlashDriverState = 'absent';
  private driverBlock: DownloadedBlock | undefined;
  private generation = 0;
  private waiters: Waiter[] = [];

  constructor(private readonly host: BootHost) {}

  /** True when the profile has a `bootloader:` section (the ECU has a boot mode). */
  get hasBootloader(): boolean {
    return this.host.config.bootloader !== undefined;
  }

  /** The program running now (decided at power-on on first use, once NV and flash are loaded, then after each reset). */
  get mode(): EcuMode {
    this.current ??= this.decide().mode;
    return this.current;
  }

  /** The app-valid flag: NV `boot.appValid`, or `bootloader.initialAppValid` (default true) while NV holds none. */
  get appValid(): boolean {
    const v = this.host.nv.get(BOOT_NV_KEYS.appValid);
    return typeof v === 'boolean' ? v : (this.host.config.bootloader?.initialAppValid ?? true);
  }

  /** The programming request flag. */
  get programmingRequest(): boolean {
    return this.request;
  }

  /** The flash driver's state. */
  get flashDriver(): FlashDriverState {
    return this.driver;
  }

  /** Dual bank: the active bank (NV `boot.activeBank`, default 0); undefined without dual bank. */
  get activeBank(): 0 | 1 | undefined {
    if (!this.host.config.bootloader?.dualBank) return undefined;
    return this.host.nv.get(BOOT_NV_KEYS.activeBank) === 1 ? 1 : 0;
  }

  /** Counts power losses: work that started before one must not finish after it. */
  get powerGeneration(): number {
    return this.generation;
  }

  /** A snapshot of the state. */
  state(): BootState {
    const bank = this.activeBank;
    return {
      mode: this.mode,
      appValid: this.appValid,
      programmingRequest: this.request,
      flashDriver: this.driver,
      ...(bank !== undefined ? { activeBank: bank } : {}),
    };
  }

  /** True when a request for `session` makes the application jump into the bootloader (10 02 in app mode). */
  jumpsFor(session: number): boolean {
    return this.hasBootloader && this.mode === 'app' && session === this.host.config.programming.session;
  }

  /**
   * 10 02 in the application: sets the programming request, lets `restart` reset the ECU (`jump`), and
   * resolves once the bootloader runs; rejects when power was lost before it did.
   */
  jump(restart: () => void): Promise<void> {
    this.request = true;
    this.host.logger.info('programming request: jumping into the bootloader');
    const done = new Promise<void>((resolve, reject) => this.waiters.push({ generation: this.generation, resolve, reject }));
    restart();
    return done;
  }

  /** A restart began: RAM (the flash driver with it) is lost. */
  stopped(): void {
    this.driver = 'absent';
    this.driverBlock = undefined;
  }

  /** Power was lost: the programming request (RAM) with it; a pending jump fails. */
  powerLost(): void {
    this.generation++;
    this.request = false;
    this.stopped();
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w.reject(new NrcError(NRC.conditionsNotCorrect, 'power was lost before the bootloader started'));
  }

  /** The ECU starts after a restart: the bootloader decides which program runs (emits `mode` on a change). */
  start(cause: RestartCause): void {
    const from = this.current;
    const { mode, reason } = this.decide();
    this.current = mode;
    this.host.logger.debug('start', { cause, mode, reason });
    if (from !== undefined && from !== mode) this.host.events.emit('mode', { from, to: mode, reason });
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) {
      if (w.generation === this.generation && mode === 'boot') w.resolve();
      else w.reject(new NrcError(NRC.conditionsNotCorrect, 'the bootloader did not start'));
    }
  }

  /** A download into `block.region` began: a flash driver there is overwritten. */
  blockStarted(block: DownloadedBlock): void {
    if (block.region === this.driverRegion) {
      this.driver = 'absent';
      this.driverBlock = undefined;
    }
  }

  /** A download finished with 37: into the driver's RAM region, it is the flash driver (not yet checked). */
  blockCompleted(block: DownloadedBlock): void {
    if (block.region !== this.driverRegion) return;
    this.driver = 'downloaded';
    this.driverBlock = block;
  }

  /** 31 01 0202 judged `block`: a correct flash driver becomes usable. */
  blockChecked(block: DownloadedBlock, correct: boolean): void {
    if (block === this.driverBlock && correct) this.driver = 'checked';
  }

  /**
   * FF00 / 34 into `region`: NRC 0x31 when the range is protected — a `protected` region (boot), or the
   * active bank while its application is valid (spec/bootloader-and-flashing.md; ISO 14229-1:2020
   * 14.2.4 / 15.2.4 requestOutOfRange).
   */
  assertProgrammable(region: MemoryRegionConfig, address: number, size: number): void {
    if (region.protected) {
      throw new NrcError(NRC.requestOutOfRange, `${hexNum(address, 8)} + ${size} lies in protected region "${region.name}"`);
    }
    const bank = this.bankIndex(region.name);
    if (bank !== undefined && bank === this.activeBank && this.appValid) {
      const other = this.host.config.bootloader?.dualBank?.banks[1 - bank] ?? '';
      throw new NrcError(NRC.requestOutOfRange, `region "${region.name}" is the active bank of the running application; program the inactive bank "${other}"`);
    }
  }

  /** ISO 14229-1:2020 14.2.4 NRC 0x22 — FF00 needs the flash driver downloaded and checked (spec/bootloader-and-flashing.md). */
  assertDriverForErase(): void {
    if (this.driverMissing()) throw new NrcError(NRC.conditionsNotCorrect, this.driverMessage('erasing'));
  }

  /** spec/uds.md — 34 into flash needs the flash driver when the ECU needs one, else 0x70 (ISO 14229-1:2020 15.2.4). */
  assertDriverForDownload(region: MemoryRegionConfig): void {
    if (isProgrammableFlash(region.kind) && this.driverMissing()) throw new NrcError(NRC.uploadDownloadNotAccepted, this.driverMessage('programming'));
  }

  /**
   * An erase of `[address, address + size)` in `region` is about to change flash: the app-valid flag is
   * cleared first (in NV, before any byte changes) unless only the inactive bank is erased, and the
   * verified blocks there are forgotten.
   */
  beforeErase(region: MemoryRegionConfig, address: number, size: number): void {
    if (!isProgrammableFlash(region.kind)) return;
    const bank = this.bankIndex(region.name);
    const inactiveBank = bank !== undefined && bank !== this.activeBank;
    if (!inactiveBank && this.appValid) {
      this.host.nv.set(BOOT_NV_KEYS.appValid, false);
      this.host.logger.info('app-valid flag cleared', { region: region.name });
    }
    const records = this.verifiedBlocks();
    const kept = records.filter((b) => !(b.address < address + size && address < b.address + b.size));
    if (kept.length !== records.length) this.host.nv.set(BOOT_NV_KEYS.appBlocks, toNv(kept));
  }

  /** The bank (0 / 1) `regionName` is, or undefined. */
  bankIndex(regionName: string): 0 | 1 | undefined {
    const banks = this.host.config.bootloader?.dualBank?.banks;
    if (!banks) return undefined;
    if (banks[0] === regionName) return 0;
    return banks[1] === regionName ? 1 : undefined;
  }

  /**
   * A successful FF01 verified `blocks` (flash only): stores their CRC32s, makes their bank active (dual
   * bank) and sets the app-valid flag — in that order, so that a crash in between never leaves a valid
   * flag on unverified content.
   */
  commit(blocks: readonly DownloadedBlock[]): void {
    const fresh: VerifiedBlock[] = blocks.map((b) => ({ address: b.address, size: b.size, crc: b.crc ?? this.crcOf(b.address, b.size) }));
    const kept = this.verifiedBlocks().filter((r) => !fresh.some((f) => f.address < r.address + r.size && r.address < f.address + f.size));
    this.host.nv.set(BOOT_NV_KEYS.appBlocks, toNv([...kept, ...fresh].sort((a, b) => a.address - b.address)));
    const banks = new Set(blocks.map((b) => this.bankIndex(b.region)).filter((x) => x !== undefined));
    const [bank] = [...banks];
    if (bank !== undefined && bank !== this.activeBank) {
      this.host.nv.set(BOOT_NV_KEYS.activeBank, bank);
      this.host.logger.info('active bank switched', { bank });
    }
    this.host.nv.set(BOOT_NV_KEYS.appValid, true);
  }

  /** The blocks the last successful FF01 verified (NV `boot.appBlocks`). */
  verifiedBlocks(): VerifiedBlock[] {
    const v = this.host.nv.get(BOOT_NV_KEYS.appBlocks);
    if (!Array.isArray(v)) return [];
    const out: VerifiedBlock[] = [];
    for (const e of v as readonly NvValue[]) {
      if (e && typeof e === 'object' && !Array.isArray(e)) {
        const { address, size, crc } = e as Record<string, NvValue>;
        if (typeof address === 'number' && typeof size === 'number' && typeof crc === 'number') out.push({ address, size, crc });
      }
    }
    return out;
  }

  /**
   * `bootloader.appValidation: crc` — the CRC32 of every verified block of the running application (the
   * active bank and any region outside the banks) still matches. Scans only those blocks. No record at
   * all (nothing was ever programmed: the factory application) counts as matching.
   */
  appCrcMatches(): boolean {
    const map = this.host.memoryMap;
    const active = this.activeBank;
    for (const b of this.verifiedBlocks()) {
      const region = map.regionAt(b.address);
      const bank = region ? this.bankIndex(region.name) : undefined;
      if (bank !== undefined && bank !== active) continue;
      if (this.crcOf(b.address, b.size) !== b.crc) return false;
    }
    return true;
  }

  /** CRC32 of a memory range, page by page (no copy of the range). */
  private crcOf(address: number, size: number): number {
    let crc = 0;
    this.host.memory.scan(address, size, (bytes) => {
      crc = crc32(bytes, crc);
    });
    return crc;
  }

  private decide(): { mode: EcuMode; reason: ModeChangeReason } {
    const boot = this.host.config.bootloader;
    if (!boot) return { mode: 'app', reason: 'app-valid' };
    // spec/bootloader-and-flashing.md — the bootloader reads the programming request (and clears it,
    // as production bootloaders do) and stays to answer 50 02.
    if (this.request) {
      this.request = false;
      return { mode: 'boot', reason: 'programming-request' };
    }
    // spec/bootloader-and-flashing.md — valid -> start the application, invalid -> forced flashing.
    const valid = this.appValid && (boot.appValidation !== 'crc' || this.appCrcMatches());
    return valid ? { mode: 'app', reason: 'app-valid' } : { mode: 'boot', reason: 'app-invalid' };
  }

  private get driverRegion(): string | undefined {
    return this.host.config.bootloader?.flashDriver?.region;
  }

  private driverMissing(): boolean {
    return this.host.config.bootloader?.flashDriver?.required === true && this.driver !== 'checked';
  }

  private driverMessage(what: string): string {
    const region = this.driverRegion ?? 'ram';
    return this.driver === 'downloaded'
      ? `${what} flash needs the flash driver checked first (31 01 0202 with its CRC32)`
      : `${what} flash needs the flash driver: download it into region "${region}" (34/36/37) and check it (31 01 0202)`;
  }
}

function toNv(blocks: readonly VerifiedBlock[]): NvValue {
  return blocks.map((b) => ({ address: b.address, size: b.size, crc: b.crc }));
}
