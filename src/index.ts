export * from './dockerfile';
export * from './pipeline';
