export * from './dockerfile';
export * from './pipeline';
export * from './presets';
export * from './workflow';
export * from './repository';
