/**
 * Property-based proof that no user string can inject or reshape a Dockerfile instruction: for arbitrary
 * strings (full Unicode, lone UTF-16 surrogates, and a biased mix of the characters and words that matter
 * to the Dockerfile grammar), either the model rejects the input at render() with a DockyardValidationError
 * naming the construct path, or the rendered file parses with dockerfile-ast into exactly the instructions
 * that were built (same count, same keywords) and the arguments equal the input. Every accepted file is also
 * validated with dockerfile-utils: zero diagnostics.
 *
 * dockerfile-ast does not model variable expansion, so for literal ENV/LABEL/ARG values it returns `\$`
 * where BuildKit reads `$` (see literalPropertyValue); the Docker end-to-end suite reads values back from
 * a real engine.
 */
import { Construct } from 'constructs';
import { Instruction } from 'dockerfile-ast';
import * as fc from 'fast-check';
import {
  flags, healthcheckExec, heredocs, jsonArgs, lint, literalPropertyValue, parse, properties, shellCommand, textOf,
} from './parsed';
import {
  BaseImage, CopySource, DockerfileStage, HealthCheck, MultiStageDockerfile, OnBuildTrigger, Platform, RunMount,
} from '../../src';
import { DockyardValidationError } from '../../src/core/problems';

const NUM_RUNS = 1000;

/** Characters and words that mean something to the Dockerfile grammar, shells, heredocs or parser directives. */
const TOKENS = [
  '\n', '\r', '\r\n', '$', '"', '\'', '\\', '#', '\t', ' ', '  ', '[', ']', '{', '}', '=', ',', ':', ';', '/', '.', '..', '*', '`', '&&', '|',
  '>', '<', '<<', '<<<', '-', '--', 'EOF', 'EOF_1', '<<EOF', '<<\'EOF\'', '<<-EOF', '2<<X', ' <<EOF', '--from=evil', '--network=host',
  '--mount=type=secret,id=x', '--chown=0:0', '\\<<EOF', '\\--network=host', '\\-', '\\[', 'a--b', '${A/x}', '${A:}', 'RUN ', 'FROM scratch', 'CMD ["sh"]', 'ONBUILD ', 'ARG X', 'ENV A=b', 'USER root',
  '${A}', '$A', '${A:-x}', '${', '\\$', '\\\\', '\\"', '\\\n', '\\ ', '# escape=`', 'escape=`', 'syntax=x', 'check=skip=all',
  '\u0000', '\u0007', '\u000b', '\u000c', '\u001b', '\u007f', '\u0085', '\u00a0', '\u2028', '\u2029', '\u3000', '\ufeff',
  '\ud800', '\udc00', '\u00e9', '\u{1F600}', 'a', 'b', '0', '1', 'A', 'app', '/app', 'http://x/a.tar.gz', 'sha256:',
];

/** Any UTF-16 code unit: lone surrogates included. */
const utf16 = fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map(c => String.fromCharCode(c)) });
const biased = fc.array(fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...TOKENS) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 3 }) },
), { maxLength: 12 }).map(parts => parts.join(''));
/** Mostly biased strings; also arbitrary full-Unicode, grapheme and UTF-16 strings. */
const text = fc.oneof(
  { weight: 6, arbitrary: biased },
  { weight: 1, arbitrary: fc.string({ unit: 'binary' }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme' }) },
  { weight: 1, arbitrary: utf16 },
);
/** Printable ASCII-heavy strings without line breaks: the likeliest to be accepted. */
const line = fc.array(fc.constantFrom(...TOKENS.filter(t => !/[\u0000-\u001f\u007f-\u009f\u2028\u2029\ud800-\udfff]/.test(t)), 'x', 'y z'), { maxLength: 8 })
  .map(parts => parts.join(''));
const value = fc.oneof({ weight: 1, arbitrary: text }, { weight: 1, arbitrary: line });
/** Mostly valid examples of a kind of input, also with arbitrary text appended, or arbitrary text alone. */
function validish(...valid: string[]): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...valid) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...valid), value).map(([a, b]) => a + b) },
    { weight: 2, arbitrary: value },
  );
}
/** An absolute path made of arbitrary pieces. */
const absPath = fc.tuple(fc.constantFrom('/', '/app/', '/a b/', '/x'), value).map(([a, b]) => a + b);

interface Outcome { accepted: number; rejected: number }
/** The keywords expected before the fixed stage (global ARGs), inside it (what the property builds), and after it (later stages). */
interface Layout { readonly before?: string[]; readonly inside: string[]; readonly after?: string[] }
const outcomes: Record<string, Outcome> = {};

const BUSYBOX = BaseImage.fromRegistry('busybox:1.36');
const PRE = ['FROM', 'WORKDIR', 'ARG', 'LABEL'];
const POST = ['LABEL', 'USER', 'CMD'];

/**
 * Builds a file whose stage `app` holds fixed instructions around what `build` adds, renders it, and
 * returns the parsed instructions `build` produced, or undefined when render() rejected the input (which
 * must then be a DockyardValidationError naming the construct path).
 */
function attempt(name: string, layout: Layout, build: (s: DockerfileStage, df: MultiStageDockerfile) => void,
  check: (rendered: string, insts: Instruction[]) => void): void {
  const { before = [], inside, after = [] } = layout;
  const df = new MultiStageDockerfile(new Construct(undefined as unknown as Construct, 'root'), 'Df', { checkErrors: true });
  const s = df.addStage('app', { from: BUSYBOX });
  s.workdir('/app').arg('A', 'a').label('before', 'x');
  const o = (outcomes[name] ??= { accepted: 0, rejected: 0 });
  let rendered: string;
  try {
    build(s, df);
    s.label('after', 'y').user('10001').cmd(['sh']);
    rendered = df.render();
  } catch (e) {
    if (!(e instanceof DockyardValidationError)) throw e;
    expect(e.problems.length).toBeGreaterThan(0);
    for (const p of e.problems) expect(p.startsWith('[root/Df')).toBe(true);
    o.rejected++;
    return;
  }
  o.accepted++;
  const insts = parse(rendered).getInstructions();
  expect(insts.map(i => i.getKeyword())).toEqual([...before, ...PRE, ...inside, ...POST, ...after]);
  // the fixed instructions around the input are intact
  const end = before.length + PRE.length + inside.length + POST.length;
  expect(properties(insts[before.length + 3])).toEqual([['before', 'x']]);
  expect(properties(insts[end - 3])).toEqual([['after', 'y']]);
  expect(jsonArgs(rendered, insts[end - 1])).toEqual(['sh']);
  expect(parse(rendered).getDirectives().map(d => d.getName())).toEqual(['check']);
  check(rendered, [...insts.slice(before.length + PRE.length, end - POST.length), ...insts.slice(end)]);
  expect(lint(rendered)).toEqual([]);
}

function property<T>(name: string, arb: fc.Arbitrary<T>, expected: string[] | Layout,
  build: (x: T, s: DockerfileStage, df: MultiStageDockerfile) => void, check: (x: T, rendered: string, insts: Instruction[]) => void) {
  test(`${name} (${NUM_RUNS} runs)`, () => {
    fc.assert(fc.property(arb, x => {
      attempt(name, Array.isArray(expected) ? { inside: expected } : expected, (s, df) => build(x, s, df), (r, i) => check(x, r, i));
    }), { numRuns: NUM_RUNS });
    const o = outcomes[name];
    expect(o.accepted + o.rejected).toBeGreaterThanOrEqual(NUM_RUNS);
    // the property is not vacuous: many inputs are accepted and verified (typically 14-89%; 5% leaves room for chance)
    expect(o.accepted).toBeGreaterThanOrEqual(NUM_RUNS / 20);
  });
}

/** The comment content dockerfile-ast reports: the line without spaces/tabs around it. */
const commentContent = (l: string) => l.replace(/^[ \t]+|[ \t]+$/g, '');
/** A heredoc body as written: a final newline is added when missing. */
const bodyOf = (b: string) => (b.endsWith('\n') ? b : `${b}\n`);
/** COPY/ADD arguments, in whichever form (plain words or JSON) the instruction was rendered. */
function copyArgs(rendered: string, inst: Instruction): string[] {
  const json = (inst as unknown as { getOpeningBracket(): unknown }).getOpeningBracket();
  return json ? jsonArgs(rendered, inst) : inst.getArguments().map(a => a.getValue());
}

describe('ENV, LABEL and ARG values', () => {
  property('ENV literal value', value, ['ENV'], (v, s) => s.env('VALUE', v), (v, _r, [env]) => {
    expect(properties(env)).toEqual([['VALUE', literalPropertyValue(v)]]);
  });

  property('ENV value with expandVariables', value, ['ENV'], (v, s) => s.env('VALUE', v, { expandVariables: true }), (v, _r, [env]) => {
    expect(properties(env)).toEqual([['VALUE', v]]);
  });

  property('LABEL value', value, ['LABEL'], (v, s) => s.label('org.example.value', v), (v, _r, [label]) => {
    expect(properties(label)).toEqual([['org.example.value', literalPropertyValue(v)]]);
  });

  property('ARG default', value, ['ARG'], (v, s) => s.arg('VALUE', v), (v, _r, [arg]) => {
    expect(properties(arg)).toEqual([['VALUE', literalPropertyValue(v)]]);
  });

  property('global ARG default and description', fc.tuple(value, value), { before: ['ARG'], inside: [] }, ([v, d], _s, df) => df.addArg('GLOBAL', v, { description: d }),
    ([v, d], rendered) => {
      const file = parse(rendered);
      expect(file.getInitialARGs().map(a => properties(a))).toEqual([[['GLOBAL', literalPropertyValue(v)]]]);
      expect(file.getComments().map(c => c.getContent())).toEqual(d === '' ? [] : d.split('\n').map(commentContent));
      expect(file.getEscapeCharacter()).toBe('\\');
    });

  property('ENV and ARG names', validish('A', 'APP_VERSION', '_x', 'a1', 'PYTHONUNBUFFERED'), ['ARG', 'ENV'], (v, s) => s.arg(v, 'x').env(v, 'y'), (v, _r, [arg, env]) => {
    expect(properties(arg)).toEqual([[v, 'x']]);
    expect(properties(env)).toEqual([[v, 'y']]);
  });

  property('LABEL key', validish('org.opencontainers.image.source', 'a', 'com.example/x-y', 'version'), ['LABEL'], (v, s) => s.label(v, 'x'), (v, _r, [label]) => {
    expect(properties(label)).toEqual([[v, 'x']]);
  });
});

describe('exec-form arguments', () => {
  const args = fc.array(value, { minLength: 0, maxLength: 4 });
  property('CMD and ENTRYPOINT exec form', args, ['ENTRYPOINT', 'SHELL'], (a, s) => s.entrypoint(a).shell(['/bin/sh', ...a]),
    (a, r, [entrypoint, shell]) => {
      expect(jsonArgs(r, entrypoint)).toEqual(a);
      expect(jsonArgs(r, shell)).toEqual(['/bin/sh', ...a]);
    });

  property('RUN exec form (also as ONBUILD)', args, ['RUN', 'ONBUILD'], (a, s) => s.runExec(a).onBuild(OnBuildTrigger.runExec(a)),
    (a, r, [run, onbuild]) => {
      expect(flags(run)).toEqual([]);
      expect(jsonArgs(r, run)).toEqual(a);
      expect(jsonArgs(r, parse(r).getOnbuildTriggers()[0])).toEqual(a);
      expect(onbuild.getKeyword()).toBe('ONBUILD');
    });

  property('HEALTHCHECK exec form', args, ['HEALTHCHECK'], (a, s) => s.healthcheck(HealthCheck.exec(a, { interval: '5s' })), (a, r, [hc]) => {
    expect(flags(hc)).toEqual([['interval', '5s']]);
    expect(healthcheckExec(r, hc)).toEqual(a);
  });

  property('VOLUME paths', fc.array(absPath, { minLength: 1, maxLength: 3 }), ['VOLUME'], (p, s) => s.volume(...p), (p, r, [volume]) => {
    expect(jsonArgs(r, volume)).toEqual(p);
  });
});

describe('shell-form commands', () => {
  // dockerfile-ast reports the command without the spaces around it, as BuildKit runs it
  const trimmed = (c: string | null) => (c ?? '').replace(/^ +| +$/g, '');
  property('RUN shell form (also as ONBUILD)', value, ['RUN', 'ONBUILD'], (c, s) => s.run(c).onBuild(OnBuildTrigger.run(c)), (c, r, [run]) => {
    expect(flags(run)).toEqual([]);
    expect(trimmed(shellCommand(run))).toBe(trimmed(c));
    expect(trimmed(shellCommand(parse(r).getOnbuildTriggers()[0]))).toBe(trimmed(c));
    expect(heredocs(r, run)).toEqual([]);
  });

  property('RUN shell form after mounts', value, ['RUN'], (c, s) => s.run(c, { mounts: [RunMount.tmpfs({ target: '/t' })] }), (c, r, [run]) => {
    expect(flags(run)).toEqual([['mount', 'type=tmpfs,target=/t']]);
    expect(trimmed(shellCommand(run))).toBe(trimmed(c));
    expect(heredocs(r, run)).toEqual([]);
  });

  property('CMD/ENTRYPOINT/HEALTHCHECK shell form', value, ['ENTRYPOINT', 'HEALTHCHECK'],
    (c, s) => s.entrypointShell(c).healthcheck(HealthCheck.shell(c)), (c, r, [entrypoint, hc]) => {
      expect(trimmed(shellCommand(entrypoint))).toBe(trimmed(c));
      const args = hc.getArguments();
      expect(args[0].getValue()).toBe('CMD');
      expect(trimmed(textOf(r, { start: args[1].getRange().start, end: hc.getRange().end }))).toBe(trimmed(c));
    });
});

describe('heredoc bodies', () => {
  property('runScript body', value, ['RUN'], (b, s) => s.runScript(b), (b, r, [run]) => {
    const docs = heredocs(r, run);
    expect(docs).toHaveLength(1);
    expect(docs[0].body).toBe(bodyOf(b));
  });

  property('copyContent body and destination', fc.tuple(value, fc.oneof(value, absPath)), ['COPY'],
    ([b, d], s) => s.copyContent(b, d), ([b, d], r, [copy]) => {
      const docs = heredocs(r, copy);
      expect(docs).toHaveLength(1);
      expect(docs[0].body).toBe(bodyOf(b));
      expect(copy.getArguments().map(a => a.getValue()).slice(0, 2)).toEqual([`<<'${docs[0].name}'`, d]);
    });

  property('ONBUILD RUN cannot open a heredoc', value, ['ONBUILD'], (c, s) => s.onBuild(OnBuildTrigger.run(c)), (_c, r, [onbuild]) => {
    expect(heredocs(r, onbuild)).toEqual([]);
  });
});

describe('comments', () => {
  property('stage comment', value, [], (c, s) => s.comment(c), (c, r) => {
    expect(parse(r).getComments().map(x => x.getContent())).toEqual(c.split('\n').map(commentContent));
  });

  property('ARG/ENV description', value, ['ENV'], (c, s) => s.env('DESCRIBED', 'v', { description: c }), (c, r, [env]) => {
    // an empty description adds no comment
    expect(parse(r).getComments().map(x => x.getContent())).toEqual(c === '' ? [] : c.split('\n').map(commentContent));
    expect(properties(env)).toEqual([['DESCRIBED', 'v']]);
  });
});

describe('paths', () => {
  property('WORKDIR', fc.oneof(value, absPath), ['WORKDIR'], (p, s) => s.workdir(p), (p, _r, [workdir]) => {
    expect(workdir.getArgumentsContent()).toBe(p);
  });

  const sources = validish('requirements.txt', 'src/', 'a b.txt', '*.py', '--x', '[x]', 'a<<b');
  property('COPY sources and destination', fc.tuple(fc.array(sources, { minLength: 1, maxLength: 3 }), fc.oneof(validish('/app/', 'dest/', '/x y/'), absPath)), ['COPY'],
    ([src, dest], s) => s.copy(src, dest, { chown: '10001' }), ([src, dest], r, [copy]) => {
      expect(flags(copy)).toEqual([['chown', '10001']]);
      expect(copyArgs(r, copy)).toEqual([...src, dest]);
      expect(heredocs(r, copy)).toEqual([]);
    });

  property('COPY with expandVariables', fc.tuple(value, value), ['COPY'],
    ([src, dest], s) => s.copy([src], `/dest/${dest}`, { expandVariables: true }), ([src, dest], r, [copy]) => {
      expect(copyArgs(r, copy)).toEqual([src, `/dest/${dest}`]);
    });

  property('ADD sources and destination', fc.tuple(fc.oneof(value, value.map(v => `${v}.tar.gz`), value.map(v => `https://example.com/${v}`)), absPath),
    ['ADD'], ([src, dest], s) => s.add([src], dest), ([src, dest], r, [add]) => {
      expect(copyArgs(r, add)).toEqual([src, dest]);
      expect(heredocs(r, add)).toEqual([]);
    });

  property('mount targets, sources and ids', fc.tuple(validish('/src', '/root/.cache', '/a/b-c_d.e'), validish('wheels', 'a/b', '.'), validish('pip', 'cache-1', 'a/b.c')), ['RUN'],
    ([target, source, id], s) => s.run('true', { mounts: [RunMount.bind({ target, source }), RunMount.cache({ target: '/c', id })] }),
    ([target, source, id], _r, [run]) => {
      const fs = flags(run);
      expect(fs.map(f => f[0])).toEqual(['mount', 'mount']);
      expect(fs.map(f => f[1])).toEqual([`type=bind,target=${target},source=${source}`, `type=cache,target=/c,id=${id}`]);
      expect(shellCommand(run)).toBe('true');
    });
});

describe('names, references and flags', () => {
  property('USER and COPY --chown/--chmod', fc.tuple(validish('10001', 'app', 'nobody', '_svc', 'www-data'), validish('10001:10001', 'app:app', '0'), validish('0644', '755', '0600')), ['COPY', 'USER'],
    ([user, owner, mode], s) => s.copy(['a'], '/a', { chown: owner, chmod: mode }).user(user), ([user, owner, mode], _r, [copy, u]) => {
      expect(flags(copy)).toEqual([['chown', owner], ['chmod', mode]]);
      expect(u.getArgumentsContent()).toBe(user);
    });

  property('stage name, image reference and platform', fc.tuple(validish('other', 'build-2', 'x.y_z'),
    validish('busybox:1.36', 'ghcr.io/acme/app:1.2.0', 'localhost:5000/x/y:tag', `python:3.11@sha256:${'c'.repeat(64)}`), validish('linux/amd64', 'linux/arm64/v8')), { inside: [], after: ['FROM', 'USER'] },
  ([name, ref, platform], _s, df) => df.addStage('other', { from: BaseImage.fromRegistry(ref), name, platform: Platform.custom(platform) }).user('1'),
  ([name, ref, platform], _r, [from]) => {
    expect(flags(from)).toEqual([['platform', platform]]);
    expect(from.getArguments().map(a => a.getValue())).toEqual([ref, 'AS', name]);
  });

  property('COPY --from image and named context', fc.tuple(validish('busybox:1.36', 'ghcr.io/acme/tools:2', 'a.b/c:d'), validish('config', 'ctx-1', 'a.b_c')), ['COPY', 'COPY'],
    ([image, context], s) => s.copy(['/a'], '/a', { from: CopySource.image(image) }).copy(['/b'], '/b', { from: CopySource.namedContext(context) }),
    ([image, context], _r, [a, b]) => {
      expect(flags(a)).toEqual([['from', image]]);
      expect(flags(b)).toEqual([['from', context]]);
    });

  property('STOPSIGNAL and HEALTHCHECK durations', fc.tuple(validish('SIGTERM', '9', 'SIGRTMIN+3', 'QUIT'), validish('30s', '1m30s', '500ms', '1h')), ['STOPSIGNAL', 'HEALTHCHECK'],
    ([signal, duration], s) => s.stopSignal(signal).healthcheck(HealthCheck.exec(['true'], { timeout: duration })),
    ([signal, duration], _r, [stop, hc]) => {
      expect(stop.getArgumentsContent()).toBe(signal);
      expect(flags(hc)).toEqual([['timeout', duration]]);
    });
});

describe('file-level strings', () => {
  test(`# syntax= directive (${NUM_RUNS} runs): rejected, or exactly the syntax and check directives`, () => {
    let accepted = 0;
    fc.assert(fc.property(validish('docker/dockerfile:1', 'docker/dockerfile:1.10', `docker/dockerfile:1@sha256:${'d'.repeat(64)}`), syntax => {
      const df = new MultiStageDockerfile(new Construct(undefined as unknown as Construct, 'root'), 'Df', { syntax });
      df.addStage('app', { from: BUSYBOX }).user('1');
      let out: string;
      try {
        out = df.render();
      } catch (e) {
        expect(e).toBeInstanceOf(DockyardValidationError);
        expect((e as DockyardValidationError).problems).toEqual([`[root/Df] syntax ${JSON.stringify(syntax)} must be an image reference such as docker/dockerfile:1.10`]);
        return;
      }
      accepted++;
      const file = parse(out);
      expect(file.getDirectives().map(d => [d.getName(), d.getValue()])).toEqual([['syntax', syntax], ['check', 'error=true']]);
      expect(file.getEscapeCharacter()).toBe('\\');
      expect(file.getInstructions().map(i => i.getKeyword())).toEqual(['FROM', 'USER']);
      expect(lint(out)).toEqual([]);
    }), { numRuns: NUM_RUNS });
    expect(accepted).toBeGreaterThanOrEqual(NUM_RUNS / 10);
  });

  test(`ignore patterns (${NUM_RUNS} runs): rejected, or one line each, in order`, () => {
    let accepted = 0;
    fc.assert(fc.property(fc.array(validish('node_modules', '**/*.log', '!keep.log', '.env.*', 'a b'), { maxLength: 4 }), patterns => {
      const df = new MultiStageDockerfile(new Construct(undefined as unknown as Construct, 'root'), 'Df', { ignore: { patterns } });
      df.addStage('app', { from: BUSYBOX }).user('1');
      let out: string;
      try {
        out = df.renderIgnore();
      } catch (e) {
        expect(e).toBeInstanceOf(DockyardValidationError);
        for (const p of (e as DockyardValidationError).problems) expect(p.startsWith('[root/Df] ignore pattern')).toBe(true);
        return;
      }
      accepted++;
      // (no pattern at all: an empty file of one empty line)
      expect(out.split('\n')).toEqual(patterns.length ? [...patterns, ''] : ['', '']);
      // and the Dockerfile itself is unaffected
      expect(parse(df.render()).getInstructions().map(i => i.getKeyword())).toEqual(['FROM', 'USER']);
    }), { numRuns: NUM_RUNS });
    expect(accepted).toBeGreaterThanOrEqual(NUM_RUNS / 10);
  });
});

afterAll(() => {
  // the figures for the report: how many inputs each property accepted (and verified) or rejected
  const rows = Object.entries(outcomes).map(([name, o]) => `${name}: ${o.accepted} accepted, ${o.rejected} rejected`);
  // eslint-disable-next-line no-console
  console.log(`property outcomes (${NUM_RUNS} runs each):\n${rows.join('\n')}`);
});
