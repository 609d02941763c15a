/** The examples in examples/ run and do what they say. */
import { describe, expect, it } from 'vitest';
import { main as flashOverDoip } from '../../examples/flash-over-doip/main.js';
import { main as inMemoryEcu } from '../../examples/in-memory-ecu/main.js';

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
});
