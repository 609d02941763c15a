export * from './config.js';
export * from './default-vehicle.js';
export * from './vehicle.js';
