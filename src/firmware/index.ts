/** Firmware images and file formats: the image model, S-record, Intel HEX, binary, VBF, format detection. */
export * from './errors.js';
export * from './image.js';
export * from './image-ops.js';
export * from './srecord.js';
export * from './intel-hex.js';
export * from './binary.js';
export * from './detect.js';
export * from './vbf-errors.js';
export * from './vbf-header.js';
export * from './vbf-header-writer.js';
export * from './vbf-lzss.js';
export * from './vbf.js';
