/**
 * The published package is only as correct as its manifest: every package that lib/ imports,
 * for its values or only for its types (the .d.ts files keep those), has to be declared, and
 * every entry point has to resolve under every condition a consumer may use.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { ENTRY_POINTS, moduleSpecifiers, OPTIONAL_PEERS, repoRoot } from './packed-package';

interface Manifest {
  main: string;
  module: string;
  types: string;
  files: string[];
  sideEffects: boolean;
  engines: { node: string };
  dependencies?: Record<string, string>;
  peerDependencies: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  exports: Record<string, unknown>;
}

const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as Manifest;
const libDir = join(repoRoot, 'lib');

/** `@scope/name/sub` → `@scope/name`, `name/sub` → `name`. */
function packageName(specifier: string): string {
  const segments = specifier.split('/');
  return segments.slice(0, specifier.startsWith('@') ? 2 : 1).join('/');
}

function isBuiltin(specifier: string): boolean {
  return specifier.startsWith('node:') || builtinModules.includes(packageName(specifier));
}

function libSources(): string[] {
  return (readdirSync(libDir, { recursive: true }) as string[])
    .filter((file) => /\.ts$/.test(file) && !/\.(spec|test)\.ts$/.test(file))
    .sort();
}

/** Bare packages imported by lib/, with the files importing each. */
function importedPackages(): Map<string, string[]> {
  const packages = new Map<string, string[]>();
  for (const file of libSources()) {
    const source = readFileSync(join(libDir, file), 'utf8');
    for (const specifier of moduleSpecifiers(file, source)) {
      if (specifier.startsWith('.') || specifier.startsWith('/') || isBuiltin(specifier)) continue;
      const name = packageName(specifier);
      packages.set(name, [...(packages.get(name) ?? []), `lib/${file}`]);
    }
  }
  return packages;
}

describe('package.json', () => {
  it('declares every package that lib/ imports as a peer or a dependency', () => {
    const declared = new Set([
      ...Object.keys(manifest.dependencies ?? {}),
      ...Object.keys(manifest.peerDependencies),
    ]);
    const imported = importedPackages();
    // Guards the parser itself: lib/ certainly imports Nest.
    expect([...imported.keys()]).toContain('@nestjs/common');
    const undeclared = [...imported].filter(([name]) => !declared.has(name));
    expect(Object.fromEntries(undeclared)).toEqual({});
  });

  it('finds dynamic imports and import types too', () => {
    const source = [
      "import type { A } from '@a/types-only';",
      "export { b } from 'b-reexported';",
      "const c = () => import('c-dynamic');",
      "type D = typeof import('d-import-type');",
      "import e = require('e-required');",
    ].join('\n');
    expect(moduleSpecifiers('x.ts', source)).toEqual([
      '@a/types-only',
      'b-reexported',
      'c-dynamic',
      'd-import-type',
      'e-required',
    ]);
  });

  it('has no runtime dependencies: Nest and its companions are peers', () => {
    expect(manifest.dependencies ?? {}).toEqual({});
  });

  it('marks only @nestjs/terminus and ioredis as optional peers', () => {
    const optional = Object.entries(manifest.peerDependenciesMeta ?? {})
      .filter(([, meta]) => meta.optional)
      .map(([name]) => name)
      .sort();
    expect(optional).toEqual([...OPTIONAL_PEERS].sort());
    for (const name of optional) expect(manifest.peerDependencies[name]).toBeDefined();
  });

  it.each(ENTRY_POINTS.map((entry) => entry.replace('nestjs-weir-auth', '.')))(
    'exports %s for import, require and any other condition',
    (subpath) => {
      const entry = manifest.exports[subpath] as {
        import: Record<string, string>;
        require: Record<string, string>;
        default: string;
      };
      const dir = subpath === '.' ? '' : `${subpath.slice(2)}/`;
      expect(entry).toEqual({
        import: {
          types: `./dist/esm/${dir}index.d.ts`,
          default: `./dist/esm/${dir}index.js`,
        },
        require: {
          types: `./dist/cjs/${dir}index.d.ts`,
          default: `./dist/cjs/${dir}index.js`,
        },
        default: `./dist/cjs/${dir}index.js`,
      });
      // Conditions match in order: types first (TypeScript), default last (Node).
      expect(Object.keys(entry)).toEqual(['import', 'require', 'default']);
      expect(Object.keys(entry.import)).toEqual(['types', 'default']);
      expect(Object.keys(entry.require)).toEqual(['types', 'default']);
    },
  );

  it('has an entry point in lib/ for every subpath it exports', () => {
    const subpaths = Object.keys(manifest.exports).filter((key) => key !== './package.json');
    expect(subpaths).toEqual(ENTRY_POINTS.map((entry) => entry.replace('nestjs-weir-auth', '.')));
    const sources = new Set(libSources().map((file) => file.split('\\').join('/')));
    for (const subpath of subpaths) {
      expect(sources).toContain(subpath === '.' ? 'index.ts' : `${subpath.slice(2)}/index.ts`);
    }
  });

  it('points the fields of older resolvers at the same files', () => {
    expect(manifest.main).toBe('./dist/cjs/index.js');
    expect(manifest.module).toBe('./dist/esm/index.js');
    expect(manifest.types).toBe('./dist/cjs/index.d.ts');
    expect(manifest.files).toEqual(['dist', 'README.md', 'LICENSE']);
    expect(manifest.sideEffects).toBe(false);
    expect(manifest.engines.node).toBe('^20.19.0 || ^22.12.0 || >=24.0.0');
  });
});
