import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

/**
 * @internal A Lua script run by its SHA1 (EVALSHA), sent whole only when Redis does not know it yet
 * (first use, or after a restart emptied the script cache). Unlike ioredis' `defineCommand`, this
 * adds nothing to the client the user gave us.
 */
export class RedisScript {
  private readonly sha: string;

  constructor(private readonly source: string) {
    this.sha = createHash('sha1').update(source, 'utf8').digest('hex');
  }

  async run(
    redis: Redis,
    keys: readonly string[],
    args: ReadonlyArray<string | number>,
  ): Promise<unknown> {
    try {
      return await redis.evalsha(this.sha, keys.length, ...keys, ...args);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return redis.eval(this.source, keys.length, ...keys, ...args);
    }
  }
}
