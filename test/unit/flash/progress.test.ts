/** Progress per ECU on a FakeClock: bytes, rate, ETA, a rewound block, frozen after finish. */
import { describe, it, expect } from 'vitest';
import { FakeClock } from '../../../src/core/clock.js';
import { ProgressTracker } from '../../../src/flash/progress.js';

describe('ProgressTracker', () => {
  it('measures the rate from the first erase / download and gives an ETA', async () => {
    const clock = new FakeClock();
    const p = new ProgressTracker(clock, 0x1010, 'engine', 4000, 2);
    p.activity('driver');
    expect(p.snapshot()).toMatchObject({ bytes: 0, bytesPerSecond: 0, etaSeconds: undefined, activity: 'driver' });
    await clock.advance(500); // not counted: programming has not started
    p.activity('erase', 1);
    await clock.advance(1000);
    p.transferred(1000);
    p.transferred(0); // a driver block: counted as a request, not as firmware
    expect(p.snapshot()).toMatchObject({ bytes: 1000, transferBlocks: 2, bytesPerSecond: 1000, etaSeconds: 3, block: 1, blocks: 2 });
    p.rewind(600); // the block is written again
    expect(p.snapshot().bytes).toBe(400);
    p.finish();
    await clock.advance(5000);
    expect(p.seconds).toBe(1);
  });
});
