/**
 * Compatibility suite (`npm run test:compat`): the packed tarball installed into two scratch apps,
 * each running its own tests with its own runner:
 *
 * - apps/nest12-esm: Nest 12, `"type": "module"`, `import`, node:test.
 * - apps/nest11-cjs: Nest 11 (common and core 11, axios 4, terminus 11, config 4), `require`,
 *   jest in CommonJS mode.
 *
 * Both run scenario.js: `forRootAsync` fed by `ConfigService` from the environment, a token from
 * `FakeWeirServer`, a bearer call to `GET /v1/echo` through `WeirHttpService`, and a Terminus
 * health check answered by `WeirAuthHealthIndicator`.
 *
 * Everything is made in one temp dir and removed at the end (`KEEP_COMPAT_DIR=1` keeps it).
 * npm installs with `--prefer-offline`: its own cache serves what it holds, the registry the rest.
 * Set `COMPAT_VERBOSE=1` to print the apps' test output when they pass too.
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { npmCommand } from '../support/npm';

const here = __dirname;
const repoRoot = resolve(here, '..', '..');

const APPS = [
  { name: 'nest12-esm', title: 'Nest 12, ES modules, import (node:test)' },
  { name: 'nest11-cjs', title: 'Nest 11, CommonJS, require (jest in CommonJS mode)' },
] as const;

/** Runs npm; resolves with its output, rejects with the output in the message. */
function npm(args: readonly string[], cwd: string, timeoutMs: number): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    // The npm beside this node, as the tests' own node runs it; else whichever is on the PATH.
    const command = npmCommand(args);
    const child = spawn(command.file, command.args, {
      cwd,
      shell: command.shell,
      env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) return resolvePromise(output);
      const how = signal ? `killed by ${signal} after ${timeoutMs} ms` : `exit ${code}`;
      reject(new Error(`npm ${args.join(' ')} in ${cwd}: ${how}\n${output}`));
    });
  });
}

let workDir: string;
/** Per app, the install of its dependencies and of the tarball. */
const installs = new Map<string, Promise<string>>();

beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'nestjs-weir-auth-compat-'));
  // npm pack runs prepack, the build: what is tested is what would be published.
  await npm(['pack', '--pack-destination', workDir], repoRoot, 120_000);
  const tarball = readdirSync(workDir).find((file) => file.endsWith('.tgz'));
  if (!tarball) throw new Error(`npm pack left no tarball in ${workDir}`);

  for (const { name } of APPS) {
    const appDir = join(workDir, name);
    cpSync(join(here, 'apps', name), appDir, { recursive: true });
    cpSync(join(here, 'scenario.js'), join(appDir, 'scenario.cjs'));
    cpSync(join(here, 'consumer.ts'), join(appDir, 'consumer.ts'));
    // The installs run side by side; each test awaits its own. No --legacy-peer-deps: the
    // package's peer ranges must accept each app's versions.
    const install = npm(
      [
        'install',
        '--prefer-offline',
        '--no-audit',
        '--no-fund',
        '--loglevel=error',
        `../${tarball}`,
      ],
      appDir,
      240_000,
    );
    install.catch(() => undefined); // reported by the test that awaits it
    installs.set(name, install);
  }
}, 150_000);

afterAll(async () => {
  await Promise.allSettled(installs.values());
  if (!workDir) return;
  if (process.env.KEEP_COMPAT_DIR === '1') console.log(`kept ${workDir}`);
  else rmSync(workDir, { recursive: true, force: true });
});

describe('nestjs-weir-auth, packed and installed into apps', () => {
  it.each(APPS)('$title', async ({ name }) => {
    await installs.get(name);
    const output = await npm(['test', '--silent'], join(workDir, name), 120_000);
    if (process.env.COMPAT_VERBOSE === '1') console.log(output);
  });
});
