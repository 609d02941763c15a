/** Probes of 38 RequestFileTransfer (ISO 14229-1:2020 15.6) on the ECU's file area (profile `files`). */
import { requestFileTransfer } from '../../../../src/uds/codec/0x38-request-file-transfer.js';
import { nrc, positivePrefix, type Probe, type ProbeBuilder } from './types.js';

/** A file name the profile's initial files do not use. */
const MISSING = 'conformance/missing.bin';
/** The file the AddFile probe creates. */
const NEW_FILE = 'conformance-new.bin';

/**
 * ReadDir of the root (78 05 ...), ReadFile / DeleteFile of a missing file (0x31), ResumeFile without an
 * interrupted download (0x24), AddFile of 16 bytes (78 01 ..., 0x70 when larger than maxFileSize).
 */
export const requestFileTransferProbes: ProbeBuilder = (env) => {
  const files = env.config.files;
  const exists = (path: string): boolean => files.initial.some((f) => f.path.replace(/^\/+/, '') === path);
  const encode = (req: Parameters<typeof requestFileTransfer.encodeRequest>[0]): Uint8Array => requestFileTransfer.encodeRequest(req);
  const probes: Probe[] = [
    {
      label: '38 05 "/" (ReadDir root)',
      request: encode({ modeOfOperation: 0x05, filePathAndName: '/' }),
      mutates: true,
      outcome: () => positivePrefix(0x78, 0x05),
    },
    {
      label: '38 06 (ResumeFile, nothing interrupted)',
      request: encode({ modeOfOperation: 0x06, filePathAndName: NEW_FILE, dataFormatIdentifier: 0, fileSizeUncompressed: 16, fileSizeCompressed: 16 }),
      mutates: false,
      // ISO 14229-1:2020 15.6.4 NRC 0x24 — no interrupted download of this path to resume.
      outcome: () => nrc(0x24),
    },
    {
      label: `38 01 "${NEW_FILE}" 16 bytes (AddFile)`,
      request: encode({ modeOfOperation: 0x01, filePathAndName: NEW_FILE, dataFormatIdentifier: 0, fileSizeUncompressed: 16, fileSizeCompressed: 16 }),
      mutates: true,
      // ISO 14229-1:2020 15.6.4 NRC 0x70 — the server cannot take a file this large.
      outcome: () => (exists(NEW_FILE) ? nrc(0x31) : 16 > files.maxFileSize ? nrc(0x70) : positivePrefix(0x78, 0x01)),
    },
  ];
  if (!exists(MISSING)) {
    probes.push(
      {
        label: `38 04 "${MISSING}" (ReadFile, no such file)`,
        request: encode({ modeOfOperation: 0x04, filePathAndName: MISSING, dataFormatIdentifier: 0 }),
        mutates: false,
        // ISO 14229-1:2020 15.6.4 NRC 0x31 — filePathAndName names no file.
        outcome: () => nrc(0x31),
      },
      {
        label: `38 02 "${MISSING}" (DeleteFile, no such file)`,
        request: encode({ modeOfOperation: 0x02, filePathAndName: MISSING }),
        mutates: false,
        outcome: () => nrc(0x31),
      },
    );
  }
  const first = files.initial[0];
  if (first) {
    probes.push({
      label: `38 04 "${first.path}" (ReadFile)`,
      request: encode({ modeOfOperation: 0x04, filePathAndName: first.path, dataFormatIdentifier: 0 }),
      mutates: true,
      outcome: () => positivePrefix(0x78, 0x04),
    });
  }
  return probes;
};
