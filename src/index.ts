export * from './core/problems';
export * from './dockerfile';
