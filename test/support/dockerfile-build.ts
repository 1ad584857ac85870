/**
 * Writes a MultiStageDockerfile (built with the library's public API) to a temporary build context
 * the way a projen project would lay it out: the Dockerfile at `path`, its ignore file where
 * BuildKit reads it, and any context files.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Construct } from 'constructs';
import { buildCheck, tempDir } from './docker';
import type { MultiStageDockerfile } from '../../src';

/** The root of a construct tree for tests (constructs' root has no scope). */
export function testRoot(id = 'Test'): Construct {
  return new Construct(undefined as unknown as Construct, id);
}

/** Where a rendered Dockerfile landed. */
export interface RenderedDockerfile {
  /** The project root (a temporary directory). */
  readonly root: string;
  /** The build context directory. */
  readonly context: string;
  /** The Dockerfile. */
  readonly dockerfile: string;
  /** The Dockerfile text. */
  readonly text: string;
}

/** Renders `df` (validating it) and its ignore file into a fresh directory, plus `files` (relative to the context). */
export function renderToDirectory(df: MultiStageDockerfile, files: Record<string, string> = {}): RenderedDockerfile {
  const root = tempDir('dockyard-e2e-');
  const text = df.render();
  const dockerfile = join(root, df.path);
  mkdirSync(dirname(dockerfile), { recursive: true });
  writeFileSync(dockerfile, text);
  if (df.ignoreFilePath) {
    const ignore = join(root, df.ignoreFilePath);
    mkdirSync(dirname(ignore), { recursive: true });
    writeFileSync(ignore, df.renderIgnore());
  }
  const context = join(root, df.context);
  mkdirSync(context, { recursive: true });
  for (const [name, content] of Object.entries(files)) {
    const file = join(context, name);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
  return { root, context, dockerfile, text };
}

/** Result of `docker build --check` on a rendered file. */
export interface CheckResult {
  readonly status: number | null;
  /** stdout, where the verdict is printed ("Check complete, no warnings found."). */
  readonly verdict: string;
  /** stdout and stderr, for failure messages. */
  readonly output: string;
}

/** Runs Docker's own linter, the BuildKit build checks, on a rendered Dockerfile. */
export function check(rendered: RenderedDockerfile): CheckResult {
  const r = buildCheck(rendered.context, rendered.dockerfile);
  return { status: r.status, verdict: r.stdout.trim(), output: `${r.stdout}\n${r.stderr.slice(-4000)}\n--- Dockerfile ---\n${rendered.text}` };
}
