/**
 * udskit — the public API.
 *
 * - core: bytes, hex, errors, clock (system + fake), typed events, the UdsLink interface, the in-memory bus
 * - uds/codec: SID and NRC tables, one codec per service
 * - uds/client: UdsClient (P2/P2*, 0x78, TesterPresent, functional requests, typed errors)
 * - uds/security: seed/key algorithms
 * - uds/server + ecu: the simulated ECU and its UDS server
 * - doip: ISO 13400-2 codec, DoipEntity (gateway), DoipClient (tester), vehicle identification
 * - tester: the high-level tester API (session, unlock, erase, download, upload, reset)
 * - vehicle: vehicle files, the built-in vehicle, Vehicle (gateway + ECUs)
 * - firmware: the image model and S-record, Intel HEX, binary and VBF readers/writers
 * - scan: security-testing and conformance tools (service sweep)
 */
export * from './core/index.js';
export * from './uds/codec/index.js';
export * from './uds/client/index.js';
export * from './uds/security/index.js';
export * from './uds/server/index.js';
export * from './ecu/index.js';
export * from './doip/index.js';
export * from './tester/index.js';
export * from './vehicle/index.js';
export * from './scan/index.js';
export * from './firmware/index.js';
export * from './flash/index.js';
