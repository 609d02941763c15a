/**
 * The connection every command that talks to an ECU shares: the options `--ecu --host --port --tester
 * --timeout` (each also read from an environment variable) and the DoIP client + UDS client + Tester
 * they open, closed again when the command ends.
 */
import { Option, type Command } from 'commander';
import { DoipClient } from '../doip/client.js';
import { Tester } from '../tester/tester.js';
import { UdsClient } from '../uds/client/uds-client.js';
import { addressOption, intOption, type ConnectionOptions } from './options.js';

/** The parsed connection options of a command. */
export interface ConnectionCliOptions extends ConnectionOptions {
  /** Logical address of the target ECU (`--ecu`). */
  ecu: number;
}

/** What {@link addConnectionOptions} may change per command. */
export interface ConnectionOptionsHelp {
  /** Help text of `--ecu`. */
  ecu?: string;
}

/**
 * Adds `--ecu` (required; env `UDSKIT_ECU`), `--host` (default 127.0.0.1; env `UDSKIT_HOST`), `--port`
 * (default 13400; env `UDSKIT_PORT`), `--tester` (default 0x0E00; env `UDSKIT_TESTER`) and `--timeout`
 * (P2 client override in ms) to `cmd`.
 */
export function addConnectionOptions(cmd: Command, help: ConnectionOptionsHelp = {}): Command {
  const group = cmd.optionsGroup();
  return cmd
    .optionsGroup('Connection options:')
    .addOption(
      new Option('--ecu <address>', help.ecu ?? 'logical address of the target ECU, e.g. 0x1010')
        .argParser(addressOption('--ecu'))
        .env('UDSKIT_ECU')
        .makeOptionMandatory(),
    )
    .addOption(new Option('--host <address>', 'DoIP entity address').default('127.0.0.1').env('UDSKIT_HOST'))
    .addOption(new Option('--port <port>', 'DoIP TCP port').argParser(intOption('--port', 1, 65535)).default(13400).env('UDSKIT_PORT'))
    .addOption(
      new Option('--tester <address>', 'tester logical address (commands running at the same time need different ones)')
        .argParser(addressOption('--tester'))
        .default(0x0e00, '0x0E00')
        .env('UDSKIT_TESTER'),
    )
    .option('--timeout <ms>', 'P2 client override in ms (how long to wait for each response)', intOption('--timeout', 1, 600000))
    .optionsGroup(group);
}

/** An open connection to one ECU. */
export interface CliConnection {
  /** The DoIP connection to the entity (routing activated). */
  readonly doip: DoipClient;
  /** The UDS client of the target ECU. */
  readonly client: UdsClient;
  /** The high-level tester on that client (sessions with TesterPresent, unlock). */
  readonly tester: Tester;
  /** Stops the keep-alive and closes the UDS client and the DoIP connection. */
  close(): Promise<void>;
}

/** Settings of {@link openConnection} that are not command-line options. */
export interface OpenConnectionSettings {
  /** Address of `UdsClient.requestFunctional` (default the client's, 0xE400). */
  functionalTarget?: number;
}

/**
 * Connects to the DoIP entity, activates routing and opens a UDS client and a Tester for `opts.ecu`.
 * The Tester's TesterPresent keep-alive (started when a command enters a non-default session) is sent
 * physically to that ECU only, so a command never holds other ECUs in their sessions.
 */
export async function openConnection(opts: ConnectionCliOptions, settings: OpenConnectionSettings = {}): Promise<CliConnection> {
  const doip = await DoipClient.connect({ host: opts.host, port: opts.port, testerAddress: opts.tester });
  let client: UdsClient;
  try {
    client = new UdsClient(doip, {
      target: opts.ecu,
      ...(settings.functionalTarget !== undefined ? { functionalTarget: settings.functionalTarget } : {}),
      ...(opts.timeout !== undefined ? { p2ClientMs: opts.timeout } : {}),
    });
  } catch (e) {
    await doip.close();
    throw e;
  }
  const tester = new Tester(client, { keepAlive: { functional: false } });
  return {
    doip,
    client,
    tester,
    async close() {
      await client.close();
      await doip.close();
    },
  };
}

/** Opens a connection, runs `fn` with it and closes it, whatever `fn` does. */
export async function withConnection<T>(
  opts: ConnectionCliOptions,
  fn: (c: CliConnection) => Promise<T>,
  settings: OpenConnectionSettings = {},
): Promise<T> {
  const conn = await openConnection(opts, settings);
  try {
    return await fn(conn);
  } finally {
    await conn.close();
  }
}
