export * from './ports';
export * from './process';
export * from './proxy-flags';
