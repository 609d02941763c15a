/**
 * The CRC32 that RequestTransferExit (37) reports (spec/uds.md 37: the CRC32 of the transferred range as
 * it is in memory), computed while a download or upload runs instead of by reading the whole range again
 * at 37. Each stretch of blocks is checksummed once its 76 responses are on their way (a `setImmediate`
 * after the handler, in the time the tester needs for the next block) while the bytes are still in the
 * cache.
 *
 * The running CRC is only used when the blocks went front to back without gaps and memory did not change
 * otherwise since 34/35 (a download's own writes aside); else (a WriteMemoryByAddress in between, an
 * erase) {@link RangeCrc.finish} reads the range again, so the result is always the CRC of the memory as it is.
 */
import { crc32 } from '../core/crc.js';
import type { SparseMemory } from './sparse-memory.js';

/** Bytes written but not yet checksummed from which a catch-up is scheduled (smaller blocks are batched). */
const CATCH_UP_BYTES = 32 * 1024;

/** CRC32 of `[address, address + size)`, kept up to date as a transfer goes through the range front to back. */
export class RangeCrc {
  private crc = 0;
  /** Bytes from `address` the running CRC covers. */
  private covered = 0;
  /** Bytes from `address` the transfer went through so far. */
  private filled = 0;
  /** `memory.generation` after the transfer's last block; any other change makes the running CRC unusable. */
  private generation: number;
  private valid = true;
  private scheduled = false;

  constructor(
    private readonly memory: SparseMemory,
    private readonly address: number,
    private readonly size: number,
  ) {
    this.generation = memory.generation;
  }

  /** The download just wrote `length` bytes at `at` (one `memory.write` call). */
  written(at: number, length: number): void {
    this.extend(at, length, 1);
  }

  /** The upload just read `length` bytes at `at` into a response. */
  read(at: number, length: number): void {
    this.extend(at, length, 0);
  }

  /** The block must continue the range where the last one ended, and its own write (if any) be the only change since. */
  private extend(at: number, length: number, changes: number): void {
    if (!this.valid) return;
    if (at !== this.address + this.filled || this.memory.generation !== this.generation + changes) {
      this.valid = false;
      return;
    }
    this.generation = this.memory.generation;
    this.filled += length;
    if (!this.scheduled && (this.filled - this.covered >= CATCH_UP_BYTES || this.filled === this.size)) {
      this.scheduled = true;
      setImmediate(() => {
        this.scheduled = false;
        this.catchUp();
      });
    }
  }

  /** The CRC32 of the whole range as it is in memory now. */
  finish(): number {
    this.catchUp();
    if (this.valid && this.covered === this.size) return this.crc;
    let crc = 0;
    this.memory.scan(this.address, this.size, (bytes) => {
      crc = crc32(bytes, crc);
    });
    return crc;
  }

  /** Extends the running CRC over what was written since, if memory did not change otherwise. */
  private catchUp(): void {
    if (!this.valid) return;
    if (this.memory.generation !== this.generation) {
      this.valid = false;
      return;
    }
    if (this.covered === this.filled) return;
    this.memory.scan(this.address + this.covered, this.filled - this.covered, (bytes) => {
      this.crc = crc32(bytes, this.crc);
    });
    this.covered = this.filled;
  }
}
