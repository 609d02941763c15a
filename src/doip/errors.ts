/**
 * DoIP errors. All are `LinkError`s (the transport refused or lost the message), each with its
 * own stable `code`, the ISO code as data, its name and a hint saying what to do.
 */
import { LinkError } from '../core/errors.js';
import { hexByte, hexNum } from '../core/hex.js';
import { diagnosticNackInfo, genericNackInfo, routingActivationInfo } from './codes.js';

/** The entity refused the routing activation (payload 0x0006 with a code other than 0x10/0x11). */
export class RoutingActivationError extends LinkError {
  override readonly code = 'UDSKIT_DOIP_ROUTING';
  /** Routing activation response code, e.g. 0x00. */
  readonly activationCode: number;
  /** ISO name of the code, e.g. `unknownSourceAddress`. */
  readonly activationCodeName: string;
  /** What to do about it. */
  readonly hint: string;

  constructor(activationCode: number, details: { testerAddress: number; entityAddress?: number }) {
    const info = routingActivationInfo(activationCode);
    super(
      `DoIP routing activation for tester ${hexNum(details.testerAddress)} refused with 0x${hexByte(activationCode)} ${info.name}: ${info.meaning}; ${info.hint}`,
      { activationCode, name: info.name, hint: info.hint, ...details },
    );
    this.activationCode = activationCode;
    this.activationCodeName = info.name;
    this.hint = info.hint;
  }
}

/** The entity refused a diagnostic message with 0x8003. */
export class DiagnosticNackError extends LinkError {
  override readonly code = 'UDSKIT_DOIP_NACK';
  /** Diagnostic NACK code, e.g. 0x03. */
  readonly nackCode: number;
  /** ISO name of the NACK code, e.g. `unknownTargetAddress`. */
  readonly nackName: string;
  /** What to do about it. */
  readonly hint: string;

  constructor(nackCode: number, details: { source: number; target: number }) {
    const info = diagnosticNackInfo(nackCode);
    super(
      `DoIP diagnostic message from ${hexNum(details.source)} to ${hexNum(details.target)} refused with NACK 0x${hexByte(nackCode)} ${info.name}: ${info.meaning}; ${info.hint}`,
      { nackCode, name: info.name, hint: info.hint, ...details },
    );
    this.nackCode = nackCode;
    this.nackName = info.name;
    this.hint = info.hint;
  }
}

/** The peer rejected a message's header with a generic DoIP header NACK (0x0000). */
export class HeaderNackError extends LinkError {
  override readonly code = 'UDSKIT_DOIP_HEADER_NACK';
  /** Generic header NACK code, e.g. 0x02. */
  readonly nackCode: number;
  /** ISO name of the code, e.g. `messageTooLarge`. */
  readonly nackName: string;
  /** What to do about it. */
  readonly hint: string;

  constructor(nackCode: number, details: Record<string, unknown> = {}) {
    const info = genericNackInfo(nackCode);
    super(`DoIP generic header NACK 0x${hexByte(nackCode)} ${info.name}: ${info.meaning}; ${info.hint}`, {
      nackCode,
      name: info.name,
      hint: info.hint,
      ...details,
    });
    this.nackCode = nackCode;
    this.nackName = info.name;
    this.hint = info.hint;
  }
}

/** The peer sent a frame this side cannot accept (wrong version, bad length); the connection is closed. */
export class DoipProtocolError extends LinkError {
  override readonly code = 'UDSKIT_DOIP_PROTOCOL';

  constructor(message: string, details: Record<string, unknown> = {}) {
    super(message, details);
  }
}
