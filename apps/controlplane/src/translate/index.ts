export { translate } from './translate';
