import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import type {
  FleetCommand,
  FleetMessage,
  FleetReply,
  FleetRequest,
  FleetWorkerConfig,
} from './fleet-protocol.js';

const READY_TIMEOUT_MS = 20_000;
const REPLY_TIMEOUT_MS = 30_000;
const EXIT_TIMEOUT_MS = 5_000;

/** A log line the module wrote in a worker. */
export interface FleetLogLine {
  readonly level: string;
  readonly message: string;
}

interface PendingReply {
  readonly resolve: (reply: FleetReply) => void;
  readonly reject: (error: Error) => void;
}

/** One app instance in a process of its own, driven over IPC. */
export class FleetInstance {
  readonly logs: FleetLogLine[] = [];
  private readonly pending = new Map<number, PendingReply>();
  private nextId = 0;

  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
  ) {
    child.on('message', (message: FleetMessage) => {
      if (message.type === 'log')
        this.logs.push({ level: message.level, message: message.message });
      if (message.type === 'reply') {
        this.pending.get(message.id)?.resolve(message);
        this.pending.delete(message.id);
      }
    });
    child.on('exit', () => {
      for (const { reject } of this.pending.values()) reject(new Error(`${name} exited`));
      this.pending.clear();
    });
  }

  /** Starts a worker and resolves once its app context is up. */
  static async start(
    entry: string,
    config: FleetWorkerConfig,
    name: string,
  ): Promise<FleetInstance> {
    const child = fork(entry, [], {
      env: { ...process.env, WEIR_FLEET_CONFIG: JSON.stringify(config) },
      execArgv: [],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const instance = new FleetInstance(name, child);
    const ready = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${name} not ready`)), READY_TIMEOUT_MS);
      child.on('message', (message: FleetMessage) => {
        if (message.type !== 'ready') return;
        clearTimeout(timer);
        resolve();
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`${name} exited (${code}) before it was ready`));
      });
    });
    try {
      await ready;
    } catch (error) {
      await instance.kill();
      throw error;
    }
    return instance;
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Asks the worker's token service for a token (`token`) or a forced refresh (`refresh`). */
  request(command: Exclude<FleetCommand, 'close'>): Promise<FleetReply> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${this.name}: no answer to ${command} in ${REPLY_TIMEOUT_MS} ms`));
      }, REPLY_TIMEOUT_MS);
      this.pending.set(id, {
        resolve: (reply) => {
          clearTimeout(timer);
          resolve(reply);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      this.child.send({ id, command } satisfies FleetRequest);
    });
  }

  /** The worker's log lines whose message contains `text`. */
  logged(text: string): FleetLogLine[] {
    return this.logs.filter((line) => line.message.includes(text));
  }

  /** Ends the process at once, as a crash or an OOM kill would. */
  async kill(): Promise<void> {
    if (!this.alive) return;
    const exited = once(this.child, 'exit');
    this.child.kill('SIGKILL');
    await exited;
  }

  /** Closes the app (module destroy hooks included) and waits for the process to end. */
  async close(): Promise<void> {
    if (!this.alive) return;
    const exited = once(this.child, 'exit');
    this.child.send({ id: -1, command: 'close' } satisfies FleetRequest);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), EXIT_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  }
}

/** Several instances of one app. */
export class Fleet {
  readonly instances: FleetInstance[] = [];
  private started = 0;

  constructor(
    private readonly entry: string,
    private readonly config: FleetWorkerConfig,
  ) {}

  /** Starts `count` more instances together. */
  async start(count: number): Promise<FleetInstance[]> {
    const names = Array.from({ length: count }, () => `instance-${++this.started}`);
    const started = await Promise.all(
      names.map((name) => FleetInstance.start(this.entry, this.config, name)),
    );
    this.instances.push(...started);
    return started;
  }

  /** The instances still running. */
  get alive(): FleetInstance[] {
    return this.instances.filter((instance) => instance.alive);
  }

  /** Sends the same command to every running instance at once. */
  requestAll(command: Exclude<FleetCommand, 'close'>): Promise<FleetReply[]> {
    return Promise.all(this.alive.map((instance) => instance.request(command)));
  }

  async killAll(): Promise<void> {
    await Promise.all(this.instances.map((instance) => instance.kill()));
  }
}
