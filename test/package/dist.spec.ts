/**
 * What tsc emitted into dist/, read as files: the ESM must load in Node without a bundler, the
 * CommonJS must keep dynamic imports dynamic, and both must keep Nest's decorator metadata.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import {
  listFiles,
  moduleReferences,
  moduleSpecifiers,
  packedPackage,
  repoRoot,
} from './packed-package';

let dist: string;

beforeAll(() => {
  dist = join(packedPackage().stagingDir, 'dist');
}, 180_000);

function specifiersOf(format: 'esm' | 'cjs', file: string): string[] {
  return moduleSpecifiers(file, readFileSync(join(dist, format, file), 'utf8'));
}

describe.each(['esm', 'cjs'] as const)('dist/%s', (format) => {
  it('declares its module format for Node', () => {
    const type = format === 'esm' ? 'module' : 'commonjs';
    expect(JSON.parse(readFileSync(join(dist, format, 'package.json'), 'utf8'))).toEqual({ type });
  });

  it('has a .js and a .d.ts for every source in lib/', () => {
    const sources = listFiles(join(repoRoot, 'lib')).filter(
      (file) => file.endsWith('.ts') && !/\.(spec|test)\.ts$/.test(file),
    );
    const emitted = new Set(listFiles(join(dist, format)));
    for (const source of sources) {
      expect(emitted).toContain(source.replace(/\.ts$/, '.js'));
      expect(emitted).toContain(source.replace(/\.ts$/, '.d.ts'));
    }
  });

  it('writes every relative import with its .js suffix, to a file that exists', () => {
    const files = listFiles(join(dist, format)).filter((file) => /\.(js|d\.ts)$/.test(file));
    const broken: string[] = [];
    let relativeImports = 0;
    for (const file of files) {
      for (const specifier of specifiersOf(format, file)) {
        if (!specifier.startsWith('.')) continue;
        relativeImports += 1;
        const target = posix.join(posix.dirname(file), specifier);
        const onDisk = file.endsWith('.d.ts') ? target.replace(/\.js$/, '.d.ts') : target;
        if (!specifier.endsWith('.js') || !existsSync(join(dist, format, onDisk))) {
          broken.push(`${file}: '${specifier}'`);
        }
      }
    }
    expect(relativeImports).toBeGreaterThan(10);
    expect(broken).toEqual([]);
  });

  it("keeps decorator metadata (Nest's DI reads the constructor parameter types)", () => {
    const injectables = listFiles(join(repoRoot, 'lib')).filter((file) => {
      if (!file.endsWith('.ts')) return false;
      const source = readFileSync(join(repoRoot, 'lib', file), 'utf8');
      return /@Injectable\(/.test(source) && /constructor\(\s*[^)\s]/.test(source);
    });
    expect(injectables.length).toBeGreaterThan(0);
    for (const file of injectables) {
      const emitted = readFileSync(join(dist, format, file.replace(/\.ts$/, '.js')), 'utf8');
      expect({ file, paramtypes: emitted.includes('"design:paramtypes"') }).toEqual({
        file,
        paramtypes: true,
      });
    }
  });
});

describe('dist/cjs', () => {
  // Lazily loaded packages (an optional ESM-only peer such as @nestjs/terminus) are required on
  // first use in the CommonJS build: jest's CommonJS mode cannot run a real import() from a
  // package, and Node 20.19+ require()s ES modules. The ESM build imports them. That neither
  // loads them at module load is proven at run time by the tarball test without the peers.
  it('loads packages that lib/ imports lazily through import() or require(), never statically', () => {
    const checked: string[] = [];
    for (const source of listFiles(join(repoRoot, 'lib')).filter((file) => file.endsWith('.ts'))) {
      const dynamic = moduleReferences(source, readFileSync(join(repoRoot, 'lib', source), 'utf8'))
        .filter(({ kind, specifier }) => kind === 'dynamic' && !specifier.startsWith('.'))
        .map(({ specifier }) => specifier);
      if (dynamic.length === 0) continue;
      const emittedFile = source.replace(/\.ts$/, '.js');
      const emitted = moduleReferences(
        emittedFile,
        readFileSync(join(dist, 'cjs', emittedFile), 'utf8'),
      );
      for (const specifier of new Set(dynamic)) {
        checked.push(specifier);
        const kinds = emitted
          .filter((reference) => reference.specifier === specifier)
          .map(({ kind }) => kind)
          .sort();
        expect({ file: emittedFile, specifier, kinds }).toEqual({
          file: emittedFile,
          specifier,
          kinds: ['dynamic', 'require'],
        });
      }
    }
    expect(checked).toContain('@nestjs/terminus');
  });
});
