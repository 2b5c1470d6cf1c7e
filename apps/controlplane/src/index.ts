export * from './api/http';
export { type Handler, type Method, type RouteContext, Router } from './api/router';
export { DEFAULT_COMPONENTS } from './components';
export * from './errors';
export * from './server';
export { type AnalysisSource, DEFAULT_SETTINGS, EMPTY_ANALYSIS_SOURCE } from './store/checks';
export { SqliteResourceStore, type SqliteStoreOptions } from './store/sqlite-store';
export * from './store/types';
