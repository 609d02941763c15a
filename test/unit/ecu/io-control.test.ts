import { describe, expect, it } from 'vitest';
import type { EcuConfigInput } from '../../../src/ecu/config.js';
import { harness } from './helpers.js';

const FAN: NonNullable<EcuConfigInput['dids']>[number] = {
  id: 0x9b00,
  name: 'fanDuty',
  codec: 'uint',
  length: 1,
  value: 0x10,
  max: 100,
  write: { sessions: [3] },
  ioControl: { default: 0, conditions: { engineOff: true } },
};

/** Extended session, level 1 unlocked. */
async function ready(h: ReturnType<typeof harness>): Promise<void> {
  await h.req('10 03');
  await h.unlock();
}

describe('InputOutputControlByIdentifier (0x2F)', () => {
  it('is an extended-session service behind security', async () => {
    const h = harness({ dids: [FAN] });
    expect(await h.req('2F 9B 00 03 3C')).toEqual(['7F 2F 7F']);
    await h.req('10 03');
    expect(await h.req('2F 9B 00 03 3C')).toEqual(['7F 2F 33']);
    h.ecu.close();
  });

  it('shortTermAdjustment, resetToDefault, freeze and returnControlToECU, each visible with 22', async () => {
    const h = harness({ dids: [FAN] });
    await ready(h);
    expect(await h.req('22 9B 00')).toEqual(['62 9B 00 10']);
    expect(await h.req('2F 9B 00 03 3C')).toEqual(['6F 9B 00 03 3C']);
    expect(await h.req('22 9B 00')).toEqual(['62 9B 00 3C']);
    expect(h.ecu.model.ioControl.controlledDids()).toEqual([0x9b00]);
    expect(await h.req('2F 9B 00 01')).toEqual(['6F 9B 00 01 00']);
    expect(await h.req('22 9B 00')).toEqual(['62 9B 00 00']);
    // Freeze: the ECU's own value changes (2E), the tester still reads the frozen one.
    expect(await h.req('2F 9B 00 03 20')).toEqual(['6F 9B 00 03 20']);
    expect(await h.req('2F 9B 00 02')).toEqual(['6F 9B 00 02 20']);
    expect(await h.req('2E 9B 00 30')).toEqual(['6E 9B 00']);
    expect(await h.req('22 9B 00')).toEqual(['62 9B 00 20']);
    expect(await h.req('2F 9B 00 00')).toEqual(['6F 9B 00 00 30']);
    expect(await h.req('22 9B 00')).toEqual(['62 9B 00 30']);
    expect(h.ecu.model.ioControl.controlledDids()).toEqual([]);
    h.ecu.close();
  });

  it('returns control on 10 01, on an S3 timeout and on a reset, not on another non-default session', async () => {
    const h = harness({ dids: [FAN] });
    await ready(h);
    await h.req('2F 9B 00 03 3C');
    await h.req('10 03');
    expect(await h.req('22 9B 00')).toEqual(['62 9B 00 3C']);
    await h.req('10 01');
    expect(await h.req('22 9B 00')).toEqual(['62 9B 00 10']);

    await ready(h);
    await h.req('2F 9B 00 03 3C');
    await h.advance(5001);
    expect(await h.req('22 9B 00')).toEqual(['62 9B 00 10']);

    await ready(h);
    await h.req('2F 9B 00 03 3C');
    expect(await h.req('11 01', { advanceMs: 100 })).toEqual(['51 01']);
    expect(await h.req('22 9B 00')).toEqual(['62 9B 00 10']);
    h.ecu.close();
  });

  it('answers 0x31 for a DID without ioControl or a parameter it does not allow, 0x13 for a wrong length', async () => {
    const h = harness({ dids: [FAN, { id: 0x9b01, codec: 'uint', length: 2, value: 0, ioControl: { parameters: [0, 3] } }] });
    await ready(h);
    expect(await h.req('2F F1 90 00')).toEqual(['7F 2F 31']);
    expect(await h.req('2F 12 34 00')).toEqual(['7F 2F 31']);
    expect(await h.req('2F 9B 01 01')).toEqual(['7F 2F 31']); // resetToDefault not allowed for 9B01
    expect(await h.req('2F 9B 00 04')).toEqual(['7F 2F 31']); // reserved parameter
    expect(await h.req('2F 9B 01 03 01')).toEqual(['7F 2F 13']); // state of 1 byte for a 2-byte DID
    expect(await h.req('2F 9B 01 03 01 02 03')).toEqual(['7F 2F 13']);
    expect(await h.req('2F 9B 00 00 01')).toEqual(['7F 2F 13']); // returnControlToECU carries no state
    expect(await h.req('2F 9B 00')).toEqual(['7F 2F 13']);
    expect(await h.req('2F 9B 00 03 65')).toEqual(['7F 2F 31']); // 101 > max 100
    expect(await h.req('2F 9B 01 03 01 02')).toEqual(['6F 9B 01 03 01 02']);
    h.ecu.close();
  });

  it('answers 0x22 while the vehicle condition of the profile is not met', async () => {
    const h = harness({ dids: [FAN] });
    await ready(h);
    h.ecu.setVehicleState({ engineRunning: true });
    expect(await h.req('2F 9B 00 03 3C')).toEqual(['7F 2F 22']);
    h.ecu.setVehicleState({ engineRunning: false });
    expect(await h.req('2F 9B 00 03 3C')).toEqual(['6F 9B 00 03 3C']);
    h.ecu.close();
  });

  it('controls only the signals of the controlEnableMask', async () => {
    const h = harness({
      dids: [{ id: 0x9b10, value: { hex: '01 02 03' }, ioControl: { signals: [1, 2], default: { hex: 'A0 B0 C0' }, sessions: [3] } }],
    });
    await ready(h);
    expect(await h.req('2F 9B 10 03 AA BB CC 80')).toEqual(['6F 9B 10 03 AA 02 03']);
    expect(await h.req('2F 9B 10 01 40')).toEqual(['6F 9B 10 01 AA B0 C0']);
    expect(await h.req('2F 9B 10 00 80')).toEqual(['6F 9B 10 00 01 B0 C0']);
    expect(await h.req('2F 9B 10 03 AA BB CC 20')).toEqual(['7F 2F 31']); // mask bit of a third signal
    expect(await h.req('2F 9B 10 03 AA BB CC')).toEqual(['7F 2F 13']); // mask missing
    expect(await h.req('2F 9B 10 00 C0')).toEqual(['6F 9B 10 00 01 02 03']);
    expect(h.ecu.model.ioControl.isControlled(0x9b10)).toBe(false);
    h.ecu.close();
  });

  it('follows the sessions and security levels of the DID ioControl rule', async () => {
    const h = harness({
      security: [{ level: 1 }, { level: 3, sessions: [3] }],
      dids: [{ id: 0x9b20, value: { hex: '00' }, ioControl: { securityLevels: [3] } }, { id: 0x9b21, value: { hex: '00' }, ioControl: { sessions: [2] } }],
    });
    await ready(h);
    expect(await h.req('2F 9B 20 03 01')).toEqual(['7F 2F 33']);
    expect(await h.req('2F 9B 21 03 01')).toEqual(['7F 2F 31']);
    h.ecu.close();
  });
});
