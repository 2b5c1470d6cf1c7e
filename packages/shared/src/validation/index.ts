export { ANALYSIS_CODES, analyze } from './analyze';
export { fieldPath } from './causes';
export { openApiSchemaFor } from './openapi';
export { MAX_REGEX_LENGTH, regexProblem } from './regex';
export { type ValidateOptions, validateResource } from './validate';
