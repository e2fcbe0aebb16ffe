import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { redisSuiteVerdict } from '../support/redis-server.js';

const LIB = join(__dirname, '../../lib');

describe('nestjs-weir-auth/redis entry point', () => {
  it('loads without ioredis installed: it takes the client from the app', () => {
    jest.isolateModules(() => {
      jest.doMock('ioredis', () => {
        throw new Error('ioredis was loaded');
      });
      const entry = jest.requireActual<typeof import('../../lib/redis/index.js')>(
        '../../lib/redis/index.js',
      );
      expect(Object.keys(entry)).toEqual(['RedisTokenStore']);
      const client = { status: 'wait', duplicate: () => ({ on() {}, subscribe: async () => 1 }) };
      expect(() => new entry.RedisTokenStore(client as never)).not.toThrow();
    });
  });

  it('imports only types from ioredis, so no build can turn it into a runtime import', () => {
    const files = readdirSync(join(LIB, 'redis')).filter((name) => name.endsWith('.ts'));
    for (const name of files) {
      const source = readFileSync(join(LIB, 'redis', name), 'utf8');
      const statements = source
        .split('\n')
        .filter((line) => /^(import|export)\b|\b(require|import)\(/.test(line))
        .filter((line) => line.includes('ioredis'));
      for (const line of statements) {
        expect(`${name}: ${line}`).toMatch(/: import type \{[^}]*\} from 'ioredis';$/);
      }
    }
  });

  it('is not reached from the root entry point', () => {
    expect(readFileSync(join(LIB, 'index.ts'), 'utf8')).not.toMatch(/redis/i);
  });
});

describe('suites that need redis-server', () => {
  it('run when it is installed, are skipped without it, and fail without it when CI requires Redis', () => {
    expect(redisSuiteVerdict(process.execPath, {})).toBe('run');
    expect(redisSuiteVerdict('/nonexistent/redis-server', {})).toBe('skip');
    expect(redisSuiteVerdict('/nonexistent/redis-server', { WEIR_REQUIRE_REDIS: '1' })).toBe(
      'fail',
    );
  });
});
