export * from './branch-rule-kind';
export * from './deployment-environment-options';
export * from './environment-reviewer';
export * from './github-owner-type';
export * from './github-repository-settings';
export * from './github-repository-settings-stack';
