/** Persistence of an ECU in a state directory: atomic files, the NV store file, the flash chunk store. */
export * from './atomic-file.js';
export * from './file-nv-store.js';
export * from './flash-store.js';
export * from './state-dir-error.js';
export * from './state-dir-lock.js';
