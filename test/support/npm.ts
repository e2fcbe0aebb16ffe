import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * npm's CLI script beside the node running this process (where Node's own installs put it), so
 * that npm runs on the same node as the tests; `undefined` when there is none there.
 */
export function npmCliPath(): string | undefined {
  const cli = join(
    dirname(process.execPath),
    '..',
    'lib',
    'node_modules',
    'npm',
    'bin',
    'npm-cli.js',
  );
  return existsSync(cli) ? cli : undefined;
}

/** How to run npm with `args`: {@link npmCliPath} on this node, else whichever npm is on the PATH. */
export function npmCommand(args: readonly string[]): {
  file: string;
  args: string[];
  /** On Windows the npm on the PATH is a .cmd script, which only a shell can start. */
  shell: boolean;
} {
  const cli = npmCliPath();
  return cli
    ? { file: process.execPath, args: [cli, ...args], shell: false }
    : { file: 'npm', args: [...args], shell: process.platform === 'win32' };
}
