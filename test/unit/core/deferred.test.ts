import { describe, expect, it } from 'vitest';
import { createDeferred } from '../../../src/core/deferred.js';

describe('createDeferred', () => {
  it('settles from outside and keeps an early rejection quiet until awaited', async () => {
    const ok = createDeferred<number>();
    ok.resolve(7);
    await expect(ok.promise).resolves.toBe(7);
    const bad = createDeferred<number>();
    bad.reject(new Error('late'));
    await new Promise((r) => setImmediate(r)); // an unhandled rejection would be reported here
    await expect(bad.promise).rejects.toThrow('late');
  });
});
