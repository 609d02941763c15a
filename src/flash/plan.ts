/**
 * From a validated job to what the engine runs: per ECU the firmware read and checked against the ECU's
 * memory map, the erase blocks of the job's strategy, the flash driver, the security settings and the
 * placeholder variables. Everything that can be wrong with the job or its files is found here, before
 * anything is sent to an ECU.
 */
import { crc32 } from '../core/crc.js';
import type { EcuConfig } from '../ecu/config.js';
import { loadEcuProfile } from '../ecu/profile-files.js';
import { mergeImages } from '../firmware/image-ops.js';
import { totalSize, type FirmwareImage, type Segment } from '../firmware/image.js';
import { loadSecurityAlgorithmModule } from '../uds/security/algorithm-module.js';
import { secretFromConfig } from '../uds/security/algorithms.js';
import { FlashPlanError } from './errors.js';
import { loadFirmware, type FirmwareSource, type LoadedFirmware } from './firmware-files.js';
import type { FlashJob, FlashJobEcu, JobMemoryRegion } from './job-schema.js';
import { layoutKind, noEraseBlocks, placeSegments, sectorBlocks, segmentBlocks, vbfBlocks, type LayoutRegion, type PlanBlock } from './memory-layout.js';
import { jobTemplateProblems } from './plan-checks.js';

/** The seed/key settings of one ECU. */
export interface EcuSecurity {
  readonly level: number;
  readonly algorithm: string;
  readonly secret: Uint8Array;
  readonly keyLength?: number;
}

/** The flash driver (or SBL) of one ECU. */
export interface DriverPlan {
  readonly file: string;
  readonly segments: readonly Segment[];
  readonly bytes: number;
  /** Run checkMemory after downloading it. */
  readonly check: boolean;
  /** `31 01 routineId address(4)` after the download. */
  readonly activate?: { readonly routineId: number; readonly address: number };
}

/** One firmware file as planned. */
export interface PlannedFile {
  readonly file: string;
  readonly format: string;
  readonly bytes: number;
  readonly segments: number;
  readonly crc32: number;
}

/** What the engine does for one ECU. */
export interface EcuPlan {
  readonly address: number;
  readonly name: string;
  /** DoIP entity of this ECU. */
  readonly host: string;
  readonly port: number;
  /** The memory map used for the checks, when known (job memory: or profile:). */
  readonly regions?: readonly LayoutRegion[];
  readonly files: readonly PlannedFile[];
  /** Erase + download blocks, in order. */
  readonly blocks: readonly PlanBlock[];
  /** Data bytes of every block. */
  readonly totalBytes: number;
  readonly driver?: DriverPlan;
  /** Undefined when the job unlocks nothing. */
  readonly security?: EcuSecurity;
  /** Placeholder variables (job's, ECU's, and testerSerial). */
  readonly variables: Readonly<Record<string, string>>;
}

/** A job ready to run. */
export interface FlashPlan {
  readonly job: FlashJob;
  readonly ecus: readonly EcuPlan[];
}

/** Options of {@link planFlashJob}. */
export interface PlanOptions {
  /** Reads a firmware file (default: from disk). */
  readonly loadFirmware?: (source: FirmwareSource) => Promise<LoadedFirmware>;
  /** Reads the ECU profile named by `ecus[].profile` (default: shipped name or path). */
  readonly loadProfile?: (ref: string) => EcuConfig;
}

/** Regions of a job's `memory:` list. */
function jobRegions(list: readonly JobMemoryRegion[]): LayoutRegion[] {
  return list.map((r, i) => ({
    name: r.name ?? `region${i}`,
    kind: layoutKind(r.kind),
    start: r.start,
    size: r.size,
    sectors: r.sectors ?? [{ size: r.sectorSize ?? r.size, count: r.sectorSize ? Math.floor(r.size / r.sectorSize) : 1 }],
  }));
}

function checkRegions(regions: readonly LayoutRegion[], where: string): void {
  regions.forEach((r, i) => {
    const covered = r.sectors.reduce((n, g) => n + g.size * g.count, 0);
    if (covered !== r.size) throw new FlashPlanError(`${where}.memory[${i}]: sectors cover ${covered} bytes but the region has ${r.size}; the sector table must cover it exactly`);
  });
}

function securityOf(job: FlashJob, ecu: FlashJobEcu, profile: EcuConfig | undefined, where: string): EcuSecurity | undefined {
  const fromProfile = profile?.security.levels.find((l) => l.level === profile.programming.securityLevel);
  const own = { ...job.security, ...(ecu.security ?? {}) };
  const level = own.level ?? fromProfile?.level ?? 0x01;
  const algorithm = own.algorithm ?? fromProfile?.algorithm ?? (own.module !== undefined ? moduleName(own.module) : undefined);
  const secret = own.secret !== undefined ? secretFromConfig(own.secret) : fromProfile?.secret ?? (own.module !== undefined ? new Uint8Array(0) : undefined);
  const keyLength = own.keyLength ?? fromProfile?.keyLength;
  const needed = [job.pre, job.programming, job.post, job.resume ?? []].some((steps) => steps.some((s) => s.step === 'securityAccess'));
  if (!needed) return undefined;
  if (algorithm === undefined || secret === undefined) {
    throw new FlashPlanError(
      `${where}: the job unlocks security access but ${algorithm === undefined ? 'no algorithm' : 'no secret'} is given; set security.algorithm and security.secret (in the job, the ECU entry, a profile: or --algorithm/--secret)`,
    );
  }
  return { level, algorithm, secret, ...(keyLength !== undefined ? { keyLength } : {}) };
}

function moduleName(spec: string): string {
  return `flash-job-module-${spec.replace(/[^A-Za-z0-9._-]/g, '_')}`.slice(0, 120);
}

async function loadModules(job: FlashJob): Promise<void> {
  for (const s of [job.security, ...job.ecus.map((e) => e.security ?? {})]) {
    if (s.module === undefined) continue;
    const hash = s.module.lastIndexOf('#');
    const file = hash > 0 ? s.module.slice(0, hash) : s.module;
    const exp = hash > 0 ? s.module.slice(hash + 1) : undefined;
    await loadSecurityAlgorithmModule({ name: s.algorithm ?? moduleName(s.module), module: file, ...(exp ? { export: exp } : {}) });
  }
}

function plannedFile(f: LoadedFirmware): PlannedFile {
  let c = 0;
  for (const s of f.image.segments) c = crc32(s.data, c);
  return { file: f.file, format: f.format, bytes: totalSize(f.image), segments: f.image.segments.length, crc32: c };
}

/** True when the profile's bootloader needs a downloaded flash driver (bootloader.flashDriver.required). */
function profileNeedsDriver(profile: EcuConfig | undefined): boolean {
  const boot = (profile as { bootloader?: { flashDriver?: { required?: boolean } } } | undefined)?.bootloader;
  return boot?.flashDriver?.required === true;
}

async function planDriver(
  job: FlashJob,
  ecu: FlashJobEcu,
  profile: EcuConfig | undefined,
  regions: readonly LayoutRegion[] | undefined,
  where: string,
  load: PlanOptions['loadFirmware'] & {},
): Promise<DriverPlan | undefined> {
  const d = { ...job.flashDriver, ...(ecu.flashDriver ?? {}) };
  if (d.file === undefined) {
    if (d.required || profileNeedsDriver(profile)) throw new FlashPlanError(`${where}.flashDriver.file: this ECU needs a flash driver in RAM before it can erase (flashDriver.required); give the driver file (udskit flash --driver FILE)`);
    return undefined;
  }
  const f = await load({ file: d.file, ...(d.format ? { format: d.format } : {}), ...(d.baseAddress !== undefined ? { baseAddress: d.baseAddress, baseAddressBinaryOnly: true } : {}) });
  const segments = f.image.segments;
  if (regions && regions.some((r) => r.kind === 'ram')) placeSegments(segments, regions, 'ram', `${where}.flashDriver (${f.file})`);
  const first = segments[0] as Segment;
  const activate = d.activate ? { routineId: d.activate.routineId, address: d.activate.address ?? f.image.startAddress ?? f.vbf?.call ?? first.address } : undefined;
  return { file: f.file, segments, bytes: totalSize(f.image), check: d.check ?? true, ...(activate ? { activate } : {}) };
}

function blocksFor(job: FlashJob, image: FirmwareImage, files: readonly LoadedFirmware[], regions: readonly LayoutRegion[] | undefined, where: string): PlanBlock[] {
  const what = `${where}.firmware (${files.map((f) => f.file).join(', ')})`;
  switch (job.erase.strategy) {
    case 'sectors':
      if (!regions) {
        throw new FlashPlanError(`${where}: erase.strategy sectors needs the ECU's sector table: give ${where}.memory or ${where}.profile (or --profile / --sector-size), or use erase.strategy segments`);
      }
      return sectorBlocks(image.segments, regions, what);
    case 'vbf': {
      const erase = files.flatMap((f) => (f.vbf?.erase ?? []).map((r) => ({ address: r.start, size: r.length })));
      return vbfBlocks(image.segments, erase, regions, what);
    }
    case 'segments':
      return segmentBlocks(image.segments, regions, what);
    default:
      return noEraseBlocks(image.segments, regions, what);
  }
}

/** Plans ECU `i` of `job`. */
async function planEcu(job: FlashJob, i: number, options: Required<PlanOptions>): Promise<EcuPlan> {
  const ecu = job.ecus[i] as FlashJobEcu;
  const where = `ecus[${i}]`;
  const profile = ecu.profile !== undefined ? options.loadProfile(ecu.profile) : undefined;
  const regions: LayoutRegion[] | undefined = ecu.memory
    ? jobRegions(ecu.memory)
    : profile
      ? profile.memory.map((r) => ({ name: r.name, kind: layoutKind(r.kind, 'protected' in r && r.protected === true), start: r.start, size: r.size, sectors: r.sectors }))
      : job.memory
        ? jobRegions(job.memory)
        : undefined;
  if (regions) checkRegions(regions, where);
  const hasProgram = job.programming.some((s) => s.step === 'program');
  if (hasProgram && ecu.firmware.length === 0) throw new FlashPlanError(`${where}.firmware: no firmware file for ECU 0x${ecu.address.toString(16).toUpperCase()}; add at least one { file: ... }`);
  if (!hasProgram && ecu.firmware.length > 0) throw new FlashPlanError(`${where}.firmware: the job has no program step in programming:, so its firmware would never be written`);
  const files = await Promise.all(ecu.firmware.map((f) => options.loadFirmware({ file: f.file, format: f.format, baseAddress: f.baseAddress, offset: f.offset, range: f.range })));
  const image = files.length > 0 ? mergeImages(files.map((f) => f.image)) : { segments: [] };
  const blocks = files.length > 0 ? blocksFor(job, image, files, regions, where) : [];
  const driver = await planDriver(job, ecu, profile, regions, where, options.loadFirmware);
  const security = securityOf(job, ecu, profile, where);
  const variables = { testerSerial: `UDSKIT-${job.connection.testerAddress.toString(16).toUpperCase().padStart(4, '0')}`, ...job.variables, ...(ecu.variables ?? {}) };
  return {
    address: ecu.address,
    name: ecu.name ?? profile?.name ?? `ecu-${ecu.address.toString(16).toUpperCase().padStart(4, '0')}`,
    host: ecu.host ?? job.connection.host,
    port: ecu.port ?? job.connection.port,
    ...(regions ? { regions } : {}),
    files: files.map(plannedFile),
    blocks,
    totalBytes: blocks.reduce((n, b) => n + b.bytes, 0),
    ...(driver ? { driver } : {}),
    ...(security ? { security } : {}),
    variables,
  };
}

/**
 * Plans `job`: loads the seed/key modules, the profiles and the files, checks every file against the
 * ECU's memory map and computes the erase blocks. Throws `FlashPlanError` (or the firmware readers'
 * errors) naming the ECU entry, the file and what to change.
 */
export async function planFlashJob(job: FlashJob, options: PlanOptions = {}): Promise<FlashPlan> {
  if (job.ecus.length === 0) throw new FlashPlanError('ecus: the job names no ECU; add ecus: [{ address: 0x1010, firmware: [{ file: app.s19 }] }] (or use udskit flash --ecu)');
  const problems = jobTemplateProblems(job);
  if (problems.length > 0) throw new FlashPlanError(`the job's byte values are invalid:\n  - ${problems.join('\n  - ')}`, { problems });
  await loadModules(job);
  const resolved: Required<PlanOptions> = {
    loadFirmware: options.loadFirmware ?? loadFirmware,
    loadProfile: options.loadProfile ?? ((ref) => loadEcuProfile(ref)),
  };
  const ecus: EcuPlan[] = [];
  for (let i = 0; i < job.ecus.length; i++) ecus.push(await planEcu(job, i, resolved));
  return { job, ecus };
}
