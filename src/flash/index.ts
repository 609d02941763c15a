/**
 * Flash jobs (issue 6): the job model and its templates, the plan (files checked against the ECU's
 * memory map, erase blocks), the engine (pre / programming / post, parallel ECUs, recovery, progress,
 * report) and firmware dumps.
 */
export { flashJobSchema, parseFlashJob, type FlashJob, type FlashJobInput, type FlashJobEcu, type JobMemoryRegion, type JobFirmware, type JobFlashDriver, type JobSecurity, type JobFingerprint } from './job-schema.js';
export { stepSchema, type FlashStep, type FlashStepInput, type FlashStepKind } from './job-steps.js';
export { flashJobJsonSchema } from './job-json-schema.js';
export { loadFlashJob, resolveFlashJob, listTemplates, resolveTemplatePath, SHIPPED_TEMPLATES_DIR, type TemplateInfo, type ResolveJobOptions } from './job-files.js';
export { chooseTemplate, type ChooseTemplateInput, type TemplateChoice } from './templates.js';
export { expandBytes, fitLength, placeholdersOf, templateProblems, BUILT_IN_PLACEHOLDERS, type BytesTemplate, type PlaceholderContext } from './placeholders.js';
export { loadFirmware, parseFirmware, FirmwareFileError, type FirmwareSource, type LoadedFirmware, type VbfInfo } from './firmware-files.js';
export { planFlashJob, type FlashPlan, type EcuPlan, type DriverPlan, type EcuSecurity, type PlannedFile, type PlanOptions } from './plan.js';
export { sectorBlocks, segmentBlocks, vbfBlocks, noEraseBlocks, placeSegments, sectorsOf, type LayoutRegion, type PlanBlock, type BlockRange } from './memory-layout.js';
export { FlashEngine, type FlashEngineOptions, type FlashEngineEvents } from './engine.js';
export { ConnectionSlot, doipConnector, type Connector, type ConnectionTarget } from './connections.js';
export { FlashClient, type ExchangeSink } from './recording-client.js';
export { summarizeReport, type FlashReport, type EcuReport, type StepRecord, type ExchangeRecord, type FailureRecord, type FlashPhase } from './report.js';
export { ProgressTracker, type EcuProgress, type EcuActivity } from './progress.js';
export { FlashPlanError, FlashVerificationError, failureKind, exitCodeOf, type FailureKind } from './errors.js';
export { dumpMemory, UPLOAD_NOT_OFFERED, type DumpOptions, type DumpResult, type DumpMethod } from './dump.js';
