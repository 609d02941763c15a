/** Generic UDS server machinery: dispatcher, order of checks, SPRMIB, functional suppression, 0x78. */
export * from './handler.js';
export * from './nrc-error.js';
export * from './response-pending.js';
export * from './service-table.js';
export * from './uds-server.js';
