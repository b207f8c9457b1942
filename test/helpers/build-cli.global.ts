// vitest globalSetup of the e2e project: build the vbox-balloon executable once for the whole run, before any file
// starts (files that built it in their own beforeAll raced each other into the same directory).
import { buildCli } from './cli.js';

export default function setup(): void {
  buildCli();
}
