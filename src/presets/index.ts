export * from './dependency-manifest';
export * from './python-app-dockerfile';
export * from './python-dev-dockerfile';
export * from './python-dockerfile-base';
export * from './python-dockerfile-options';
export * from './python-framework';
export * from './python-os-family';
export * from './system-packages';
