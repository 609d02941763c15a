/**
 * Session side effects of spec/uds.md "Sessions and timing" owned by 2A / 83 / 87: one ECU with periodic
 * DIDs running, timing changed and the link switched, then each kind of transition.
 */
import { describe, expect, it } from 'vitest';
import { harness, type Harness } from './helpers.js';

const profile = { dids: [{ id: 0xf201, value: { hex: '01' } }] };

/** Extended session with everything changed: periodic F201 at the fast rate, P2 200 ms, link 1 Mbit/s. */
async function changed(): Promise<Harness> {
  const h = harness(profile);
  await h.req('10 03');
  await h.req('2A 03 01');
  await h.req('83 04 00 C8 03 E8');
  await h.req('87 01 13');
  await h.req('87 03');
  expect(h.ecu.state).toMatchObject({
    periodic: [{ pDid: 1, rate: 'fast' }],
    timing: { p2ServerMs: 200, p2StarServerMs: 10000 },
    linkControl: { baudrate: 1_000_000 },
  });
  return h;
}

const DEFAULTS = { periodic: [], timing: { p2ServerMs: 50, p2StarServerMs: 5000 }, linkControl: { baudrate: 500_000, pendingBaudrate: null } };

describe('session side effects of 2A, 83 and 87', () => {
  it('10 01: periodic stopped, timing and link back to the defaults', async () => {
    const h = await changed();
    await h.req('10 01');
    expect(h.ecu.state).toMatchObject(DEFAULTS);
  });

  it('S3 timeout: the same as 10 01', async () => {
    const h = await changed();
    await h.advance(5000);
    expect(h.ecu.state).toMatchObject({ session: 1, ...DEFAULTS });
  });

  it('ECU reset: the same as 10 01', async () => {
    const h = await changed();
    await h.req('11 01');
    expect(h.ecu.state).toMatchObject(DEFAULTS);
  });

  it('10 03 again (non-default to non-default): timing reset, readable periodic DIDs and the link mode kept', async () => {
    const h = await changed();
    await h.req('10 03');
    expect(h.ecu.state).toMatchObject({
      periodic: [{ pDid: 1, rate: 'fast' }],
      timing: { p2ServerMs: 50, p2StarServerMs: 5000 },
      linkControl: { baudrate: 1_000_000, pendingBaudrate: null },
    });
  });
});
