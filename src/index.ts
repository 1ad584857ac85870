export * from './core/problems';
export * from './dockerfile';
export * from './pipeline';
