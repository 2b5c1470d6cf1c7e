export * from './ports';
export * from './process';
