// Every command, in the order the overview lists them.
import type { Command } from '../command.js';
import { autopilot } from './autopilot.js';
import { defaultCommand } from './default.js';
import { host } from './host.js';
import { plan } from './plan.js';
import { prepare } from './prepare.js';
import { reclaim } from './reclaim.js';
import { restore } from './restore.js';
import { set } from './set.js';
import { status } from './status.js';
import { giveBack } from './give-back.js';
import { start } from './start.js';
import { config } from './config.js';
import { service } from './service.js';
import { simulate } from './simulate.js';
import { completion } from './completion.js';
import { version } from './version.js';

/** The commands. */
export const COMMANDS: readonly Command[] = [status, set, defaultCommand, prepare, reclaim, restore, start, giveBack, plan, autopilot, host, config, service, simulate, completion, version];
