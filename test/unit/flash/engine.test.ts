/**
 * The flash engine against simulated ECUs on the in-memory bus, on a FakeClock: the iso14229-generic
 * template end to end, functional steps once for all, 0x78 waits, the report and progress events.
 */
import { describe, it, expect } from 'vitest';
import { crc32 } from '../../../src/core/crc.js';
import { FlashEngine } from '../../../src/flash/engine.js';
import type { EcuProgress } from '../../../src/flash/progress.js';
import { summarizeReport } from '../../../src/flash/report.js';
import { writeVbf } from '../../../src/firmware/vbf.js';
import { drive, memoryVehicle, pattern, plan, srec } from './helpers.js';

const GENERIC = { profile: 'generic-iso14229', address: 0x1010 };
const SECURITY = { algorithm: 'shift-mul-xor', secret: 0x464c4147, keyLength: 4 };
const DRIVER = { file: 'driver.bin', baseAddress: 0x20000000 };

describe('FlashEngine with the iso14229-generic template', () => {
  it('runs pre, programming and post on one ECU and leaves the firmware in its flash', async () => {
    const v = memoryVehicle([GENERIC]);
    const code = pattern(0x5000, 1); // 20 KiB: two 16 KiB sectors
    const cal = pattern(0x100, 2);
    const { plan: p } = await plan(
      { template: 'iso14229-generic', security: SECURITY, ecus: [{ address: 0x1010, profile: 'generic-iso14229', firmware: [{ file: 'app.s19' }], flashDriver: DRIVER }] },
      { 'app.s19': srec([{ address: 0x10000, data: code }, { address: 0x20000, data: cal }]), 'driver.bin': pattern(0x400, 9) },
    );
    expect(p.ecus[0]?.blocks.map((b) => b.erase)).toEqual([
      { address: 0x10000, size: 0x8000 },
      { address: 0x20000, size: 0x4000 },
    ]);
    const engine = new FlashEngine({ connector: v.connector, clock: v.clock, now: () => new Date(2024, 4, 1, 12, 0, 0) });
    const progress: EcuProgress[] = [];
    engine.events.on('progress', (e) => progress.push(e));
    const report = await drive(v.clock, engine.run(p));

    expect(summarizeReport(report)).toContain('programmed');
    expect(report).toMatchObject({ ok: true, exitCode: 0, job: { template: 'iso14229-generic' } });
    const ecu = v.ecus[0]!;
    expect(Buffer.from(ecu.memory.read(0x10000, code.length)).equals(Buffer.from(code))).toBe(true);
    expect(Buffer.from(ecu.memory.read(0x20000, cal.length)).equals(Buffer.from(cal))).toBe(true);
    expect(report.ecus[0]).toMatchObject({ address: 0x1010, outcome: 'ok', bytesWritten: 0x5100, totalBytes: 0x5100, blocks: 2, recoveries: 0 });
    expect(report.ecus[0]?.identification['F187']).toBe('GEN-14229-01');
    // Fingerprint: F198 tester serial, F199 BCD date.
    const fp = report.steps.find((s) => s.step === 'fingerprint');
    expect(fp?.exchanges.map((x) => x.request)).toEqual(['2E F1 98 55 44 53 4B 49 54 2D 30 45 30 30', '2E F1 99 20 24 05 01']);
    // Functional steps: once for all, no ECU address, SPRMIB set.
    const functional = report.steps.filter((s) => s.addressing === 'functional');
    expect(functional.map((s) => s.exchanges[0]?.request)).toEqual(['10 83', '85 82', '28 83 03', '10 83', '28 80 03', '85 81', '10 81']);
    expect(functional.every((s) => s.ecu === undefined && s.outcome === 'ok')).toBe(true);
    // Every step of the template ran in order of its phase.
    expect(report.steps.map((s) => `${s.phase}:${s.step}`)).toEqual([
      'pre:session', 'pre:readDid', 'pre:routine', 'pre:dtcSetting', 'pre:communicationControl',
      'programming:session', 'programming:securityAccess', 'programming:fingerprint', 'programming:flashDriver', 'programming:program',
      'programming:checkDependencies', 'programming:reset',
      'post:session', 'post:communicationControl', 'post:dtcSetting', 'post:clearDtc', 'post:session',
    ]);
    const program = report.steps.find((s) => s.step === 'program');
    expect(program?.exchanges.map((x) => x.request.slice(0, 11))).toEqual(['31 01 FF 00', '34 00 44 00', '37', '31 01 02 02', '31 01 FF 00', '34 00 44 00', '37', '31 01 02 02']);
    expect(program?.exchanges[3]?.request).toBe(`31 01 02 02 ${crc32(code).toString(16).toUpperCase().padStart(8, '0').replace(/(..)(?!$)/g, '$1 ')}`);
    expect(program?.transferData?.bytes).toBe(0x5100);
    // Progress: bytes grow to the total, with a rate and an ETA on the way.
    const last = progress.filter((e) => e.activity === 'check').pop();
    expect(last).toMatchObject({ ecu: 0x1010, bytes: 0x5100, totalBytes: 0x5100, blocks: 2 });
    expect(progress.at(-1)?.activity).toBe('done');
    // The ECU ends in its default session with its communication and DTC setting restored.
    expect(ecu.state.session).toBe(0x01);
    expect(ecu.bootState).toMatchObject({ mode: 'app', appValid: true });
  });
});

describe('FlashEngine: several ECUs and the other templates', () => {
  it('flashes three ECUs in parallel over one connection, functional steps once for all', async () => {
    const v = memoryVehicle([GENERIC, { profile: 'generic-iso14229', address: 0x1011 }, { profile: 'generic-iso14229', address: 0x1012 }]);
    const images = [0x1010, 0x1011, 0x1012].map((a, i) => ({ a, data: pattern(0x6000 + i * 0x1000, i + 5) }));
    const files = Object.fromEntries(images.map((x) => [`app-${x.a.toString(16)}.s19`, srec([{ address: 0x10000, data: x.data }])]));
    const { plan: p } = await plan(
      {
        template: 'iso14229-generic',
        security: SECURITY,
        flashDriver: DRIVER,
        ecus: images.map((x) => ({ address: x.a, profile: 'generic-iso14229', firmware: [{ file: `app-${x.a.toString(16)}.s19` }] })),
      },
      { ...files, 'driver.bin': pattern(0x400, 9) },
    );
    const starts = new Map<number, number>();
    const ends = new Map<number, number>();
    const engine = new FlashEngine({ connector: v.connector, clock: v.clock });
    engine.events.on('step', (s) => {
      if (s.step !== 'program' || s.ecu === undefined) return;
      starts.set(s.ecu, s.startMs);
      ends.set(s.ecu, s.startMs + s.durationMs);
    });
    const report = await drive(v.clock, engine.run(p));
    expect(report.ok).toBe(true);
    expect(v.links).toHaveLength(1); // one connection for the three ECUs
    images.forEach((x, i) => expect(Buffer.from(v.ecus[i]!.memory.read(0x10000, x.data.length)).equals(Buffer.from(x.data))).toBe(true));
    // 7 functional steps in the template, each sent once; the physical ones once per ECU.
    expect(report.steps.filter((s) => s.ecu === undefined)).toHaveLength(7);
    expect(report.steps.filter((s) => s.step === 'program').map((s) => s.ecu).sort()).toEqual([0x1010, 0x1011, 0x1012]);
    // The programming of the three ECUs overlapped in time.
    const latestStart = Math.max(...starts.values());
    const earliestEnd = Math.min(...ends.values());
    expect(latestStart).toBeLessThanOrEqual(earliestEnd);
  });

  it('runs the stm32-uds-boot template (seed 004) against the stm32f103-uds-boot profile', async () => {
    const v = memoryVehicle([{ profile: 'stm32f103-uds-boot', address: 0x0711 }]);
    const app = pattern(0x3000, 4);
    const { plan: p } = await plan(
      { template: 'stm32-uds-boot', ecus: [{ address: 0x0711, profile: 'stm32f103-uds-boot', firmware: [{ file: 'app.s19' }], flashDriver: { file: 'driver.s19' } }] },
      { 'app.s19': srec([{ address: 0x08008000, data: app }]), 'driver.s19': srec([{ address: 0x20000000, data: pattern(0x800, 8) }]) },
    );
    const report = await drive(v.clock, new FlashEngine({ connector: v.connector, clock: v.clock, now: () => new Date(2024, 0, 31) }).run(p));
    expect(report.ok).toBe(true);
    expect(Buffer.from(v.ecus[0]!.memory.read(0x08008000, app.length)).equals(Buffer.from(app))).toBe(true);
    expect(report.steps.filter((s) => s.ecu === undefined).map((s) => s.exchanges[0]?.request)).toEqual(['10 83', '85 82', '28 83 03', '10 83', '28 80 03', '85 81', '10 81']);
    expect(report.steps.find((s) => s.step === 'routine')?.exchanges[0]?.request).toBe('31 01 02 01');
    // F15A: BCD date, the tester serial, padded to 16 bytes.
    expect(report.steps.find((s) => s.step === 'fingerprint')?.exchanges[0]?.request).toBe('2E F1 5A 20 24 01 31 55 44 53 4B 49 54 2D 30 45 30 30 00');
    expect(v.ecus[0]!.bootState).toMatchObject({ mode: 'app', appValid: true });
  });
});

describe('FlashEngine with the vbf-sbl template', () => {
  it('downloads and starts the SBL (0301 at its call address), erases by the VBF header, checks with 0212 and 0205', async () => {
    const sblAddress = 0x20000000;
    // An ECU whose checkMemory is 0212, with the VBF routines 0301 (activate SBL) and 0205 (complete and compatible).
    const v = memoryVehicle([
      {
        profile: 'generic-iso14229',
        address: 0x1010,
        programming: { routines: { checkMemory: 0x0212 } },
        routines: [
          { id: 0x0301, name: 'activateSecondaryBootloader', sessions: [0x02], securityLevels: [0x01], start: { status: 0x00, optionLength: 4 } },
          { id: 0x0205, name: 'checkCompleteAndCompatible', sessions: [0x02], securityLevels: [0x01], start: { status: 0x00 } },
        ],
      },
    ]);
    const app = pattern(0x6000, 6);
    const sbl = writeVbf({ version: '2.6', header: { sw_part_type: 'SBL', sw_part_number: 'SBL-1', call: sblAddress }, blocks: [{ address: sblAddress, data: pattern(0x300, 7) }] });
    const exe = writeVbf({
      version: '2.6',
      header: { sw_part_type: 'EXE', sw_part_number: 'APP-2', erase: [{ start: 0x10000, length: 0x8000 }] },
      blocks: [{ address: 0x10000, data: app }],
    });
    const { plan: p } = await plan(
      { template: 'vbf-sbl', security: SECURITY, ecus: [{ address: 0x1010, memory: [{ kind: 'app', start: 0x10000, size: 0xe0000, sectorSize: 0x4000 }, { kind: 'ram', start: 0x20000000, size: 0x10000 }], firmware: [{ file: 'app.vbf' }], flashDriver: { file: 'sbl.vbf' } }] },
      { 'app.vbf': exe, 'sbl.vbf': sbl },
    );
    expect(p.ecus[0]?.blocks.map((b) => b.erase)).toEqual([{ address: 0x10000, size: 0x8000 }]);
    const report = await drive(v.clock, new FlashEngine({ connector: v.connector, clock: v.clock }).run(p));
    expect(report.ok).toBe(true);
    expect(Buffer.from(v.ecus[0]!.memory.read(0x10000, app.length)).equals(Buffer.from(app))).toBe(true);
    const driver = report.steps.find((s) => s.step === 'flashDriver');
    expect(driver?.exchanges.map((x) => x.request.slice(0, 11))).toEqual(['34 00 44 20', '37', '31 01 02 12', '31 01 03 01']);
    expect(driver?.exchanges[3]?.request).toBe('31 01 03 01 20 00 00 00');
    expect(report.steps.find((s) => s.name === 'checkCompleteAndCompatible')?.exchanges[0]?.request).toBe('31 01 02 05');
  });
});
