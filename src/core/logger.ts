/** A minimal levelled logger. Components take a `Logger` option; the default writes nothing. */

/** Log levels, most severe first. */
export type LogLevel = 'error' | 'warn' | 'info' | 'debug';

/** What components log through. */
export interface Logger {
  error(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  debug(msg: string, fields?: Record<string, unknown>): void;
}

const order: Record<LogLevel, number> = { error: 0, warn: 1, info: 2, debug: 3 };

/** A logger that drops everything: the default of every component. */
export const silentLogger: Logger = { error() {}, warn() {}, info() {}, debug() {} };

/** A logger that writes `level message {fields}` lines to a stream (stderr by default) up to `level`. */
export function createConsoleLogger(level: LogLevel = 'info', stream: NodeJS.WritableStream = process.stderr): Logger {
  const write = (l: LogLevel, msg: string, fields?: Record<string, unknown>): void => {
    if (order[l] > order[level]) return;
    const extra = fields && Object.keys(fields).length > 0 ? ' ' + JSON.stringify(fields) : '';
    stream.write(`${new Date().toISOString()} ${l.padEnd(5)} ${msg}${extra}\n`);
  };
  return {
    error: (m, f) => write('error', m, f),
    warn: (m, f) => write('warn', m, f),
    info: (m, f) => write('info', m, f),
    debug: (m, f) => write('debug', m, f),
  };
}
