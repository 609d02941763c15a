/**
 * Diagnostic message routing on a DoIP entity (ISO 13400-2:2019, diagnostic message handler), in
 * the handler's order: source address not the one activated on this socket -> NACK 02 and close;
 * unknown target -> NACK 03; larger than the target takes -> NACK 04; target unreachable -> NACK 06;
 * otherwise ACK 0x8002 first, then hand the UDS bytes to the node(s). The node's response comes
 * back later through its link's `send`.
 *
 * A functional target reaches every node listening on it: one ACK, one 8001 per answering node.
 */
import type { Addressing } from '../core/link.js';
import { hexNum } from '../core/hex.js';
import { DIAGNOSTIC_ACK_CODE, DiagnosticNackCode, diagnosticNackInfo } from './codes.js';
import type { DiagnosticMessage } from './diagnostic-message.js';
import type { EntityConnection } from './entity-connection.js';
import type { EntityCore } from './entity-core.js';
import type { DoipNodeLink } from './entity-node-link.js';

/** Routes one diagnostic message received on `conn`. */
export function routeDiagnosticMessage(core: EntityCore, conn: EntityConnection, m: DiagnosticMessage): void {
  const o = core.options;
  const sa = m.sourceAddress;
  const ta = m.targetAddress;
  const echo = o.ackEchoBytes > 0 ? m.data.slice(0, o.ackEchoBytes) : new Uint8Array(0);
  const nack = (code: number): void => nackDiagnostic(core, conn, m, code, echo);

  if (conn.testerAddress === undefined || sa !== conn.testerAddress) {
    nack(DiagnosticNackCode.invalidSourceAddress);
    conn.close(
      conn.testerAddress === undefined
        ? `diagnostic message before routing activation (source ${hexNum(sa)})`
        : `diagnostic message with source ${hexNum(sa)} on the socket of tester ${hexNum(conn.testerAddress)}`,
    );
    return;
  }

  let targets: DoipNodeLink[];
  let addressing: Addressing;
  if (o.functionalAddresses.has(ta)) {
    const listening = core.nodeList().filter((n) => n.functionalAddresses.has(ta));
    if (listening.length === 0) return nack(DiagnosticNackCode.unknownTargetAddress);
    const fitting = listening.filter((n) => m.data.length <= n.maxRequestSize);
    if (fitting.length === 0) return nack(DiagnosticNackCode.diagnosticMessageTooLarge);
    targets = fitting.filter((n) => n.isReachable());
    if (targets.length === 0) return nack(DiagnosticNackCode.targetUnreachable);
    addressing = 'functional';
  } else {
    const node = core.nodes.get(ta);
    if (!node) return nack(DiagnosticNackCode.unknownTargetAddress);
    if (m.data.length > node.maxRequestSize) return nack(DiagnosticNackCode.diagnosticMessageTooLarge);
    if (!node.isReachable()) return nack(DiagnosticNackCode.targetUnreachable);
    targets = [node];
    addressing = 'physical';
  }

  conn.send({ kind: 'diagnosticMessageAck', sourceAddress: ta, targetAddress: sa, code: DIAGNOSTIC_ACK_CODE, echo });
  if (core.listens('diagnostic')) core.emit('diagnostic', { connectionId: conn.id, source: sa, target: ta, length: m.data.length, addressing });
  for (const node of targets) {
    node.deliver({ source: sa, target: ta, addressing, data: targets.length > 1 ? m.data.slice() : m.data });
  }
}

/** Answers `m` with diagnostic NACK `code` and reports it. */
function nackDiagnostic(core: EntityCore, conn: EntityConnection, m: DiagnosticMessage, code: number, echo: Uint8Array): void {
  const sa = m.sourceAddress;
  const ta = m.targetAddress;
  conn.send({ kind: 'diagnosticMessageNack', sourceAddress: ta, targetAddress: sa, code, echo });
  const info = diagnosticNackInfo(code);
  core.emit('nack', { connectionId: conn.id, kind: 'diagnostic', code, name: info.name, reason: `${hexNum(sa)} -> ${hexNum(ta)}: ${info.meaning}` });
}
