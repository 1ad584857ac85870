import { randomUUID } from 'crypto';
import { readFileSync } from 'fs';
import { join } from 'path';
import * as posix from 'path/posix';
import { Component, javascript, Project, SampleFile, Task } from 'projen';
import { ensureValidationGate } from './validation-gate';
import { ownerProblem, repositoryProblem } from '../core/github-names';
import { repositoryPathProblem } from '../core/repository-paths';

/** Options of `RepositorySettingsApp`. */
export interface RepositorySettingsAppOptions {
  /** The repository's owner, for the starter `main.ts` (the `acme` of `github.com/acme/app`). */
  readonly owner: string;

  /** The repository's name, for the starter `main.ts` (the `app` of `github.com/acme/app`). */
  readonly repository: string;

  /**
   * The cdktf app's directory, relative to the project root. Give the same
   * directory to the publish workflow's `synthDrift.cdktfApp`.
   * @default "infra"
   */
  readonly directory?: string;

  /**
   * Whether to add what the app needs to the project's dev dependencies
   * (`cdktf`, `cdktf-cli`, `@cdktf/provider-github`, `constructs`,
   * `ts-node`, `typescript`), each at the version cdk-dockyard is built
   * against, unless the project already has it. Only Node projects have
   * dependencies: other projects install these themselves.
   * @default true
   */
  readonly addDependencies?: boolean;
}

/**
 * Scaffolds the cdktf app that applies `GithubRepositorySettingsStack` to the
 * repository, in `infra/` by default: `cdktf.json`, `tsconfig.json` and a
 * starter `main.ts`, each written only when absent (they are yours to edit
 * afterwards); the dev dependencies the app and the publish workflow's
 * synth-drift job need; git ignore entries for Terraform's working files
 * (`cdktf.out/` stays committed: the drift job compares it); and the tasks
 * `settings:synth`, `settings:diff` and `settings:deploy`.
 *
 * It never loads cdktf: only the app does, when cdktf runs it.
 */
export class RepositorySettingsApp extends Component {
  /** Terraform's and cdktf's working files, relative to the app directory, that git must not track. */
  public static readonly IGNORED_FILES: string[] = [
    '**/.terraform/', '**/*.tfstate*', '.gen/', 'cdktf.out/stacks/*/plan', 'cdktf.out/stacks/*/generated_resources.tf',
  ];

  /** The app's directory, relative to the project root. */
  public readonly directory: string;
  /** `cdktf synth` in the app's directory (offline: `CHECKPOINT_DISABLE=1`). */
  public readonly synthTask: Task;
  /** `cdktf diff`: what a deploy would change (needs Terraform and `GITHUB_TOKEN`). */
  public readonly diffTask: Task;
  /** `cdktf deploy` (asks before applying; needs Terraform and `GITHUB_TOKEN`). */
  public readonly deployTask: Task;

  constructor(project: Project, options: RepositorySettingsAppOptions) {
    super(project, 'RepositorySettingsApp');
    this.directory = options.directory ?? 'infra';
    ensureValidationGate(project);
    this.node.addValidation({ validate: () => problems(options, this.directory) });

    // an invalid directory is reported by the validation above, before projen writes anything
    const dir = typeof this.directory === 'string' ? posix.normalize(this.directory) : 'infra';
    const file = (name: string) => posix.join(dir, name);
    new SampleFile(project, file('cdktf.json'), { contents: `${JSON.stringify(cdktfJson(), undefined, 2)}\n` });
    new SampleFile(project, file('tsconfig.json'), { contents: `${JSON.stringify(TSCONFIG, undefined, 2)}\n` });
    new SampleFile(project, file('main.ts'), { contents: starterMain(options.owner, options.repository) });

    project.gitignore.exclude(...RepositorySettingsApp.IGNORED_FILES.map(f => `/${file(f)}`));
    const env = { CHECKPOINT_DISABLE: '1' };
    this.synthTask = project.addTask('settings:synth', {
      description: `Synthesize the repository settings (cdktf app in ${dir}) into ${file('cdktf.out')}`, cwd: dir, env, exec: 'npx cdktf synth',
    });
    this.diffTask = project.addTask('settings:diff', {
      description: 'Show what deploying the repository settings would change (needs terraform and GITHUB_TOKEN)', cwd: dir, env, exec: 'npx cdktf diff',
    });
    this.deployTask = project.addTask('settings:deploy', {
      description: 'Apply the repository settings to GitHub (asks first; needs terraform and GITHUB_TOKEN)', cwd: dir, env, exec: 'npx cdktf deploy',
    });

    if ((options.addDependencies ?? true) && project instanceof javascript.NodeProject) {
      for (const [name, version] of appDependencies()) project.deps.requestDependency({ name, version });
    }
  }
}

/** The app's `tsconfig.json`: CommonJS for ts-node, `cdk-dockyard` resolved through its package exports. */
const TSCONFIG = {
  compilerOptions: {
    module: 'node16', target: 'ES2022', strict: true, esModuleInterop: true, skipLibCheck: true, types: ['node'],
  },
  include: ['**/*.ts'],
  exclude: ['cdktf.out', '.gen', 'node_modules'],
};

function cdktfJson(): Record<string, unknown> {
  return {
    language: 'typescript',
    app: 'npx ts-node --transpile-only --project tsconfig.json main.ts',
    // cdktf writes a projectId into cdktf.json when there is none: give it one, so no run changes the file
    projectId: randomUUID(),
    sendCrashReports: 'false',
    terraformProviders: [],
    terraformModules: [],
    context: {},
  };
}

/** The stack id of the starter main.ts: it names cdktf.out/stacks/<id>/ and the local state file. */
const STACK_ID = 'repository-settings';

function starterMain(owner: string, repository: string): string {
  const q = (value: string) => `'${value}'`;
  return `/**
 * The repository settings, as a cdktf app: \`npx projen settings:synth\` (also run by the synth-drift job),
 * \`npx projen settings:diff\`, \`npx projen settings:deploy\` (the GitHub provider reads GITHUB_TOKEN then).
 * PipelineManifestFile.read() finds .github/dockyard-pipeline.json, which \`npx projen\` writes, from here up
 * to the repository root. The state is local (terraform.${STACK_ID}.tfstate here, ignored by git) unless you
 * add a backend to the stack, e.g. new S3Backend(stack, { ... }).
 */
import { App } from 'cdktf';
import { GithubRepositorySettingsStack, PipelineManifestFile } from 'cdk-dockyard';

const app = new App();
new GithubRepositorySettingsStack(app, ${q(STACK_ID)}, {
  owner: ${q(owner)},
  repository: ${q(repository)},
  manifest: PipelineManifestFile.read(),
});
app.synth();
`;
}

/** The app's dev dependencies, at the versions of cdk-dockyard's own peer dependencies (read from its package.json). */
function appDependencies(): Array<[string, string | undefined]> {
  let peers: Record<string, string> = {};
  try {
    peers = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf-8')).peerDependencies ?? {};
  } catch {
    // an unusual installation: request the packages without a version
  }
  return [
    ['cdktf', peers.cdktf],
    ['cdktf-cli', peers.cdktf],
    ['@cdktf/provider-github', peers['@cdktf/provider-github']],
    ['constructs', peers.constructs],
    // ts-node 10 cannot load TypeScript 7 (npm's `latest` since 2026): request the 5.x line it works with
    ['ts-node', '^10.9.2'],
    ['typescript', '~5.9.0'],
  ];
}

function problems(options: RepositorySettingsAppOptions, directory: string): string[] {
  const out: string[] = [];
  const add = (p: string | undefined) => {
    if (p !== undefined) out.push(p);
  };
  add(ownerProblem(options.owner));
  add(repositoryProblem(options.repository));
  add(repositoryPathProblem(directory, 'directory', 'project root'));
  if (typeof directory === 'string' && posix.normalize(directory) === '.') {
    out.push('directory "." would put the cdktf app (and its cdktf.out/) at the project root: give it a directory of its own, e.g. "infra"');
  }
  return out;
}
