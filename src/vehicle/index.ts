export * from './config.js';
export * from './json-schema.js';
export * from './profile-references.js';
export * from './default-vehicle.js';
export * from './vehicle.js';
