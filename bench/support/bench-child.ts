import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const ROOT = join(__dirname, '..', '..');
const REGISTER = join(ROOT, 'bench', 'support', 'register.cjs');

export interface BenchChildOptions {
  /** Node flags before the script, e.g. `--expose-gc`. */
  readonly nodeArgs?: readonly string[];
  /** The child prints its report as one line starting with this. */
  readonly reportPrefix: string;
  /** After the report the child must exit by itself within this long, or it is killed. */
  readonly exitLimitMs: number;
}

export interface BenchChildOutcome<T> {
  readonly report: T;
  /** ms from the report line to the process exit; `undefined` when it had to be killed. */
  readonly exitAfterMs: number | undefined;
}

/**
 * Runs `bench/<script>` (TypeScript, through the require hook) in a child process, reads its report
 * line, then waits for it to exit by itself. Past `exitLimitMs` the child is killed, by its pid.
 */
export async function runBenchChild<T>(
  script: string,
  args: readonly string[],
  options: BenchChildOptions,
): Promise<BenchChildOutcome<T>> {
  const child = spawn(
    process.execPath,
    [...(options.nodeArgs ?? []), '-r', REGISTER, join(ROOT, 'bench', script), ...args],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));

  let report: T | undefined;
  let reportedAt = 0;
  const lines = createInterface({ input: child.stdout });
  for await (const line of lines) {
    if (!line.startsWith(options.reportPrefix)) continue;
    report = JSON.parse(line.slice(options.reportPrefix.length)) as T;
    reportedAt = performance.now();
    break;
  }
  lines.close();
  // Keep draining stdout: a full pipe would stall the child, and that is not what is measured.
  child.stdout.resume();
  if (report === undefined) {
    await exited;
    throw new Error(`${script} ended without a report: ${stderr.slice(-500)}`);
  }

  const timer = setTimeout(() => child.kill('SIGKILL'), options.exitLimitMs);
  const [code, signal] = await exited;
  clearTimeout(timer);
  if (signal === 'SIGKILL') return { report, exitAfterMs: undefined };
  if (code !== 0) throw new Error(`${script} exited with ${code}: ${stderr.slice(-500)}`);
  return { report, exitAfterMs: performance.now() - reportedAt };
}
