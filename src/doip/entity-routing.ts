/**
 * Routing activation on a DoIP entity (ISO 13400-2:2019, routing activation handler and TCP_DATA
 * socket handler), in the handler's order:
 *
 * 1. source address not accepted -> 0x00, close the socket;
 * 2. activation type not supported (only 0x00 default, 0x01 WWH-OBD, 0xE0 central security) -> 0x06, close;
 * 3. entity configured "TLS required" and this is plain TCP -> 0x07 (socket kept; the tester moves to TLS);
 * 4. socket already activated: same address -> 0x10 again, another address -> 0x02, close;
 * 5. address active on another socket -> alive check that socket: answered -> 0x03, close;
 *    silent -> close the old socket and go on;
 * 6. all sockets registered -> alive check every registered socket: all answer -> 0x01, close;
 *    otherwise close the silent ones and go on;
 * 7. 0x10, routing activated; the response carries the entity's logical address.
 *
 * Steps 5 and 6 wait for alive checks, so they run one activation at a time across the entity.
 */
import { hexNum } from '../core/hex.js';
import { ActivationType, RoutingActivationCode, isRoutingActivationSuccess, routingActivationInfo } from './codes.js';
import type { EntityConnection } from './entity-connection.js';
import type { EntityCore } from './entity-core.js';
import type { RoutingActivationRequestMessage } from './routing-activation.js';

/** Activation types this entity supports. */
export const SUPPORTED_ACTIVATION_TYPES: ReadonlySet<number> = new Set([
  ActivationType.default,
  ActivationType.wwhObd,
  ActivationType.centralSecurity,
]);

/** Codes after which the socket is closed (the others keep it open). */
const CLOSING_CODES: ReadonlySet<number> = new Set([
  RoutingActivationCode.unknownSourceAddress,
  RoutingActivationCode.allSocketsRegistered,
  RoutingActivationCode.differentSourceAddress,
  RoutingActivationCode.sourceAddressAlreadyActive,
  RoutingActivationCode.unsupportedActivationType,
]);

/** Handles a routing activation request; returns a promise when the answer waits for alive checks. */
export function handleRoutingActivation(core: EntityCore, conn: EntityConnection, req: RoutingActivationRequestMessage): Promise<void> | void {
  const sa = req.sourceAddress;
  const o = core.options;
  if (!o.acceptsTester(sa)) return respond(core, conn, req, RoutingActivationCode.unknownSourceAddress);
  if (!SUPPORTED_ACTIVATION_TYPES.has(req.activationType)) return respond(core, conn, req, RoutingActivationCode.unsupportedActivationType);
  if (o.requireTls) return respond(core, conn, req, RoutingActivationCode.tlsRequired);
  if (conn.testerAddress !== undefined) {
    return respond(core, conn, req, conn.testerAddress === sa ? RoutingActivationCode.success : RoutingActivationCode.differentSourceAddress);
  }
  return core.serializeActivation(async () => {
    if (conn.closed) return;
    const code = await socketHandler(core, conn, sa);
    if (!conn.closed) respond(core, conn, req, code);
  });
}

async function socketHandler(core: EntityCore, conn: EntityConnection, sa: number): Promise<number> {
  const other = core.findActive(sa, conn);
  if (other) {
    if (await other.aliveCheck()) return RoutingActivationCode.sourceAddressAlreadyActive;
    other.close(`no alive check response; tester ${hexNum(sa)} activated routing on another socket`);
  }
  const registered = core.registeredConnections(conn);
  if (registered.length >= core.options.maxTcpSockets) {
    const answers = await Promise.all(registered.map((c) => c.aliveCheck()));
    let freed = 0;
    registered.forEach((c, i) => {
      if (!answers[i]) {
        c.close('no alive check response while every socket was registered');
        freed++;
      }
    });
    if (freed === 0) return RoutingActivationCode.allSocketsRegistered;
  }
  return RoutingActivationCode.success;
}

function respond(core: EntityCore, conn: EntityConnection, req: RoutingActivationRequestMessage, code: number): void {
  const sa = req.sourceAddress;
  conn.send({ kind: 'routingActivationResponse', testerAddress: sa, entityAddress: core.options.logicalAddress, code });
  const info = routingActivationInfo(code);
  core.emit('activation', { connectionId: conn.id, testerAddress: sa, activationType: req.activationType, code, codeName: info.name });
  if (isRoutingActivationSuccess(code)) {
    conn.activate(sa);
    core.options.logger.info('DoIP routing activated', { connection: conn.id, tester: hexNum(sa) });
    return;
  }
  core.options.logger.info('DoIP routing activation refused', { connection: conn.id, tester: hexNum(sa), code: info.name });
  if (CLOSING_CODES.has(code)) conn.close(`routing activation refused with ${hexNum(code, 2)} ${info.name}`);
}
