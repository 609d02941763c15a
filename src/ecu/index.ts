/** The simulated ECU: profile, model, memory, security, transfer, routines and service handlers. */
export * from './config.js';
export * from './did-store.js';
export * from './ecu-events.js';
export * from './ecu-runtime.js';
export * from './handlers/index.js';
export * from './memory-map.js';
export * from './programming-log.js';
export * from './routines/index.js';
export * from './security-access.js';
export * from './service-table.js';
export * from './session-manager.js';
export * from './simulated-ecu.js';
export * from './sparse-memory.js';
export * from './transfer.js';
export * from './vehicle-state.js';
