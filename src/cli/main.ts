#!/usr/bin/env node
/**
 * The `udskit` command line. Each command lives in its own module under commands/; only the module of the
 * command being run is loaded (a `udskit image convert` does not pay for the simulator, the flash engine
 * and the DoIP stack), every module when the command is unknown or help is asked for the whole program.
 */
import { Command } from 'commander';

type Register = (program: Command) => void;

/** Command name -> loader of its module's register function, in the order `udskit --help` lists them. */
const COMMANDS: Record<string, () => Promise<Register>> = {
  sim: async () => (await import('./commands/sim.js')).registerSim,
  ctl: async () => (await import('./commands/ctl.js')).registerCtl,
  profile: async () => (await import('./commands/profile.js')).registerProfile,
  discover: async () => (await import('./commands/discover.js')).registerDiscover,
  send: async () => (await import('./commands/send.js')).registerSend,
  session: async () => (await import('./commands/session.js')).registerSession,
  reset: async () => (await import('./commands/reset.js')).registerReset,
  'read-did': async () => (await import('./commands/read-did.js')).registerReadDid,
  'write-did': async () => (await import('./commands/write-did.js')).registerWriteDid,
  routine: async () => (await import('./commands/routine.js')).registerRoutine,
  'io-control': async () => (await import('./commands/io-control.js')).registerIoControl,
  dtc: async () => (await import('./commands/dtc.js')).registerDtc,
  'read-memory': async () => (await import('./commands/read-memory.js')).registerReadMemory,
  flash: async () => (await import('./commands/flash.js')).registerFlash,
  dump: async () => (await import('./commands/dump.js')).registerDump,
  image: async () => (await import('./commands/image.js')).registerImage,
  demo: async () => (await import('./commands/demo.js')).registerDemo,
};

const program = new Command();
program
  .name('udskit')
  .description('Automotive diagnostics: a simulated DoIP/UDS vehicle, a UDS tester, flashing')
  .version('0.1.0')
  .showHelpAfterError('(run "udskit <command> --help" for the options)');

const name = process.argv[2];
const load = name !== undefined ? COMMANDS[name] : undefined;
for (const loader of load ? [load] : Object.values(COMMANDS)) (await loader())(program);

await program.parseAsync(process.argv);
