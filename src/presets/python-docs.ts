/**
 * The markdown that documents a preset's Dockerfile, written from the model (documentedVariables(),
 * the stages), so it cannot drift from the file.
 * @internal
 */
import type { MultiStageDockerfile } from '../dockerfile';
import type { BuiltPreset } from './python-builder';

/** Everything the documentation needs to know. @internal */
export interface DocsInput {
  readonly title: string;
  readonly constructPath: string;
  readonly built: BuiltPreset;
  readonly development: boolean;
}

/** Renders the markdown; `marker` is projen's "generated" notice, if any. @internal */
export function renderPresetDocs(input: DocsInput, marker?: string): string {
  const { built } = input;
  const df: MultiStageDockerfile = built.dockerfile;
  const target = df.target.stageName;
  const lines: string[] = [];
  lines.push(`# ${input.title}: \`${df.path}\``, '');
  if (marker) lines.push(`<!-- ${marker} -->`, '');
  lines.push(
    `Generated from the \`${input.constructPath}\` construct, together with \`${df.path}\`${df.ignoreFilePath ? ` and its ignore file \`${df.ignoreFilePath}\`` : ''}.`,
    `Python ${built.pythonVersion} (${built.pythonVersionOrigin}) on ${built.osFamily.name}; the image runs as UID ${built.uid}, GID ${built.gid} and listens on port ${built.port}.`,
    '',
    '## Build',
    '',
    '```sh',
    `docker build -f ${df.path} --target ${target} -t <image> ${df.context}`,
    ...(input.development ? [`docker run --rm -it -p ${built.port}:${built.port} -v "$PWD:${workdirOf(built)}" <image>`] : []),
    '```',
    '',
  );
  if (input.development) {
    lines.push(
      `The source is not copied into the development image: mount it at \`${workdirOf(built)}\`. The container runs as UID ${built.uid};`,
      'if it must write to the mounted tree, run it with `--user "$(id -u):$(id -g)"`.',
      '',
    );
  }
  if (!input.development) {
    lines.push(
      '## What the application may write',
      '',
      `Everything under \`${built.workdir}\` (the source, copied with mode 0755, and any collected static files) and the`,
      `virtual environment \`${built.venv}\` belong to root: UID ${built.uid} can read them but cannot change, add or delete anything.`,
      built.writablePaths.length
        ? `Writable by UID ${built.uid}: ${built.writablePaths.map(p => code(p)).join(', ')} (created and handed to it at build time). Everything else is read-only to the application.`
        : 'No directory is handed to it (option `writablePaths`): everything else is read-only to the application, except what the base image leaves writable to all, such as `/tmp`.',
      '',
    );
  }
  lines.push('## Stages', '', '| Stage | From | Purpose |', '| --- | --- | --- |');
  for (const s of df.stages) {
    const from = s.from.stage ? `stage \`${s.from.stage.stageName}\`` : code(s._imageReference() ?? 'scratch');
    lines.push(`| ${code(s.stageName)}${s === df.target ? ' (target)' : ''} | ${from} | ${cell(built.stagePurposes.get(s) ?? '')} |`);
  }
  const variables = df.documentedVariables();
  const args = variables.filter(v => v.kind === 'ARG');
  const envs = variables.filter(v => v.kind === 'ENV');
  // a FROM locked by digest renders without its ${…}: the build arguments it used no longer choose the image
  const locked = df.stages.filter(s => s.from.reference !== undefined && s._imageReference() !== s.from.reference);
  const usedByLocked = (name: string) => locked.some(s => s.from.reference!.includes(`\${${name}}`) || s.from.reference!.includes(`$${name}`));
  lines.push('', '## Build arguments', '');
  if (locked.length) {
    const names = args.filter(a => !a.stage && usedByLocked(a.name)).map(a => a.name);
    const example = names.length ? ` (\`--build-arg ${names[0]}=...\` still builds the locked image)` : '';
    lines.push(
      `The base image${locked.length > 1 ? 's are' : ' is'} locked by digest: ${locked.map(s => code(s._imageReference()!)).join(', ')}. The digest wins over`,
      `any build argument, so ${names.length ? names.map(n => code(n)).join(', ') : 'no global ARG'} no longer change${names.length === 1 ? 's' : ''} the base image${example}.`,
      'To move it, change it where this Dockerfile is defined and refresh the lock (DockyardLock: `npx projen dockyard:lock`).',
      '',
    );
  }
  if (args.length) {
    lines.push('Set with `docker build --build-arg NAME=value`.', '', '| Name | Scope | Default | Description |', '| --- | --- | --- | --- |');
    for (const a of args) {
      const scope = a.stage ? `stage \`${a.stage}\`` : usedByLocked(a.name) ? 'global (FROM lines; locked: no effect on the image)' : 'global (FROM lines)';
      lines.push(`| ${code(a.name)} | ${scope} | ${a.value === undefined ? '(none)' : code(a.value)} | ${cell(a.description ?? '')} |`);
    }
  } else {
    lines.push('None.');
  }
  lines.push('', '## Environment variables', '', 'Set in the image; override at run time with `docker run -e NAME=value`.', '',
    '| Name | Stage | Value | Description |', '| --- | --- | --- | --- |');
  for (const e of envs) lines.push(`| ${code(e.name)} | \`${e.stage}\` | ${code(e.value ?? '')} | ${cell(e.description ?? '')} |`);
  lines.push(
    '',
    '## Image labels',
    '',
    'The OCI labels that change with every build (`org.opencontainers.image.source`, `revision`, `created`) are not in',
    'the Dockerfile: a build argument for them would invalidate the cache of every later `RUN`. The publish workflow',
    'applies them with `docker/metadata-action` (`labels:` of `docker/build-push-action`); for a local build pass',
    '`docker build --label org.opencontainers.image.revision=$(git rev-parse HEAD)`, which changes no layer.',
    '',
  );
  return lines.join('\n');
}

function workdirOf(built: BuiltPreset): string {
  return built.workdir;
}

/** Inline code that survives any content (backticks, pipes). */
function code(value: string): string {
  const v = value.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
  const fence = v.includes('`') ? '``' : '`';
  return `${fence}${fence === '``' ? ' ' : ''}${v}${fence === '``' ? ' ' : ''}${fence}`;
}

/** A table cell: no raw pipes or newlines. */
function cell(value: string): string {
  return value.replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
}
