import { hasRedisServer, REDIS_SERVER_BIN } from './redis-server-process.js';

export { RedisServer } from './redis-server-process.js';

/** What a suite needing redis-server does: run, skip (loudly), or fail because CI demands Redis. */
export type RedisSuiteVerdict = 'run' | 'skip' | 'fail';

/** `WEIR_REQUIRE_REDIS=1` (set by .ci/run) turns a missing redis-server from a skip into a failure. */
export function redisSuiteVerdict(binary: string, env: NodeJS.ProcessEnv): RedisSuiteVerdict {
  if (hasRedisServer(binary)) return 'run';
  return env.WEIR_REQUIRE_REDIS === '1' ? 'fail' : 'skip';
}

/**
 * `describe` for suites that need a real redis-server. Without one they are skipped with a warning,
 * or fail when `WEIR_REQUIRE_REDIS=1`, so that CI cannot pass by skipping them.
 */
export function describeWithRedisServer(title: string, suite: () => void): void {
  const verdict = redisSuiteVerdict(REDIS_SERVER_BIN, process.env);
  if (verdict === 'run') {
    describe(title, suite);
    return;
  }
  const reason = `${REDIS_SERVER_BIN} was not found: install Redis 7 (e.g. apt-get install redis-server) or set WEIR_REDIS_SERVER`;
  if (verdict === 'fail') {
    describe(title, () => {
      it('has a redis-server to run against (WEIR_REQUIRE_REDIS=1)', () => {
        throw new Error(reason);
      });
    });
    return;
  }
  const warning = `SKIPPED "${title}": ${reason}. Set WEIR_REQUIRE_REDIS=1 to make this a failure.`;
  console.warn(warning);
  // Jest drops the console output of a file whose tests are all skipped when it runs several files.
  process.stderr.write(`\n⚠ ${warning}\n`);
  describe.skip(title, suite);
}
