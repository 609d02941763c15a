/**
 * What the bootloader remembers about programming since the last erase: each downloaded block, whether
 * it was completed with 0x37 (and its CRC32), and whether 31 01 0202 checkMemory confirmed it. Routines
 * 0202 and FF01 read it (spec/bootloader-and-flashing.md). Held in RAM: a reset forgets it.
 */

/** One block downloaded with 34 / 36 / 37. */
export interface DownloadedBlock {
  /** Start address. */
  readonly address: number;
  /** Announced size (34 memorySize). */
  readonly size: number;
  /** Name of the memory region. */
  readonly region: string;
  /** 37 succeeded after every byte arrived. */
  completed: boolean;
  /** CRC32 reported in the 77 response. */
  crc: number | undefined;
  /** 31 01 0202 reported it correct. */
  checked: boolean;
}

/** Reason codes of a failed checkProgrammingDependencies (31 01 FF01), the byte after status 01. */
export const DEPENDENCY_FAILURE = {
  /** Nothing was downloaded since the last erase. */
  noBlockDownloaded: 0x01,
  /** A download was not finished with 37 (or not every byte arrived). */
  transferNotCompleted: 0x02,
  /** A block was not confirmed by checkMemory (0202). */
  blockNotChecked: 0x03,
  /** A block's memory no longer matches the CRC reported when it was downloaded. */
  memoryChanged: 0x04,
} as const;

/** The log of downloads since the last erase. */
export class ProgrammingLog {
  private blocksSinceErase: DownloadedBlock[] = [];
  private last: DownloadedBlock | undefined;

  /** Blocks downloaded since the last erase, oldest first. */
  get blocks(): readonly DownloadedBlock[] {
    return this.blocksSinceErase;
  }

  /** The most recent download (even one from before the last erase, e.g. the flash driver in RAM). */
  get lastDownload(): DownloadedBlock | undefined {
    return this.last;
  }

  /** A 34 was accepted: records the block. */
  startBlock(address: number, size: number, region: string): DownloadedBlock {
    const block: DownloadedBlock = { address, size, region, completed: false, crc: undefined, checked: false };
    this.blocksSinceErase.push(block);
    this.last = block;
    return block;
  }

  /** A successful erase: later FF01 checks only what is downloaded from now on. */
  erased(): void {
    this.blocksSinceErase = [];
  }

  /** Forgets everything (reset). */
  clear(): void {
    this.blocksSinceErase = [];
    this.last = undefined;
  }
}
