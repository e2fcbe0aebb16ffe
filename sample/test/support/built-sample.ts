/**
 * The sample as `npm run sample` runs it: `npm run sample:build` (the package's dual build, then
 * `nest build` with nest-cli.json) in a temporary copy of the repository, then `node` on the
 * output. There, 'nestjs-weir-auth' resolves through the package's "exports" to the built dist/,
 * exactly as a published install would, and the copy keeps this repository's dist/ untouched.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve, sep } from 'node:path';
import { npmCliPath } from '../../../test/support/npm';
import { SAMPLE_VARIABLES } from './sample-environment';

const repoRoot = resolve(__dirname, '..', '..', '..');

/** Not copied: installed or generated, or history. */
const SKIPPED = new Set(['node_modules', 'dist', 'coverage', '.git']);

/** Builds a copy of the repository with `npm run sample:build`; returns its directory. */
export function buildSample(): string {
  const dir = mkdtempSync(join(tmpdir(), 'nestjs-weir-auth-sample-'));
  cpSync(repoRoot, dir, {
    recursive: true,
    filter: (source) =>
      !relative(repoRoot, source)
        .split(sep)
        .some((part) => SKIPPED.has(part)),
  });
  symlinkSync(join(repoRoot, 'node_modules'), join(dir, 'node_modules'), 'junction');
  try {
    execFileSync(process.execPath, [npmCli(), 'run', 'sample:build'], {
      cwd: dir,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    removeSample(dir);
    throw new Error(`npm run sample:build failed:\n${stdout ?? ''}\n${stderr ?? ''}`, {
      cause: error,
    });
  }
  return dir;
}

export function removeSample(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** A running `node sample/dist/main.js`, with everything it printed so far. */
export interface SampleProcess {
  readonly child: ChildProcess;
  /** stdout and stderr, interleaved as they arrived. */
  output(): string;
  /** Resolves with the first match of `pattern` in the output; rejects if the process exits first. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Resolves when the process has exited. */
  exited(timeoutMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Runs the built sample with the sample's variables set to `env` only (plus the rest of the environment). */
export function runSample(dir: string, env: Record<string, string>): SampleProcess {
  const base: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  for (const name of SAMPLE_VARIABLES) delete base[name];
  const child = spawn(process.execPath, [join('sample', 'dist', 'main.js')], {
    cwd: dir,
    env: { ...base, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const listeners = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    output += chunk.toString('utf8');
    listeners.forEach((listener) => listener());
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolveExit) =>
    child.once('exit', (code, signal) => resolveExit({ code, signal })),
  );

  return {
    child,
    output: () => output,
    waitFor(pattern, timeoutMs = 20_000) {
      return new Promise((resolveMatch, reject) => {
        const check = () => {
          const match = pattern.exec(output);
          if (!match) return;
          settle();
          resolveMatch(match);
        };
        const timer = setTimeout(() => {
          settle();
          reject(new Error(`no ${pattern} within ${timeoutMs} ms; output:\n${output}`));
        }, timeoutMs);
        const settle = () => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        listeners.add(check);
        void exit.then(() => {
          if (!listeners.has(check)) return;
          settle();
          reject(new Error(`exited before printing ${pattern}; output:\n${output}`));
        });
        check();
      });
    },
    exited(timeoutMs = 20_000) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`still running after ${timeoutMs} ms`)),
          timeoutMs,
        );
      });
      return Promise.race([exit, timeout]).finally(() => clearTimeout(timer));
    },
  };
}

/** npm's CLI next to the node running the tests, so that the build uses the same node. */
function npmCli(): string {
  const cli = npmCliPath();
  if (!cli) throw new Error(`npm not found next to ${process.execPath}`);
  return cli;
}
