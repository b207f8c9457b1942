import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import path from 'node:path';
import { err, ok, type Result } from 'neverthrow';
import { vboxManageNotFound, type VBoxManageNotFoundError } from '../errors/index.js';

/** Where to look for VBoxManage. @internal */
export interface LocateOptions {
  readonly vboxManagePath?: string | undefined;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly platform: NodeJS.Platform;
}

/** The directories VirtualBox installs VBoxManage into by default, for each platform. @internal */
export function standardDirs(platform: NodeJS.Platform, env: LocateOptions['env']): string[] {
  if (platform === 'win32') {
    return [env['VBOX_MSI_INSTALL_PATH'], env['VBOX_INSTALL_PATH'], 'C:\\Program Files\\Oracle\\VirtualBox'].filter(
      (d): d is string => d !== undefined && d !== '',
    );
  }
  if (platform === 'darwin') return ['/Applications/VirtualBox.app/Contents/MacOS'];
  return ['/usr/bin', '/usr/local/bin', '/usr/lib/virtualbox', '/opt/VirtualBox'];
}

async function isFolder(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isDirectory();
  } catch {
    return false;
  }
}

async function isFile(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}

async function isExecutable(file: string, platform: NodeJS.Platform): Promise<boolean> {
  if (platform === 'win32') return true;
  try {
    await access(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Find the VBoxManage executable: the `vboxManagePath` option, else `VBOXMANAGE_PATH`, else `PATH`, else the
 * standard install places. An explicit path (option or variable) is used alone: a wrong one is reported, never
 * silently replaced by another VBoxManage. @internal
 */
export async function locateVBoxManage(options: LocateOptions): Promise<Result<string, VBoxManageNotFoundError>> {
  const { platform, env } = options;
  const p = platform === 'win32' ? path.win32 : path.posix;
  const fromEnv = env['VBOXMANAGE_PATH'] === '' ? undefined : env['VBOXMANAGE_PATH'];
  const explicit = options.vboxManagePath ?? fromEnv;
  if (explicit !== undefined) {
    const source = options.vboxManagePath === undefined ? 'VBOXMANAGE_PATH' : 'option';
    if (await isFolder(explicit)) return err(vboxManageNotFound([explicit], 'folder', source));
    if (!(await isFile(explicit))) return err(vboxManageNotFound([explicit], 'missing', source));
    if (!(await isExecutable(explicit, platform))) return err(vboxManageNotFound([explicit], 'not-executable', source));
    return ok(explicit);
  }
  const names = platform === 'win32' ? ['VBoxManage.exe'] : platform === 'linux' ? ['VBoxManage', 'vboxmanage'] : ['VBoxManage'];
  const pathDirs = (env['PATH'] ?? env['Path'] ?? '').split(platform === 'win32' ? ';' : ':').filter((d) => d !== '');
  const searched: string[] = [];
  // Each place once: PATH often names a standard place too.
  for (const dir of [...new Set([...pathDirs, ...standardDirs(platform, env)])]) {
    for (const name of names) {
      const file = p.join(dir, name);
      searched.push(file);
      if ((await isFile(file)) && (await isExecutable(file, platform))) return ok(file);
    }
  }
  return err(vboxManageNotFound(searched));
}
