/**
 * The packed tarball, installed in a scratch app and loaded by real Node processes, both ways:
 * `import` gets dist/esm, `require` gets dist/cjs, and both expose exactly the same names.
 */
import { join } from 'node:path';
import { ENTRY_POINTS, OPTIONAL_PEERS, packedPackage, run } from './packed-package';

/**
 * The runtime exports of each entry point, sorted (type-only exports leave no trace at run time).
 * Change these together with the barrels: lib/index.ts, lib/testing/index.ts, lib/redis/index.ts.
 */
const EXPECTED_EXPORTS: Record<string, string[]> = {
  'nestjs-weir-auth': [
    'MemoryTokenStore',
    'WEIR_BASE_URLS',
    'WEIR_DEFAULT_RATE_LIMITS',
    'WeirAuthError',
    'WeirAuthErrorCode',
    'WeirAuthHealthIndicator',
    'WeirAuthInterceptor',
    'WeirAuthModule',
    'WeirAuthOptionsError',
    'WeirHttpService',
    'WeirTokenService',
  ],
  'nestjs-weir-auth/testing': ['FakeWeirServer'],
  'nestjs-weir-auth/redis': ['RedisTokenStore'],
};

interface Loaded {
  /** The file the entry point resolved to, relative to the package. */
  readonly file: string;
  readonly names: string[];
}

/** Loads each entry point in a fresh Node process, the ESM or the CommonJS way. */
function load(format: 'import' | 'require', cwd: string, entries: readonly string[]) {
  const esm = `
    const out = {};
    for (const entry of ${JSON.stringify(entries)}) {
      const file = import.meta.resolve(entry);
      out[entry] = { file, names: Object.keys(await import(entry)).sort() };
    }
    console.log(JSON.stringify(out));`;
  const cjs = `
    const out = {};
    for (const entry of ${JSON.stringify(entries)}) {
      const file = require.resolve(entry);
      out[entry] = { file, names: Object.keys(require(entry)).sort() };
    }
    console.log(JSON.stringify(out));`;
  const args =
    format === 'import'
      ? ['--input-type=module', '--eval', esm]
      : ['--input-type=commonjs', '--eval', cjs];
  const loaded = JSON.parse(run(process.execPath, args, { cwd })) as Record<string, Loaded>;
  return Object.fromEntries(
    Object.entries(loaded).map(([entry, { file, names }]) => [
      entry,
      { file: file.replace(/^file:\/\//, '').split('node_modules/nestjs-weir-auth/')[1], names },
    ]),
  );
}

/** Where a package would resolve from `dir`, or null when it cannot be found. */
function resolveFrom(dir: string, name: string): string | null {
  const script = `try { console.log(require.resolve(${JSON.stringify(name)})) } catch { console.log('null') }`;
  const out = run(process.execPath, ['--eval', script], { cwd: dir }).trim();
  return out === 'null' ? null : out;
}

let consumerWithAllPeers: string;
let consumerWithoutOptionalPeers: string;

beforeAll(() => {
  ({ consumerWithAllPeers, consumerWithoutOptionalPeers } = packedPackage());
}, 180_000);

describe('the installed tarball', () => {
  it.each(['import', 'require'] as const)(
    'exposes exactly the expected names to %s, from its own build',
    (format) => {
      const loaded = load(format, consumerWithAllPeers, ENTRY_POINTS);
      const dir = format === 'import' ? 'esm' : 'cjs';
      expect(loaded).toEqual({
        'nestjs-weir-auth': {
          file: `dist/${dir}/index.js`,
          names: EXPECTED_EXPORTS['nestjs-weir-auth'],
        },
        'nestjs-weir-auth/testing': {
          file: `dist/${dir}/testing/index.js`,
          names: EXPECTED_EXPORTS['nestjs-weir-auth/testing'],
        },
        'nestjs-weir-auth/redis': {
          file: `dist/${dir}/redis/index.js`,
          names: EXPECTED_EXPORTS['nestjs-weir-auth/redis'],
        },
      });
    },
  );

  it.each(['import', 'require'] as const)(
    'loads the main entry point and ./testing with %s, without @nestjs/terminus and ioredis',
    (format) => {
      const packageDir = join(consumerWithoutOptionalPeers, 'node_modules', 'nestjs-weir-auth');
      for (const peer of OPTIONAL_PEERS)
        expect({ peer, at: resolveFrom(packageDir, peer) }).toEqual({ peer, at: null });

      const entries = ['nestjs-weir-auth', 'nestjs-weir-auth/testing'];
      const loaded = load(format, consumerWithoutOptionalPeers, entries);
      for (const entry of entries) expect(loaded[entry].names).toEqual(EXPECTED_EXPORTS[entry]);
    },
  );
});
