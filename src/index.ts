// the projen adapter writes the files of model constructs that live in a projen project (cheap to load)
import './projen/register';

export * from './dockerfile';
export * from './pipeline';
export * from './presets';
export * from './workflow';
export * from './repository';
export * from './projen/code-owners';
export * from './projen/settings-app';
export * from './projen/lock';
