/**
 * The filters of `udskit image convert`, applied in a fixed order with srec_cat's semantics:
 * crop `[start, end)` (srec_cat `-crop start end`), fill the gaps between the lowest and the highest
 * address (`-fill byte -over file`), offset (`-offset n`), then set the execution start address
 * (`-execution-start-address`).
 */
import { InvalidArgumentError } from '../core/errors.js';
import { ADDRESS_LIMIT, type DataRange, type FirmwareImage } from './image.js';
import { crop, fillGaps, offsetImage } from './image-ops.js';
import { linearStart } from './firmware-write.js';

/** What {@link transformImage} does; every field is optional. */
export interface ImageTransform {
  /** Keep only the data in `[start, end)` (end exclusive, as srec_cat's `-crop`). */
  readonly crop?: DataRange;
  /** Fill the gaps between the lowest and highest address (after cropping) with this byte. */
  readonly fill?: number;
  /** Move the data and the start address (as srec_cat's `-offset`) by this many bytes; may be negative. */
  readonly offset?: number;
  /** Set the execution start address. */
  readonly startAddress?: number;
}

/** The image without a start address (nor an Intel 03 start segment). */
function withoutStart(image: FirmwareImage): FirmwareImage {
  const { startAddress: _a, startSegment: _s, ...rest } = image;
  return rest;
}

/**
 * Applies crop, fill, offset and start address in that order. As srec_cat: a crop drops a start address
 * outside the kept range, an offset moves the start address too (an Intel 03 CS:IP start becomes the
 * linear address CS * 16 + IP). Throws InvalidArgumentError when data or the start address would leave
 * the 32-bit address space.
 */
export function transformImage(image: FirmwareImage, t: ImageTransform): FirmwareImage {
  let img = image;
  if (t.crop) {
    const start = linearStart(img);
    img = crop(img, t.crop.start, t.crop.end);
    if (start !== undefined && (start < t.crop.start || start >= t.crop.end)) img = withoutStart(img);
  }
  if (t.fill !== undefined) img = fillGaps(img, t.fill);
  // srec_cat's -offset moves the start address with the data (offsetImage does both).
  if (t.offset !== undefined && t.offset !== 0) img = offsetImage(img, t.offset);
  if (t.startAddress !== undefined) {
    if (!Number.isInteger(t.startAddress) || t.startAddress < 0 || t.startAddress >= ADDRESS_LIMIT) {
      throw new InvalidArgumentError(`start address must be 0..0xFFFFFFFF, got ${t.startAddress}`, { startAddress: t.startAddress });
    }
    img = { ...withoutStart(img), startAddress: t.startAddress };
  }
  return img;
}

/**
 * Parses `A:B` (srec_cat's `-crop A B`: A inclusive, B exclusive; `A:` runs to the end of the address
 * space). Numbers as `0x8000`, `32768` or `32K`. Throws InvalidArgumentError naming the accepted form.
 */
export function parseCropRange(text: string): DataRange {
  const m = /^\s*([^:]+):([^:]*)$/.exec(text);
  const num = (s: string): number | undefined => {
    const t = s.trim();
    const k = /^(0x[0-9a-f]+|\d+)\s*(k|m)?$/i.exec(t);
    if (!k) return undefined;
    const v = (k[1] as string).toLowerCase().startsWith('0x') ? parseInt((k[1] as string).slice(2), 16) : parseInt(k[1] as string, 10);
    return v * ((k[2] ?? '').toLowerCase() === 'k' ? 1024 : (k[2] ?? '').toLowerCase() === 'm' ? 1024 * 1024 : 1);
  };
  const start = m ? num(m[1] as string) : undefined;
  const end = m ? ((m[2] as string).trim() === '' ? ADDRESS_LIMIT : num(m[2] as string)) : undefined;
  if (start === undefined || end === undefined || start >= end || end > ADDRESS_LIMIT) {
    throw new InvalidArgumentError(
      `--crop must be START:END with START < END <= 0x100000000 (END exclusive, as srec_cat -crop), e.g. 0x8000000:0x8010000 or 0x1000: (to the end); got "${text}"`,
      { crop: text },
    );
  }
  return { start, end };
}
