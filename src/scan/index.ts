/** Security-testing and interop scans: the service sweep (scripted requests, every answer recorded). */
export * from './service-sweep.js';
