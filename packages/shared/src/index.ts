export * from './kinds';
export * from './proxy-config';
export * from './registry';
export * from './resource';
export * from './snapshot';
export * from './telemetry-api';
export * from './validation';
export * from './validation-types';
