/**
 * One rule per fact: each rule's pattern or literal is written in exactly one src file, and every other
 * module imports it. Literals are read with TypeScript's own parser (string, template and regular
 * expression literals only; comments and docs do not count), so a copy anywhere in code fails here.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import * as ts from 'typescript';
import { STAGE_NAME, VARIABLE_NAME } from '../../src/core/docker-names';
import { FULL_SHA, ownerProblem } from '../../src/core/github-names';
import { IMAGE_PATH, PLATFORM } from '../../src/core/image-names';
import { CONTROL_CLASS, INVISIBLE_CLASS } from '../../src/core/text-rules';
import { LOCK_FILE_NAME } from '../../src/lock/lock-request';
import { GHCR_REGISTRY, MANIFEST_SCHEMA_VERSION, SEMVER_TAG_PATTERN } from '../../src/pipeline/constants';

const SRC = join(__dirname, '..', '..', 'src');

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap(e =>
    e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []);
}

/** Every literal's source text per src file (strings, templates and regular expressions, quotes and slashes included). */
const LITERALS: Map<string, string[]> = new Map(files(SRC).map(file => {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isRegularExpressionLiteral(node)
      || ts.isTemplateHead(node) || ts.isTemplateMiddle(node) || ts.isTemplateTail(node)) {
      found.push(node.getText(source));
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return [relative(join(SRC, '..'), file), found];
}));

/** The src files whose literals contain `needle`. */
function definedIn(needle: string): string[] {
  return [...LITERALS].filter(([, literals]) => literals.some(l => l.includes(needle))).map(([file]) => file).sort();
}

/** Every src file whose code (not comments) declares `name =`. */
function declaredIn(name: string): string[] {
  return files(SRC).filter(f => new RegExp(`\\b(?:const|let|var)\\s+${name}\\b`).test(readFileSync(f, 'utf8')))
    .map(f => relative(join(SRC, '..'), f)).sort();
}

describe('each fact is defined in exactly one src file', () => {
  test.each<[string, string, string, () => boolean]>([
    // fact, needle as written in the source, the one file, proof that the needle is the live rule
    ['control characters (C0, DEL, C1, line separators)', '\\\\u0000-\\\\u001f', 'src/core/text-rules.ts', () => CONTROL_CLASS.startsWith('\\u0000-\\u001f')],
    ['bidi controls', '\\\\u202a-\\\\u202e', 'src/core/text-rules.ts', () => new RegExp(`[${INVISIBLE_CLASS}]`).test('\u202e')],
    ['zero-width characters', '\\\\u200b', 'src/core/text-rules.ts', () => new RegExp(`[${INVISIBLE_CLASS}]`).test('\u200b')],
    ['byte-order mark', '\\\\ufeff', 'src/core/text-rules.ts', () => new RegExp(`[${INVISIBLE_CLASS}]`).test('\ufeff')],
    ['full commit SHA', '[0-9a-f]{40}', 'src/core/github-names.ts', () => FULL_SHA.test('a'.repeat(40)) && !FULL_SHA.test('A'.repeat(40))],
    ['action owner (GitHub login)', '{0,38}', 'src/core/github-names.ts', () => ownerProblem('a'.repeat(39)) === undefined && ownerProblem('a'.repeat(40)) !== undefined],
    ['image path', '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*', 'src/core/image-names.ts', () => IMAGE_PATH.test('acme/app') && !IMAGE_PATH.test('Acme/app')],
    ['platform', '[a-z0-9]+\\/[a-z0-9_]+', 'src/core/image-names.ts', () => PLATFORM.test('linux/arm64/v8') && !PLATFORM.test('linux')],
    ['stage name', '^[a-z][a-z0-9._-]*$', 'src/core/docker-names.ts', () => STAGE_NAME.test('final') && !STAGE_NAME.test('Final')],
    ['variable name', '^[A-Za-z_][A-Za-z0-9_]*$', 'src/core/docker-names.ts', () => VARIABLE_NAME.test('PYTHON_VERSION')],
    ['semver tag pattern', "'v*.*.*'", 'src/pipeline/constants.ts', () => SEMVER_TAG_PATTERN === 'v*.*.*'],
    ['registry', "'ghcr.io'", 'src/pipeline/constants.ts', () => GHCR_REGISTRY === 'ghcr.io'],
    ['lock file name', "'dockyard.lock.json'", 'src/lock/lock-request.ts', () => LOCK_FILE_NAME === 'dockyard.lock.json'],
  ])('%s', (_fact, needle, file, live) => {
    expect(live()).toBe(true);
    expect(definedIn(needle)).toEqual([file]);
  });

  test('the manifest schema version', () => {
    expect(MANIFEST_SCHEMA_VERSION).toBe(2);
    expect(declaredIn('MANIFEST_SCHEMA_VERSION')).toEqual(['src/pipeline/constants.ts']);
    expect(declaredIn('SUPPORTED_SCHEMA_VERSION')).toEqual([]);
    // nothing writes the version as a bare number
    expect(files(SRC).filter(f => /schemaVersion:\s*\d/.test(readFileSync(f, 'utf8')))).toEqual([]);
  });

  test('no control-character class is written anywhere else (no eslint no-control-regex escape)', () => {
    expect(files(SRC).filter(f => readFileSync(f, 'utf8').includes('no-control-regex')).map(f => relative(SRC, f))).toEqual([]);
  });

  test('VariableOptions is declared once', () => {
    expect(files(SRC).filter(f => /interface VariableOptions\b/.test(readFileSync(f, 'utf8'))).map(f => relative(SRC, f))).toEqual(['dockerfile/instruction-options.ts']);
  });

  test('no src file is longer than 400 lines, and none uses `any`', () => {
    const long = files(SRC).filter(f => readFileSync(f, 'utf8').split('\n').length > 400).map(f => relative(SRC, f));
    expect(long).toEqual([]);
    const anys = files(SRC).filter(f => {
      const source = ts.createSourceFile(f, readFileSync(f, 'utf8'), ts.ScriptTarget.Latest, true);
      let found = false;
      const visit = (n: ts.Node) => {
        if (n.kind === ts.SyntaxKind.AnyKeyword) found = true;
        ts.forEachChild(n, visit);
      };
      visit(source);
      return found;
    }).map(f => relative(SRC, f));
    expect(anys).toEqual([]);
  });
});
