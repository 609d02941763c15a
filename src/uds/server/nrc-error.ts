/**
 * What a server-side service handler throws to refuse a request: the dispatcher turns it into the
 * negative response `7F SID NRC` (ISO 14229-1:2020 8.3).
 */
import { UdskitError } from '../../core/errors.js';
import { hexByte } from '../../core/hex.js';
import { nrcName } from '../codec/nrc.js';

/**
 * A handler's refusal of a request with negative response code `nrc`. Not a failure of the server:
 * the dispatcher answers `7F SID nrc` (or nothing, for the NRCs suppressed on functional requests).
 */
export class NrcError extends UdskitError {
  /** The negative response code to send. */
  readonly nrc: number;

  /**
   * @param nrc the negative response code (0x10..0xFF, not 0x78 which the dispatcher sends itself)
   * @param reason why, for logs (the NRC name is added)
   */
  constructor(nrc: number, reason?: string, details: Record<string, unknown> = {}) {
    const name = nrcName(nrc);
    super(`NRC 0x${hexByte(nrc)} ${name}${reason ? `: ${reason}` : ''}`, 'UDSKIT_SERVER_NRC', { nrc, nrcName: name, ...details });
    this.nrc = nrc;
  }
}
