/**
 * The built-in vehicle used when no vehicle file is given: a DoIP gateway at 0x1000 with two ECUs,
 * accepting testers 0x0E00-0x0FFF. `udskit sim` and `udskit demo` run it.
 */
import type { VehicleConfigInput } from './config.js';

/** Security secret of the default vehicle's ECUs (shift-mul-xor constant, as in seed 001). */
export const DEFAULT_SECRET = 0x464c4147;

/** The default vehicle as a vehicle-file object. */
export const defaultVehicle: VehicleConfigInput = {
  name: 'udskit-default',
  description: 'DoIP gateway 0x1000 with an engine ECU (0x1010) and a body ECU (0x1020)',
  doip: {
    logicalAddress: 0x1000,
    vin: 'WUDSKIT0000000001',
    eid: '00 1A 2B 3C 4D 5E',
    gid: '00 1A 2B 3C 4D 5E',
    protocolVersion: 2,
    host: '127.0.0.1',
    port: 13400,
    acceptedTesterAddresses: [{ from: 0x0e00, to: 0x0fff }],
    functionalAddress: 0xe400,
  },
  ecus: [
    {
      name: 'engine',
      address: 0x1010,
      identification: { vin: 'WUDSKIT0000000001' },
      security: {
        levels: [
          {
            level: 0x01,
            algorithm: 'shift-mul-xor',
            secret: DEFAULT_SECRET,
            seedLength: 4,
            keyLength: 4,
            maxAttempts: 3,
            delayMs: 10_000,
            sessions: [0x02, 0x03],
          },
        ],
      },
      memory: [
        {
          name: 'app-flash',
          kind: 'flash',
          start: 0x00000000,
          size: 0x02000000,
          sectorSize: 0x10000,
          erasedValue: 0xff,
          download: true,
          upload: true,
        },
      ],
      transfer: { maxNumberOfBlockLength: 0x4002 },
      programming: { session: 0x02, securityLevel: 0x01 },
    },
    {
      name: 'body',
      address: 0x1020,
      identification: { vin: 'WUDSKIT0000000001' },
      security: {
        levels: [
          {
            level: 0x01,
            algorithm: 'xor',
            secret: { hex: 'A5 5A C3 3C' },
            seedLength: 4,
            maxAttempts: 3,
            delayMs: 10_000,
            sessions: [0x02, 0x03],
          },
        ],
      },
      memory: [
        {
          name: 'app-flash',
          kind: 'flash',
          start: 0x08000000,
          size: 0x00100000,
          sectorSize: 0x800,
          erasedValue: 0xff,
          download: true,
          upload: true,
        },
      ],
      transfer: { maxNumberOfBlockLength: 0x0ff2 },
      programming: { session: 0x02, securityLevel: 0x01 },
    },
  ],
};
