#!/usr/bin/env node
/** The `udskit` command line. */
import { Command } from 'commander';
import { registerCtl } from './commands/ctl.js';
import { registerDemo } from './commands/demo.js';
import { registerDiscover } from './commands/discover.js';
import { registerDtc } from './commands/dtc.js';
import { registerDump } from './commands/dump.js';
import { registerFlash } from './commands/flash.js';
import { registerImage } from './commands/image.js';
import { registerIoControl } from './commands/io-control.js';
import { registerReadMemory } from './commands/read-memory.js';
import { registerReadDid } from './commands/read-did.js';
import { registerReset } from './commands/reset.js';
import { registerRoutine } from './commands/routine.js';
import { registerSend } from './commands/send.js';
import { registerSession } from './commands/session.js';
import { registerProfile } from './commands/profile.js';
import { registerSim } from './commands/sim.js';
import { registerWriteDid } from './commands/write-did.js';

const program = new Command();
program
  .name('udskit')
  .description('Automotive diagnostics: a simulated DoIP/UDS vehicle, a UDS tester, flashing')
  .version('0.1.0')
  .showHelpAfterError('(run "udskit <command> --help" for the options)');

registerSim(program);
registerCtl(program);
registerProfile(program);
registerDiscover(program);
registerSend(program);
registerSession(program);
registerReset(program);
registerReadDid(program);
registerWriteDid(program);
registerRoutine(program);
registerIoControl(program);
registerDtc(program);
registerReadMemory(program);
registerFlash(program);
registerDump(program);
registerImage(program);
registerDemo(program);

await program.parseAsync(process.argv);
