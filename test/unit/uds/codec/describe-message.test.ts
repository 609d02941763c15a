import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeMessage, SERVICE_CODECS } from '../../../../src/uds/codec/index.js';
import { hex } from './table.js';

describe('describeMessage', () => {
  it('describes a request with hex byte fields', () => {
    expect(describeMessage(hex('2E F1 98 01 02 03'))).toEqual({
      service: 'WriteDataByIdentifier',
      kind: 'request',
      fields: { did: 0xf198, data: '01 02 03' },
    });
  });

  it('describes a positive response, arrays included', () => {
    expect(describeMessage(hex('62 F1 90 41 42'))).toEqual({
      service: 'ReadDataByIdentifier',
      kind: 'positive',
      fields: { records: [{ did: 0xf190, data: '41 42' }] },
    });
    expect(describeMessage(hex('50 03 00 32 01 F4'))).toEqual({
      service: 'DiagnosticSessionControl',
      kind: 'positive',
      fields: { sessionType: 3, p2ServerMaxMs: 50, p2StarServerMaxMs: 5000 },
    });
  });

  it('describes a negative response with the NRC name and meaning', () => {
    const d = describeMessage(hex('7F 22 31'));
    expect(d.service).toBe('ReadDataByIdentifier');
    expect(d.kind).toBe('negative');
    expect(d.nrc?.code).toBe(0x31);
    expect(d.nrc?.name).toBe('requestOutOfRange');
    expect(d.nrc?.meaning).toMatch(/outside/);
  });

  it('reports a malformed message as raw hex with the error', () => {
    const d = describeMessage(hex('22 F1'));
    expect(d.kind).toBe('request');
    expect(d.fields?.raw).toBe('22 F1');
    expect(String(d.fields?.error)).toMatch(/ReadDataByIdentifier/);
    const n = describeMessage(hex('7F 22'));
    expect(n.kind).toBe('negative');
    expect(n.fields?.raw).toBe('7F 22');
  });

  it('classifies services without a codec by bit 6', () => {
    // 0x84 SecuredDataTransmission has no codec (not part of udskit's services yet).
    expect(describeMessage(hex('84 00 01'))).toEqual({ service: 'SecuredDataTransmission', kind: 'request', fields: { raw: '84 00 01' } });
    expect(describeMessage(hex('C4 00 01'))).toEqual({ service: 'SecuredDataTransmission', kind: 'positive', fields: { raw: 'C4 00 01' } });
  });

  it('describes a periodic data message (6A pDID data) as such', () => {
    expect(describeMessage(hex('6A 01 12 34'))).toEqual({
      service: 'ReadDataByPeriodicIdentifier',
      kind: 'positive',
      fields: expect.objectContaining({ periodic: true, data: '12 34' }) as unknown,
    });
    expect(describeMessage(hex('6A')).fields?.periodic).toBeUndefined();
  });

  it('handles an empty message', () => {
    expect(describeMessage(new Uint8Array(0)).fields?.error).toBeDefined();
  });

  it('never throws, whatever the bytes', () => {
    const sids = [...SERVICE_CODECS.keys()].flatMap((s) => [s, s + 0x40]).concat([0x7f]);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), fc.constantFrom(...sids), fc.boolean(), (bytes, sid, forceSid) => {
        const msg = forceSid && bytes.length > 0 ? Uint8Array.from([sid, ...bytes.subarray(1)]) : bytes;
        const d = describeMessage(msg);
        expect(['request', 'positive', 'negative']).toContain(d.kind);
        expect(typeof d.service).toBe('string');
      }),
      { numRuns: 2000 },
    );
  });
});
