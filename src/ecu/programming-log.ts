/**
 * What the bootloader remembers about programming since the last reset: each downloaded block, whether
 * it was completed with 0x37 (and its CRC32), whether 31 01 0202 checkMemory confirmed it, and which
 * regions were erased since the last successful 31 01 FF01. Routines 0202 and FF01 read it
 * (spec/bootloader-and-flashing.md). Held in RAM: a reset forgets it.
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
  /** Nothing was downloaded into flash since the last reset. */
  noBlockDownloaded: 0x01,
  /** A download was not finished with 37 (or not every byte arrived). */
  transferNotCompleted: 0x02,
  /** A block was not confirmed by checkMemory (0202). */
  blockNotChecked: 0x03,
  /** A block's memory no longer matches the CRC reported when it was downloaded. */
  memoryChanged: 0x04,
  /** A region was erased but no block was programmed into it: a logical block is missing. */
  blockMissing: 0x05,
  /** Dual bank: the blocks lie in both banks (one update programs one bank). */
  bankConflict: 0x06,
} as const;

/** The log of downloads since the last reset. */
export class ProgrammingLog {
  private list: DownloadedBlock[] = [];
  private last: DownloadedBlock | undefined;
  private readonly erasedSinceCommit = new Set<string>();

  /** Blocks downloaded since the last reset and not erased since, oldest first. */
  get blocks(): readonly DownloadedBlock[] {
    return this.list;
  }

  /** The most recent download (e.g. the flash driver in RAM). */
  get lastDownload(): DownloadedBlock | undefined {
    return this.last;
  }

  /** Regions erased since the last successful FF01 (or reset). */
  get erasedRegions(): ReadonlySet<string> {
    return this.erasedSinceCommit;
  }

  /** A 34 was accepted: records the block. */
  startBlock(address: number, size: number, region: string): DownloadedBlock {
    const block: DownloadedBlock = { address, size, region, completed: false, crc: undefined, checked: false };
    // A block downloaded again over the same range replaces the earlier one.
    this.list = this.list.filter((b) => !overlaps(b, address, size));
    this.list.push(block);
    this.last = block;
    return block;
  }

  /** An erase of `[address, address + size)` in `region`: the blocks there are gone. */
  erased(address: number, size: number, region: string): void {
    this.list = this.list.filter((b) => !overlaps(b, address, size));
    if (this.last && overlaps(this.last, address, size)) this.last = undefined;
    this.erasedSinceCommit.add(region);
  }

  /** A successful FF01: the erased regions are accounted for. */
  committed(): void {
    this.erasedSinceCommit.clear();
  }

  /** Forgets everything (reset). */
  clear(): void {
    this.list = [];
    this.last = undefined;
    this.erasedSinceCommit.clear();
  }
}

function overlaps(b: { address: number; size: number }, address: number, size: number): boolean {
  return b.address < address + size && address < b.address + b.size;
}
