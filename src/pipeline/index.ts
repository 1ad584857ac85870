export * from './pipeline-manifest';
export * from './pipeline-manifest-file';
export * from './repository-visibility';
