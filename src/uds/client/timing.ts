/**
 * The client's P2 / P2* timing (ISO 14229-2:2013 7.2, table 4) and its adoption from the
 * DiagnosticSessionControl response (ISO 14229-1:2020 10.2.3, sessionParameterRecord).
 */
import { readUintBE } from '../../core/bytes.js';

/** The two client timeouts in force. */
export interface ClientTimingValues {
  /** Wait for the first response to a request (P2client). */
  readonly p2ClientMs: number;
  /** Wait after each NRC 0x78 for the next response (P2*client). */
  readonly p2StarClientMs: number;
}

/** Mutable P2 / P2* state of one client. */
export class ClientTiming {
  private p2: number;
  private p2Star: number;

  constructor(
    initial: ClientTimingValues,
    private readonly margins: { p2MarginMs: number; p2StarMarginMs: number },
  ) {
    this.p2 = initial.p2ClientMs;
    this.p2Star = initial.p2StarClientMs;
  }

  /** The values in force. */
  get values(): ClientTimingValues {
    return { p2ClientMs: this.p2, p2StarClientMs: this.p2Star };
  }

  /** Sets both values (e.g. from a profile). */
  set(values: Partial<ClientTimingValues>): void {
    if (values.p2ClientMs !== undefined) this.p2 = values.p2ClientMs;
    if (values.p2StarClientMs !== undefined) this.p2Star = values.p2StarClientMs;
  }

  /**
   * Adopts P2server_max and P2*server_max from a positive 0x50 response (`50 SF P2(2) P2*(2)`,
   * P2 in 1 ms, P2* in 10 ms units — ISO 14229-1:2020 table 29). P2client = P2server_max + margin,
   * P2*client = P2*server_max + margin (ISO 14229-2:2013 7.2). Returns the new values, or undefined
   * when the response carries no timing record.
   */
  adoptFromSessionResponse(response: Uint8Array): ClientTimingValues | undefined {
    if (response.length < 6 || response[0] !== 0x50) return undefined;
    const p2Server = readUintBE(response, 2, 2);
    const p2StarServer = readUintBE(response, 4, 2) * 10;
    // A server reporting 0 ms would make every wait expire at once: keep at least 1 ms.
    this.p2 = Math.max(1, p2Server + this.margins.p2MarginMs);
    this.p2Star = Math.max(1, p2StarServer + this.margins.p2StarMarginMs);
    return this.values;
  }
}
