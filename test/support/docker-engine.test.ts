/**
 * The engine selection of test/support/docker.ts, with real clients and a real engine (no stand-ins): the
 * unpacked engine chosen by DOCKYARD_ENGINE_DIR, the same engine reached as an "installed" one through PATH and
 * DOCKER_HOST, the same client without its buildx plugin (rejected, with the reason), and this machine's
 * /usr/local/bin/docker, a Docker 28 client without buildx, when it is there. (An engine older than 28 cannot be
 * had here; that rule is only read.)
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { DEFAULT_ENGINE_DIR, describeWithDocker, engineSelection, MINIMUM_ENGINE_MAJOR, selectEngine } from './docker';

const LOCAL_DOCKER = '/usr/local/bin/docker';
const SYSTEM_PATH = '/usr/sbin:/usr/bin:/sbin:/bin';

describeWithDocker('Docker engine selection', () => {
  // read when the suite is collected, also when it is skipped (no engine): only the tests may rely on an engine
  const selected = engineSelection().engine;
  const engine = selected ?? { kind: 'unpacked', client: '', env: {}, serverVersion: '', description: '' };
  const unpackedDir = dirname(dirname(dirname(dirname(engine.client)))); // <dir>/x/usr/bin/docker
  const isUnpacked = engine.kind === 'unpacked';
  let empty: string;

  beforeAll(() => {
    empty = mkdtempSync(join(tmpdir(), 'dockyard-no-engine-'));
  });
  afterAll(() => rmSync(empty, { recursive: true, force: true }));

  test('the selected engine answers with Docker 28 or newer, through a client with buildx', () => {
    expect(Number(engine.serverVersion.split('.')[0])).toBeGreaterThanOrEqual(MINIMUM_ENGINE_MAJOR);
    expect(existsSync(engine.client)).toBe(true);
    expect(engine.description).toContain(engine.serverVersion);
  });

  (isUnpacked ? test : test.skip)('DOCKYARD_ENGINE_DIR selects the unpacked engine in that directory, whatever DOCKER_HOST says', () => {
    const s = selectEngine({ PATH: SYSTEM_PATH, DOCKYARD_ENGINE_DIR: unpackedDir, DOCKER_HOST: 'unix:///nonexistent.sock' });
    expect(s.engine?.kind).toBe('unpacked');
    expect(s.engine?.client).toBe(join(unpackedDir, 'x/usr/bin/docker'));
    expect(s.engine?.env.DOCKER_HOST).toBe(`unix://${join(unpackedDir, 'docker.sock')}`);
    expect(s.rejected).toEqual([]);
  });

  test('DOCKYARD_ENGINE_DIR naming a directory without an engine selects nothing else, and says why', () => {
    const s = selectEngine({ PATH: `${dirname(engine.client)}${delimiter}${SYSTEM_PATH}`, DOCKYARD_ENGINE_DIR: empty });
    expect(s.engine).toBeUndefined();
    expect(s.rejected).toEqual([`unpacked engine: not installed in ${empty} (no ${join(empty, 'x/usr/bin/docker')}) (selected by DOCKYARD_ENGINE_DIR)`]);
  });

  test('an engine configured through PATH and DOCKER_HOST is used as the installed engine', () => {
    const host = engine.env.DOCKER_HOST ?? process.env.DOCKER_HOST;
    const s = selectEngine({
      PATH: `${dirname(engine.client)}${delimiter}${SYSTEM_PATH}`,
      ...(host ? { DOCKER_HOST: host } : {}),
      ...(engine.env.DOCKER_CONFIG ?? process.env.DOCKER_CONFIG ? { DOCKER_CONFIG: engine.env.DOCKER_CONFIG ?? process.env.DOCKER_CONFIG } : {}),
      HOME: process.env.HOME,
    });
    expect(s.engine?.kind).toBe('installed');
    expect(s.engine?.client).toBe(engine.client);
    expect(s.engine?.serverVersion).toBe(engine.serverVersion);
    expect(s.rejected).toEqual([]);
  });

  (isUnpacked ? test : test.skip)('a client without buildx is rejected with the reason, and the unpacked engine is used instead', () => {
    // the unpacked client finds buildx only in its DOCKER_CONFIG: an empty one is a real client without buildx
    const s = selectEngine({
      PATH: `${dirname(engine.client)}${delimiter}${SYSTEM_PATH}`,
      DOCKER_HOST: engine.env.DOCKER_HOST,
      DOCKER_CONFIG: empty,
      HOME: process.env.HOME,
    });
    expect(s.rejected[0]).toMatch(new RegExp(`^installed engine: ${engine.client} has no buildx plugin \\("docker buildx version": .+\\); the suites build with buildx`));
    // the fallback: the unpacked engine in its default directory, when it runs (else the second reason says why not)
    if (s.engine) expect(s.engine).toMatchObject({ kind: 'unpacked', client: join(DEFAULT_ENGINE_DIR, 'x/usr/bin/docker') });
    else expect(s.rejected[1]).toMatch(/^unpacked engine: /);
  });

  (existsSync(LOCAL_DOCKER) ? test : test.skip)(`this machine's ${LOCAL_DOCKER} (no buildx) is never used`, () => {
    const s = selectEngine({ PATH: `${dirname(LOCAL_DOCKER)}${delimiter}${SYSTEM_PATH}`, HOME: process.env.HOME });
    expect(s.rejected[0]).toMatch(new RegExp(`^installed engine: ${LOCAL_DOCKER} has no buildx plugin`));
    expect(s.engine?.client).not.toBe(LOCAL_DOCKER);
  });

  test('DOCKER_HOST without any docker client on PATH is reported', () => {
    const s = selectEngine({ PATH: empty, DOCKER_HOST: 'unix:///var/run/docker.sock' });
    expect(s.rejected[0]).toBe('installed engine: no docker client on PATH (DOCKER_HOST=unix:///var/run/docker.sock is set)');
  });
});
