// One app instance of the fleet, in a process of its own. Compiled with the library by
// build-fleet-worker.ts and started by fleet.ts; it talks to the test over the IPC channel.
import 'reflect-metadata';
import type { LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Redis } from 'ioredis';
import { WeirAuthError } from '../../../lib/errors/weir-auth.error.js';
import { RedisTokenStore } from '../../../lib/redis/index.js';
import { WeirTokenService } from '../../../lib/token/weir-token.service.js';
import { WeirAuthModule } from '../../../lib/weir-auth.module.js';
import type {
  FleetMessage,
  FleetReply,
  FleetRequest,
  FleetWorkerConfig,
} from './fleet-protocol.js';

const config = JSON.parse(process.env.WEIR_FLEET_CONFIG ?? '{}') as FleetWorkerConfig;

function send(message: FleetMessage): void {
  process.send?.(message);
}

// The test counts the module's log lines (e.g. "store unavailable" once per outage).
const logger: LoggerService = {
  log: (message: unknown) => send({ type: 'log', level: 'log', message: String(message) }),
  warn: (message: unknown) => send({ type: 'log', level: 'warn', message: String(message) }),
  error: (message: unknown) => send({ type: 'log', level: 'error', message: String(message) }),
};

// The README's recommended settings: commands fail within the module's store bound, and commands
// queued during a reconnect are dropped after one failed attempt instead of piling up.
const redis = new Redis(config.redisUrl, {
  commandTimeout: 500,
  maxRetriesPerRequest: 1,
  connectTimeout: 2_000,
  retryStrategy: (times) => Math.min(times * 100, 1_000),
});
redis.on('error', () => undefined);

const app = await NestFactory.createApplicationContext(
  WeirAuthModule.forRoot({
    ...config.module,
    clientId: config.clientId,
    secretKey: config.secretKey,
    baseUrl: config.weirUrl,
    store: new RedisTokenStore(redis, { keyPrefix: config.keyPrefix }),
    logger,
  }),
  { logger: false },
);
const tokens = app.get(WeirTokenService);

async function run(request: FleetRequest): Promise<FleetReply> {
  const startedAt = performance.now();
  const tookMs = () => Math.round(performance.now() - startedAt);
  try {
    const token = request.command === 'refresh' ? await tokens.refresh() : await tokens.getToken();
    return { id: request.id, ok: true, accessToken: token.accessToken, tookMs: tookMs() };
  } catch (error) {
    const code = error instanceof WeirAuthError ? error.code : 'UNEXPECTED';
    const message = error instanceof Error ? error.message : String(error);
    return { id: request.id, ok: false, code, message, tookMs: tookMs() };
  }
}

async function shutDown(): Promise<never> {
  await app.close();
  redis.disconnect();
  process.exit(0);
}

process.on('message', (request: FleetRequest) => {
  if (request.command === 'close') void shutDown();
  else void run(request).then((reply) => send({ type: 'reply', ...reply }));
});
// An orphan must not outlive the test run.
process.on('disconnect', () => process.exit(0));
send({ type: 'ready' });
