// first: a clear error naming the packages when the optional peers cdktf / @cdktf/provider-github are missing
import './cdktf-peers';

export * from './branch-rule-kind';
export * from './deployment-environment-options';
export * from './environment-reviewer';
export * from './github-owner-type';
export * from './github-repository-settings';
export * from './github-repository-settings-stack';
