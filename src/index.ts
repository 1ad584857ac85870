export * from './dockerfile';
export * from './pipeline';
export * from './workflow';
