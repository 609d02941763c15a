/** `udskit discover`: DoIP vehicle identification (UDP unicast) and entity status, by default on 127.0.0.1. */
import type { Command } from 'commander';
import { hexNum, toHex } from '../../core/hex.js';
import { identifyVehicles, requestEntityStatus } from '../../doip/discovery.js';
import { intOption } from '../options.js';
import { printJson, reportError } from '../output.js';

interface DiscoverOptions {
  host: string;
  port: number;
  timeout: number;
  vin?: string;
  eid?: string;
  json?: boolean;
}

/** Registers `discover` on the program. */
export function registerDiscover(program: Command): void {
  program
    .command('discover')
    .description('ask a DoIP entity to identify itself (vehicle identification request over UDP unicast)')
    .option('--host <address>', 'address of the DoIP entity (unicast only)', '127.0.0.1')
    .option('--port <port>', 'UDP port', intOption('--port', 1, 65535), 13400)
    .option('--timeout <ms>', 'how long to wait for answers', intOption('--timeout', 1, 60000), 1000)
    .option('--vin <vin>', 'only the vehicle with this VIN (request 0x0003)')
    .option('--eid <hex>', 'only the entity with this EID (request 0x0002)')
    .option('--json', 'print one JSON object')
    .action(async (opts: DiscoverOptions) => {
      try {
        const found = await identifyVehicles({
          host: opts.host,
          port: opts.port,
          timeoutMs: opts.timeout,
          ...(opts.vin ? { vin: opts.vin } : {}),
          ...(opts.eid ? { eid: opts.eid } : {}),
        });
        const status = found.length > 0 ? await requestEntityStatus({ host: opts.host, port: opts.port, timeoutMs: opts.timeout }).catch(() => undefined) : undefined;
        if (opts.json) {
          printJson({ ok: true, vehicles: found, entityStatus: status });
        } else if (found.length === 0) {
          process.stdout.write(`no DoIP entity answered on udp://${opts.host}:${opts.port} within ${opts.timeout} ms (is "udskit sim" running?)\n`);
          process.exitCode = 1;
        } else {
          for (const v of found) {
            process.stdout.write(
              `VIN ${v.vin}  logical address ${hexNum(v.logicalAddress)}  EID ${toHex(v.eid, ':')}  GID ${toHex(v.gid, ':')}  further action 0x${v.furtherActionRequired.toString(16).padStart(2, '0')}  at ${v.address}:${v.port}\n`,
            );
          }
          if (status) process.stdout.write(`entity status: ${JSON.stringify(status)}\n`);
        }
      } catch (e) {
        reportError(e, opts.json === true);
      }
    });
}
