/** Valid-request generators (decoded form) for 0x23, 0x24, 0x2C, 0x2F and 0x3D, used by properties.test.ts. */
import fc from 'fast-check';

const u8 = fc.integer({ min: 0, max: 0xff });
const u16 = fc.integer({ min: 0, max: 0xffff });
const lengths = fc.record({ addressLength: fc.integer({ min: 1, max: 4 }), sizeLength: fc.integer({ min: 1, max: 4 }) });
const maxFor = (n: number): number => 2 ** (8 * n) - 1;

/** 0x23: address and size of the ALFID's lengths. */
export const readMemoryRequest = lengths.chain((l) =>
  fc.record({
    memoryAddress: fc.integer({ min: 0, max: maxFor(l.addressLength) }),
    memorySize: fc.integer({ min: 0, max: maxFor(l.sizeLength) }),
    addressLength: fc.constant(l.addressLength),
    sizeLength: fc.constant(l.sizeLength),
  }),
);

/** 0x3D: address and up to 24 data bytes (memorySize is their count). */
export const writeMemoryRequest = lengths.chain((l) =>
  fc.record({
    memoryAddress: fc.integer({ min: 0, max: maxFor(l.addressLength) }),
    data: fc.uint8Array({ maxLength: Math.min(24, maxFor(l.sizeLength)) }),
    addressLength: fc.constant(l.addressLength),
    sizeLength: fc.constant(l.sizeLength),
  }),
);

/** 0x24: one DID. */
export const readScalingRequest = fc.record({ did: u16 });

/** 0x2C: every sub-function form, SPRMIB on or off. */
export const dynamicDefineRequest = fc.oneof(
  fc.record({
    kind: fc.constant('defineByIdentifier' as const),
    dddid: u16,
    sources: fc.array(fc.record({ sourceDid: u16, position: u8, size: u8 }), { minLength: 1, maxLength: 5 }),
    suppressPositiveResponse: fc.boolean(),
  }),
  lengths.chain((l) =>
    fc.record({
      kind: fc.constant('defineByMemoryAddress' as const),
      dddid: u16,
      addressLength: fc.constant(l.addressLength),
      sizeLength: fc.constant(l.sizeLength),
      sources: fc.array(
        fc.record({
          memoryAddress: fc.integer({ min: 0, max: maxFor(l.addressLength) }),
          memorySize: fc.integer({ min: 0, max: maxFor(l.sizeLength) }),
        }),
        { minLength: 1, maxLength: 4 },
      ),
      suppressPositiveResponse: fc.boolean(),
    }),
  ),
  fc.record({ kind: fc.constant('clear' as const), dddid: u16, suppressPositiveResponse: fc.boolean() }),
  fc.record({ kind: fc.constant('clear' as const), suppressPositiveResponse: fc.boolean() }),
  fc.record({
    kind: fc.constant('other' as const),
    subFunction: fc.integer({ min: 0, max: 0x7f }).filter((v) => v < 1 || v > 3),
    data: fc.uint8Array({ maxLength: 8 }),
    suppressPositiveResponse: fc.boolean(),
  }),
);

/** 0x2F: decoded without context, every byte after the parameter is controlState and the mask is empty. */
export const ioControlRequest = fc.record({
  did: u16,
  inputOutputControlParameter: u8,
  controlState: fc.uint8Array({ maxLength: 16 }),
  controlEnableMask: fc.constant(new Uint8Array(0)),
});
