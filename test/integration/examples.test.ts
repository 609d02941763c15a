/** The examples in examples/ run and do what they say. */
import { describe, expect, it } from 'vitest';
import { main as flashOverDoip } from '../../examples/flash-over-doip/main.js';
import { main as inMemoryEcu } from '../../examples/in-memory-ecu/main.js';
import { main as customSecurityAlgorithm } from '../../examples/custom-security-algorithm/main.js';
import { main as limitSeedRequests } from '../../examples/limit-seed-requests/main.js';
import { main as customRoutine } from '../../examples/custom-routine/main.js';

describe('examples', () => {
  it('flash-over-doip flashes and reads back identical bytes', async () => {
    const lines: string[] = [];
    expect(await flashOverDoip((s) => lines.push(s))).toBe(true);
    expect(lines).toContain('read back: identical');
  });

  it('in-memory-ecu reads the VIN and sees 0x7F for RequestDownload in the default session', async () => {
    const lines: string[] = [];
    expect(await inMemoryEcu((s) => lines.push(s))).toBe('WUDSKIT0000000042');
    expect(lines).toContain('as expected: serviceNotSupportedInActiveSession (0x7f)');
  });

  it('custom-security-algorithm unlocks with the algorithm of its module, and a wrong secret gets 0x35', async () => {
    const lines: string[] = [];
    expect(await customSecurityAlgorithm((s) => lines.push(s))).toBe(3);
    expect(lines).toContain('wrong secret: invalidKey (0x35)');
  });

  it('limit-seed-requests refuses the fourth seed of a session with 0x22 and counts again after 10 03', async () => {
    expect(await limitSeedRequests(() => undefined)).toEqual([0, 0, 0, 0x22, 0]);
  });

  it('custom-routine passes at 12.5 V and fails at 9.5 V', async () => {
    const lines: string[] = [];
    expect(await customRoutine((s) => lines.push(s))).toEqual([0x00, 0x01]);
    expect(lines[1]).toBe('9.5 V: DID 0101 = 005f, self-test failed');
  });
});
