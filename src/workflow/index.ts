export * from './action-pin';
export * from './workflow-step';
export * from './publish-image';
export * from './publish-pipeline-options';
export * from './container-publish-pipeline';
export * from './ghcr-publish-workflow';
export * from './lock-refresh-auth';
