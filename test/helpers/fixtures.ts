import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Read a captured VBoxManage output from test/fixtures/vboxmanage, byte for byte. */
export function fixture(name: string): string {
  return readFileSync(fileURLToPath(new URL(`../fixtures/vboxmanage/${name}`, import.meta.url)), 'utf8');
}
