import { describe } from 'vitest';
import { standIn } from '../helpers/backend.js';
import { bothStart } from './starts-together.contract.js';

describe('two starts with room at once on one controller', () => {
  bothStart(standIn);
});
