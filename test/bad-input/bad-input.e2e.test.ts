import { standIn } from '../helpers/backend.js';
import { badInputSuite } from './bad-input.suite.js';

badInputSuite(standIn);
