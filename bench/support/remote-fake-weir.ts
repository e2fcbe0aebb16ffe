import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import type { FakeWeirServerOptions } from 'nestjs-weir-auth/testing';
import { withTimeout } from './time.js';

export type FakeWeirCommand =
  | { readonly kind: 'setLatency'; readonly ms: number }
  | { readonly kind: 'resetCounters' }
  | { readonly kind: 'state' }
  | { readonly kind: 'close' };

export type FakeWeirReply =
  | { readonly kind: 'ready'; readonly url: string }
  | { readonly kind: 'state'; readonly tokenRequests: number };

const REGISTER = join(__dirname, 'register.cjs');
const SCRIPT = join(__dirname, 'fake-weir-process.ts');

/** A FakeWeirServer in a child process (see fake-weir-process.ts), with the calls the rows need. */
export class RemoteFakeWeirServer {
  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
  ) {}

  static async start(options: FakeWeirServerOptions): Promise<RemoteFakeWeirServer> {
    const child = fork(SCRIPT, [JSON.stringify(options)], {
      execArgv: ['-r', REGISTER],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const [ready] = (await withTimeout(
      'FakeWeirServer process start',
      20_000,
      once(child, 'message'),
    )) as [FakeWeirReply];
    if (ready.kind !== 'ready') throw new Error('FakeWeirServer process did not start');
    return new RemoteFakeWeirServer(child, ready.url);
  }

  setLatency(ms: number): Promise<number> {
    return this.command({ kind: 'setLatency', ms });
  }

  resetCounters(): Promise<number> {
    return this.command({ kind: 'resetCounters' });
  }

  /** Token requests received so far. */
  tokenRequests(): Promise<number> {
    return this.command({ kind: 'state' });
  }

  async close(): Promise<void> {
    const exited = once(this.child, 'exit');
    this.child.send({ kind: 'close' } satisfies FakeWeirCommand);
    await withTimeout('FakeWeirServer process exit', 10_000, exited);
  }

  private async command(command: FakeWeirCommand): Promise<number> {
    const answer = once(this.child, 'message') as Promise<[FakeWeirReply]>;
    this.child.send(command);
    const [reply] = await withTimeout(`FakeWeirServer ${command.kind}`, 10_000, answer);
    if (reply.kind !== 'state') throw new Error(`unexpected reply to ${command.kind}`);
    return reply.tokenRequests;
  }
}
