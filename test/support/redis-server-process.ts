import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';

// No jest in this file: the bench (bench/rows/redis-fleet.ts) runs its redis-server with it too.

/** The binary the suites (and the bench) run; `WEIR_REDIS_SERVER` points at another one. */
export const REDIS_SERVER_BIN = process.env.WEIR_REDIS_SERVER ?? 'redis-server';

const READY_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 5_000;

/** Whether `binary` can be run here (`--version` succeeds). */
export function hasRedisServer(binary: string = REDIS_SERVER_BIN): boolean {
  return spawnSync(binary, ['--version'], { stdio: 'ignore' }).status === 0;
}

/**
 * A redis-server child process of one test suite (or of the bench), on a free loopback port,
 * without persistence, that the suite can stop and start again on the same port (as an outage
 * would).
 */
export class RedisServer {
  private child?: ChildProcess;

  private constructor(readonly port: number) {}

  /** Starts a server on a free port. */
  static async start(): Promise<RedisServer> {
    const server = new RedisServer(await freePort());
    await server.restart();
    return server;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return this.child !== undefined;
  }

  /** Starts the server again (empty: nothing is persisted) on the same port. */
  async restart(): Promise<void> {
    if (this.child) return;
    const child = spawn(
      REDIS_SERVER_BIN,
      ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: ['ignore', 'pipe', 'ignore'] },
    );
    this.child = child;
    try {
      await waitForOutput(child, /Ready to accept connections/, READY_TIMEOUT_MS);
    } catch (error) {
      await this.stop();
      throw error;
    }
  }

  /** Kills the server (SIGKILL: an outage, not a shutdown) and waits until it is gone. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.child = undefined;
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGKILL');
    await withTimeout(exited, STOP_TIMEOUT_MS, 'redis-server did not exit');
  }
}

/** A port that was free a moment ago: listen on port 0, note the port, close. */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}

function waitForOutput(child: ChildProcess, pattern: RegExp, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(
      () => fail(new Error(`redis-server not ready after ${timeoutMs} ms`)),
      timeoutMs,
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (pattern.test(output)) done(resolve);
    };
    const onExit = (code: number | null) =>
      fail(new Error(`redis-server exited (${code}) before it was ready: ${output.slice(-500)}`));
    const fail = (error: Error) => done(() => reject(error));
    const done = (finish: () => void) => {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.off('exit', onExit);
      child.off('error', fail);
      finish();
    };
    child.stdout?.on('data', onData);
    child.once('exit', onExit);
    child.once('error', fail);
  });
}

async function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(message)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
