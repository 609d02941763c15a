/** Seed/key algorithms of SecurityAccess (0x27): the plug-in registry and the built-in algorithms. */
export * from './algorithms.js';
export { aes128Cmac } from './aes-cmac.js';
export * from './algorithm-module.js';
