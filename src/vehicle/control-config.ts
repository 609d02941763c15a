/**
 * The `control:` key of the vehicle file: the simulator's HTTP control API (docs/control-api.md), off
 * unless a port is given. It only ever listens on the loopback interface.
 *
 * ```yaml
 * control: { port: 13480 }        # 0 = any free port; host 127.0.0.1 (or ::1)
 * ```
 */
import { z } from 'zod';
import { InvalidArgumentError } from '../core/errors.js';

/** Hosts the control API may listen on and be reached at: loopback only (the project's network rule). */
export const CONTROL_HOSTS = ['127.0.0.1', '::1'] as const;

/** A host the control API may use. */
export type ControlHost = (typeof CONTROL_HOSTS)[number];

/** Schema of the `control:` section. */
export const controlConfigSchema = z
  .strictObject({
    /** TCP port of the control API, 0 = any free port. */
    port: z.number().int().min(0).max(65535).meta({ description: 'TCP port of the control API (0 = any free port)' }),
    /** Loopback address to listen on. */
    host: z
      .enum(CONTROL_HOSTS, { error: 'the control API listens on 127.0.0.1 or ::1 only' })
      .default('127.0.0.1')
      .meta({ description: 'loopback address to listen on: 127.0.0.1 or ::1' }),
  })
  .meta({ description: 'the HTTP control API (docs/control-api.md): ECU state, vehicle conditions, power cycles, faults; off when absent' });

/** The parsed `control:` section. */
export type ControlConfig = z.output<typeof controlConfigSchema>;

/** Returns `host` when the control API may use it; throws `InvalidArgumentError` naming the allowed hosts otherwise. */
export function assertControlHost(host: string): ControlHost {
  const found = CONTROL_HOSTS.find((h) => h === host);
  if (found === undefined) {
    throw new InvalidArgumentError(
      `the control API listens on the loopback interface only (127.0.0.1 or ::1), not on "${host}": it can power-cycle ECUs and inject faults`,
      { field: 'control.host', host },
    );
  }
  return found;
}

/** Returns `port` when it is a TCP port number (0 = any free port); throws `InvalidArgumentError` otherwise. */
export function assertControlPort(port: number): number {
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new InvalidArgumentError(`the control API port must be 0..65535 (0 = any free port), got ${port}`, { field: 'control.port', port });
  }
  return port;
}
