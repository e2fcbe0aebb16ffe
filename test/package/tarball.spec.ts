/**
 * The tarball as npm publishes it: only the build, the README and the LICENSE, and no complaint
 * from publint (package.json against the files) or Are the Types Wrong (types for every resolver).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packedPackage, repoRoot, run, type PackedPackage } from './packed-package';

let packed: PackedPackage;

beforeAll(() => {
  packed = packedPackage();
}, 180_000);

describe('the tarball', () => {
  it('holds only dist/**, README.md, LICENSE and package.json', () => {
    const outside = packed.packedFiles.filter(
      (file) =>
        !file.startsWith('dist/') && !['package.json', 'README.md', 'LICENSE'].includes(file),
    );
    expect(outside).toEqual([]);
    expect(packed.packedFiles).toEqual(
      expect.arrayContaining(['package.json', 'README.md', 'LICENSE']),
    );
    // Nothing from the build that only the repository needs.
    expect(
      packed.packedFiles.filter((file) => /\.(tsbuildinfo|map|spec\.js|test\.js)$/.test(file)),
    ).toEqual([]);
  });

  it('holds every file that package.json points to', () => {
    const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
      exports: unknown;
      main: string;
      module: string;
      types: string;
    };
    const targets = new Set<string>([manifest.main, manifest.module, manifest.types]);
    const walk = (value: unknown): void => {
      if (typeof value === 'string') targets.add(value);
      else if (value && typeof value === 'object') Object.values(value).forEach(walk);
    };
    walk(manifest.exports);
    for (const target of targets) expect(packed.packedFiles).toContain(target.replace(/^\.\//, ''));
  });

  it('passes publint, warnings included', () => {
    const bin = join(repoRoot, 'node_modules', '.bin', 'publint');
    const output = run(bin, ['run', packed.tarball, '--strict']);
    expect(output).not.toMatch(/error|warning|suggestion/i);
  });

  it('passes Are the Types Wrong for every resolver (node10, node16 CJS and ESM, bundler)', () => {
    const bin = join(repoRoot, 'node_modules', '.bin', 'attw');
    // Exits non-zero on any problem; --profile strict checks node10 as well.
    const output = run(bin, [
      packed.tarball,
      '--profile',
      'strict',
      '--format',
      'table-flipped',
      '--no-color',
    ]);
    expect(output).toMatch(/No problems found/);
  });
});
