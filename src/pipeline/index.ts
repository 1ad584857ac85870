export * from './pipeline-manifest';
