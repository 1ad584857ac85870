import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DockyardValidationError } from '../../src/core/problems';
import { LOCK_FILE_NAME, LockedImage, LockFile, readLockFile, refreshLock, renderLockFile, writeLockFileAtomically } from '../../src/lock/lock-file';
import { GitRemote, makeRemote } from '../support/git-remotes';
import { describeWithRegistry, freePort, pushImageViaApi, startRegistry, TestRegistry } from '../support/registry';

const D1 = `sha256:${'1'.repeat(64)}`;
const D2 = `sha256:${'2'.repeat(64)}`;
const SHA = 'a'.repeat(40);
const INDEX = 'application/vnd.oci.image.index.v1+json';
const MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';

const image = (digest: string, repository = 'library/python'): LockedImage => ({ digest, mediaType: INDEX, registry: 'registry-1.docker.io', repository });

const SAMPLE: LockFile = {
  lockVersion: 1,
  images: {
    'python:3.11-alpine': image(D1),
    '127.0.0.1:5000/library/busybox:1.36': { digest: D2, mediaType: MANIFEST, registry: '127.0.0.1:5000', repository: 'library/busybox' },
  },
  actions: { 'actions/checkout': { version: 'v4.2.2', sha: SHA, inputs: ['ref', 'fetch-depth'] } },
};

const SAMPLE_TEXT = `{
  "actions": {
    "actions/checkout": {
      "inputs": [
        "ref",
        "fetch-depth"
      ],
      "sha": "${SHA}",
      "version": "v4.2.2"
    }
  },
  "images": {
    "127.0.0.1:5000/library/busybox:1.36": {
      "digest": "${D2}",
      "mediaType": "${MANIFEST}",
      "registry": "127.0.0.1:5000",
      "repository": "library/busybox"
    },
    "python:3.11-alpine": {
      "digest": "${D1}",
      "mediaType": "${INDEX}",
      "registry": "registry-1.docker.io",
      "repository": "library/python"
    }
  },
  "lockVersion": 1
}
`;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'dockyard-lockfile-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(DockyardValidationError);
    return (error as DockyardValidationError).problems;
  }
  throw new Error('expected a DockyardValidationError');
}

describe('lock file format', () => {
  test('renders exactly: keys sorted at every level, 2-space indent, trailing newline; inputs keep their order', () => {
    expect(renderLockFile(SAMPLE)).toBe(SAMPLE_TEXT);
    expect(LOCK_FILE_NAME).toBe('dockyard.lock.json');
  });

  test('round trip: write, read, render gives the same bytes; the same lock built in another order renders the same', () => {
    const path = join(dir, LOCK_FILE_NAME);
    expect(writeLockFileAtomically(path, SAMPLE)).toBe(true);
    expect(readFileSync(path, 'utf8')).toBe(SAMPLE_TEXT);
    const read = readLockFile(path)!;
    expect(read).toEqual(SAMPLE);
    expect(renderLockFile(read)).toBe(SAMPLE_TEXT);
    const reordered: LockFile = {
      actions: { ...SAMPLE.actions },
      images: { 'python:3.11-alpine': SAMPLE.images['python:3.11-alpine'], '127.0.0.1:5000/library/busybox:1.36': SAMPLE.images['127.0.0.1:5000/library/busybox:1.36'] },
      lockVersion: 1,
    };
    expect(renderLockFile(reordered)).toBe(SAMPLE_TEXT);
  });

  test('integer-like keys are sorted as strings too (JSON.stringify would put them first, in numeric order)', () => {
    const text = renderLockFile({ lockVersion: 1, images: { 9: image(D1, 'library/9'), 10: image(D2, 'library/10'), alpine: image(D1) }, actions: {} });
    expect([...text.matchAll(/^ {4}"([^"]+)": \{$/gm)].map(m => m[1])).toEqual(['10', '9', 'alpine']);
  });

  test('writing unchanged content does not touch the file; no temporary file is left behind', () => {
    const path = join(dir, LOCK_FILE_NAME);
    writeLockFileAtomically(path, SAMPLE);
    const before = statSync(path);
    expect(writeLockFileAtomically(path, readLockFile(path)!)).toBe(false);
    expect(statSync(path).mtimeMs).toBe(before.mtimeMs);
    expect(writeLockFileAtomically(path, { ...SAMPLE, actions: {} })).toBe(true);
    expect(readdirSync(dir)).toEqual([LOCK_FILE_NAME]);
    expect(readLockFile(path)!.actions).toEqual({});
  });

  test('a directory that does not exist is a clear write error', () => {
    const path = join(dir, 'missing', LOCK_FILE_NAME);
    expect(problemsOf(() => writeLockFileAtomically(path, SAMPLE))[0]).toMatch(new RegExp(`^lock file ${path} could not be written \\(ENOENT.*\\)\\. Check the directory exists`));
  });

  test('an absent lock file reads as undefined', () => {
    expect(readLockFile(join(dir, LOCK_FILE_NAME))).toBeUndefined();
  });
});

describe('malformed lock files are rejected with the file name, the field and the rule', () => {
  const valid = JSON.parse(SAMPLE_TEXT) as Record<string, Record<string, Record<string, unknown>>>;
  const variant = (edit: (lock: typeof valid) => unknown) => {
    const copy = JSON.parse(SAMPLE_TEXT) as typeof valid;
    return JSON.stringify(edit(copy) ?? copy);
  };
  test.each<[string, string, RegExp]>([
    ['not JSON', '{"lockVersion": 1,', /is not valid JSON \(.*\)\. Resolve any merge conflict/],
    ['a merge conflict', `<<<<<<< HEAD\n${SAMPLE_TEXT}=======\n${SAMPLE_TEXT}>>>>>>> x\n`, /is not valid JSON/],
    ['an array', '[]', /the file must hold a JSON object, found an array/],
    ['no lockVersion', variant(l => { delete (l as Record<string, unknown>).lockVersion; }), /has no "lockVersion"; this cdk-dockyard reads lockVersion 1 only/],
    ['an unknown lockVersion', variant(l => ({ ...l, lockVersion: 2 })), /has lockVersion 2; this cdk-dockyard reads lockVersion 1 only .*upgrade/],
    ['lockVersion as a string', variant(l => ({ ...l, lockVersion: '1' })), /has lockVersion "1"/],
    ['images missing', variant(l => { delete l.images; }), /"images" must be an object keyed by image reference, found undefined/],
    ['actions as an array', variant(l => ({ ...l, actions: [] })), /"actions" must be an object keyed by "owner\/repo", found an array/],
    ['an unknown top-level field', variant(l => ({ ...l, extra: true })), /the top level has an unknown field "extra"/],
    ['an upper-case digest', variant(l => { l.images['python:3.11-alpine'].digest = D1.toUpperCase(); }),
      /images\["python:3\.11-alpine"\]\.digest must be "sha256:" and 64 lower-case hex digits, found the string "SHA256:1111/],
    ['a missing digest', variant(l => { delete l.images['python:3.11-alpine'].digest; }), /images\["python:3\.11-alpine"\]\.digest must be .*found undefined/],
    ['an unknown media type', variant(l => { l.images['python:3.11-alpine'].mediaType = 'text/html'; }), /\.mediaType must be one of application\/vnd\.oci\.image\.index\.v1\+json/],
    ['a numeric registry', variant(l => { l.images['python:3.11-alpine'].registry = 5; }), /\.registry must be a non-empty string \(host\[:port\]\), found number 5/],
    ['an image entry that is not an object', variant(l => { l.images['python:3.11-alpine'] = null as unknown as Record<string, unknown>; }),
      /images\["python:3\.11-alpine"\] must be an object with digest, mediaType, registry, repository, found null/],
    ['an image key that is not a reference', variant(l => { l.images['Not A Ref'] = l.images['python:3.11-alpine']; }),
      /images\["Not A Ref"\]: the key is not a valid image reference/],
    ['an unknown image field', variant(l => { l.images['python:3.11-alpine'].platform = 'linux/amd64'; }), /images\["python:3\.11-alpine"\] has an unknown field "platform"/],
    ['a short sha', variant(l => { l.actions['actions/checkout'].sha = 'abc'; }), /actions\["actions\/checkout"\]\.sha must be a 40-character lower-case hex commit, found the string "abc"/],
    ['inputs not an array', variant(l => { l.actions['actions/checkout'].inputs = 'ref'; }), /\.inputs must be an array of non-empty strings, found the string "ref"/],
    ['inputs with a number', variant(l => { l.actions['actions/checkout'].inputs = ['ref', 3]; }), /\.inputs must be an array of non-empty strings, found an array with other values/],
    ['an empty version', variant(l => { l.actions['actions/checkout'].version = ''; }), /\.version must be a non-empty string \(the tag, e\.g\. "v4\.2\.2"\)/],
    ['an action key with @', variant(l => { l.actions['actions/checkout@v4'] = l.actions['actions/checkout']; }), /actions\["actions\/checkout@v4"\]: the key is not "owner\/repo"/],
  ])('%s', (_name, text, message) => {
    const path = join(dir, LOCK_FILE_NAME);
    writeFileSync(path, text);
    const problems = problemsOf(() => readLockFile(path));
    expect(problems.some(p => p.startsWith(`lock file ${path}`) && message.test(p))).toBe(true);
  });

  test('every problem of a file is listed at once', () => {
    const path = join(dir, LOCK_FILE_NAME);
    writeFileSync(path, JSON.stringify({ lockVersion: 1, images: { 'x:1': { digest: 'no' } }, actions: { 'a/b': { sha: 'no', version: 'v1', inputs: [] } } }));
    const problems = problemsOf(() => readLockFile(path));
    expect(problems).toHaveLength(5); // digest, mediaType, registry, repository, sha
    for (const p of problems) expect(p).toMatch(new RegExp(`^lock file ${path}: .*\\. Fix it by hand or delete the file and refresh the lock\\.$`));
  });
});

describe('keys such as __proto__ and constructor are only keys', () => {
  test('constructor / toString keys round trip as ordinary entries', () => {
    const path = join(dir, LOCK_FILE_NAME);
    writeFileSync(path, JSON.stringify({
      lockVersion: 1,
      images: { 'constructor': image(D1, 'library/constructor'), 'hasownproperty:1': image(D2, 'library/hasownproperty') },
      actions: { 'toString/constructor': { version: 'v1.0.0', sha: SHA, inputs: ['__proto__', 'constructor'] } },
    }));
    const lock = readLockFile(path)!;
    expect(Object.keys(lock.images)).toEqual(['constructor', 'hasownproperty:1']);
    expect(Object.entries(lock.images)[0]).toEqual(['constructor', image(D1, 'library/constructor')]);
    expect(Object.getPrototypeOf(lock.images)).toBeNull();
    expect(lock.actions['toString/constructor'].inputs).toEqual(['__proto__', 'constructor']);
    const again = join(dir, 'again.json');
    writeLockFileAtomically(again, lock);
    expect(readLockFile(again)).toEqual(lock);
    expect(readFileSync(again, 'utf8')).toContain('    "constructor": {\n      "digest"');
  });

  test('a "__proto__" key in a file is rejected by name and pollutes nothing', () => {
    const path = join(dir, LOCK_FILE_NAME);
    writeFileSync(path, `{"lockVersion":1,"images":{"__proto__":{"digest":"${D1}","mediaType":"${INDEX}","registry":"r","repository":"p","polluted":true}},"actions":{}}`);
    const problems = problemsOf(() => readLockFile(path));
    expect(problems.join('\n')).toContain('images["__proto__"]: the key is not a valid image reference');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).digest).toBeUndefined();
  });

  test('a lock object with an own "__proto__" entry is refused when rendered, not silently dropped', () => {
    const images = Object.create(null) as Record<string, LockedImage>;
    images.__proto__ = image(D1);
    expect(problemsOf(() => renderLockFile({ lockVersion: 1, images, actions: {} }))[0]).toContain('images["__proto__"]: the key is not a valid image reference');
  });
});

describeWithRegistry('refreshLock against a real registry and local git remotes', () => {
  let registry: TestRegistry;
  let remotes: string;
  let setup: GitRemote;
  beforeAll(async () => {
    registry = await startRegistry();
    remotes = mkdtempSync(join(tmpdir(), 'dockyard-lock-remotes-'));
    setup = makeRemote(remotes, 'setup', [
      { files: { 'action.yml': 'name: setup\ninputs:\n  version: {}\n  cache: {}\nruns:\n  using: node20\n  main: x.js\n' }, tags: ['v3.0.0'] },
      { files: { 'action.yml': 'name: setup\ninputs:\n  version: {}\n  cache: {}\n  token: {}\nruns:\n  using: node20\n  main: x.js\n' }, annotatedTags: ['v3.1.0'] },
    ]);
  });
  afterAll(async () => {
    await registry?.stop();
    rmSync(remotes, { recursive: true, force: true });
  });

  test('resolves everything, writes the lock, is stable when nothing moved, and follows a moved tag', async () => {
    const app = `${registry.host}/team/app:1`;
    const web = `${registry.host}/team/web:2`;
    const appDigest = await pushImageViaApi(registry.host, 'team/app', '1', 'app-1');
    const webDigest = await pushImageViaApi(registry.host, 'team/web', '2', 'web-2');
    const path = join(dir, LOCK_FILE_NAME);
    const request = { path, images: [web, app, web], actions: [{ action: 'acme/setup', url: setup.url }, { action: 'toString/constructor', url: setup.url, tag: 'v3.0.0' }] };
    const lock = await refreshLock(request);
    expect(readFileSync(path, 'utf8')).toBe(renderLockFile(lock));
    expect(readLockFile(path)).toEqual(lock);
    expect(lock.images[app]).toEqual({ digest: appDigest, mediaType: 'application/vnd.oci.image.manifest.v1+json', registry: registry.host, repository: 'team/app' });
    expect(lock.images[web].digest).toBe(webDigest);
    expect(lock.actions['acme/setup']).toEqual({ version: 'v3.1.0', sha: setup.commitOf('v3.1.0'), inputs: ['cache', 'token', 'version'] });
    expect(lock.actions['toString/constructor']).toEqual({ version: 'v3.0.0', sha: setup.commitOf('v3.0.0'), inputs: ['cache', 'version'] });

    const bytes = readFileSync(path, 'utf8');
    const mtime = statSync(path).mtimeMs;
    await refreshLock(request);
    expect(readFileSync(path, 'utf8')).toBe(bytes);
    expect(statSync(path).mtimeMs).toBe(mtime);

    const moved = await pushImageViaApi(registry.host, 'team/app', '1', 'app-1-rebuilt');
    expect(moved).not.toBe(appDigest);
    expect((await refreshLock(request)).images[app].digest).toBe(moved);
    expect(readLockFile(path)!.images[app].digest).toBe(moved);
    expect(readdirSync(dir)).toEqual([LOCK_FILE_NAME]);
  });

  test('one failure among good entries: every failure is listed and the file is left byte-for-byte unchanged', async () => {
    await pushImageViaApi(registry.host, 'team/app', '1', 'app-1');
    const path = join(dir, LOCK_FILE_NAME);
    const original = `${SAMPLE_TEXT.trimEnd()}   \n`; // not even in canonical form: it must survive untouched
    writeFileSync(path, original);
    const closed = await freePort();
    let error: unknown;
    try {
      await refreshLock({
        path,
        images: [`${registry.host}/team/app:1`, `${registry.host}/team/missing:1`, `127.0.0.1:${closed}/x/y:1`],
        actions: [{ action: 'acme/setup', url: setup.url }, { action: 'acme/other', url: setup.url, tag: 'v9.9.9' }],
        timeoutMs: 10_000,
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DockyardValidationError);
    const problems = (error as DockyardValidationError).problems;
    expect(problems).toHaveLength(4);
    expect(problems[0]).toMatch(/^image ".*\/team\/missing:1": tag "1" of .* was not found/);
    expect(problems[1]).toMatch(/^image "127\.0\.0\.1:\d+\/x\/y:1": could not reach the registry/);
    expect(problems[2]).toMatch(/^action "acme\/other": tag "v9\.9\.9" does not exist/);
    expect(problems[3]).toBe(`lock file ${path} was left unchanged; fix the problems above and refresh again.`);
    expect(readFileSync(path, 'utf8')).toBe(original);
    expect(readdirSync(dir)).toEqual([LOCK_FILE_NAME]);
  });

  test('a failed first refresh creates no file; an action asked twice with different tags is refused', async () => {
    const path = join(dir, LOCK_FILE_NAME);
    await expect(refreshLock({ path, images: [`${registry.host}/team/none:1`], actions: [] })).rejects.toThrow(/was not found/);
    expect(existsSync(path)).toBe(false);
    await expect(refreshLock({ path, images: [], actions: [{ action: 'acme/setup', url: setup.url }, { action: 'acme/setup', url: setup.url, tag: 'v3.0.0' }] }))
      .rejects.toThrow(/action "acme\/setup" is requested twice with different tag\/url \("newest" and "v3\.0\.0"\)/);
    expect(existsSync(path)).toBe(false);
  });
});
