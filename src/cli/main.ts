#!/usr/bin/env node
/** The `udskit` command line. */
import { Command } from 'commander';
import { registerDemo } from './commands/demo.js';
import { registerDiscover } from './commands/discover.js';
import { registerSend } from './commands/send.js';
import { registerSim } from './commands/sim.js';

const program = new Command();
program
  .name('udskit')
  .description('Automotive diagnostics: a simulated DoIP/UDS vehicle, a UDS tester, flashing')
  .version('0.1.0')
  .showHelpAfterError('(run "udskit <command> --help" for the options)');

registerSim(program);
registerDiscover(program);
registerSend(program);
registerDemo(program);

await program.parseAsync(process.argv);
