/**
 * Local git "remotes" for the action resolver: a bare repository filled from a work repository, reached
 * through a file:// URL, exactly as a resolver would reach github.com.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const GIT_ENV: NodeJS.ProcessEnv = {
  ...process.env,
  GIT_AUTHOR_NAME: 'Dockyard Test',
  GIT_AUTHOR_EMAIL: 'test@dockyard.invalid',
  GIT_COMMITTER_NAME: 'Dockyard Test',
  GIT_COMMITTER_EMAIL: 'test@dockyard.invalid',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_TERMINAL_PROMPT: '0',
};

/** Runs git in `cwd` with a fixed identity and no user/system config; returns stdout, throws with stderr. */
export function gitOk(args: string[], cwd?: string): string {
  return execFileSync('git', ['-c', 'init.defaultBranch=main', '-c', 'commit.gpgSign=false', '-c', 'tag.gpgSign=false', ...args], {
    cwd, env: GIT_ENV, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** One commit: files to write (null deletes) and the tags to put on it. */
export interface RemoteCommit {
  readonly files: Record<string, string | null>;
  /** Lightweight tags. */
  readonly tags?: string[];
  /** Annotated tags (tag objects whose sha differs from the commit's). */
  readonly annotatedTags?: string[];
}

export interface GitRemote {
  /** file:// URL of the bare repository. */
  readonly url: string;
  /** The commit a tag points to, dereferenced. */
  commitOf(tag: string): string;
  /** What refs/tags/<tag> itself points to (the tag object for annotated tags). */
  objectOf(tag: string): string;
}

/** Creates `<root>/<name>.git` (bare) from a work repository with the given commits, and pushes every tag. */
export function makeRemote(root: string, name: string, commits: RemoteCommit[]): GitRemote {
  const work = join(root, `${name}-work`);
  const bare = join(root, `${name}.git`);
  gitOk(['init', '-q', '--bare', bare]);
  gitOk(['init', '-q', work]);
  commits.forEach((commit, i) => {
    for (const [file, content] of Object.entries(commit.files)) {
      const path = join(work, file);
      if (content === null) {
        rmSync(path, { force: true });
      } else {
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, content);
      }
    }
    gitOk(['add', '-A'], work);
    gitOk(['commit', '-q', '--allow-empty', '-m', `commit ${i + 1}`], work);
    for (const tag of commit.tags ?? []) gitOk(['tag', tag], work);
    for (const tag of commit.annotatedTags ?? []) gitOk(['tag', '-a', '-m', `release ${tag}`, tag], work);
  });
  gitOk(['push', '-q', bare, 'main', '--tags'], work);
  return {
    url: `file://${bare}`,
    commitOf: tag => gitOk(['rev-parse', `refs/tags/${tag}^{commit}`], bare).trim(),
    objectOf: tag => gitOk(['rev-parse', `refs/tags/${tag}`], bare).trim(),
  };
}
